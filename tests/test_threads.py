"""clean_text / clean_texts / one Pipeline called from many threads at once give exactly the
results of the same calls made one after another (issue 13 item 6)."""
from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from ocr_clean import Pipeline, clean_text
from ocr_clean.pipeline import clean_texts

from .conftest import raw_lines

# texts with different vocabularies (a stage that kept one run's book would mix them up)
TEXTS = [raw_lines(a, a + 70) for a in (1, 900, 2400, 5200, 7700, 9000, 11800, 14100)]


def _key(res):
    return res.text, res.ledger.to_jsonl()


@pytest.fixture
def busy_switching():
    """Threads switch every microsecond, so that runs interleave as much as they can."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(old)


def test_clean_text_from_many_threads_is_the_sequential_result(busy_switching):
    sequential = [_key(clean_text(t, name=str(i))) for i, t in enumerate(TEXTS)]
    jobs = [(i, t) for _ in range(3) for i, t in enumerate(TEXTS)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda it: (it[0], _key(clean_text(it[1], name=str(it[0])))), jobs))
    for i, key in got:
        assert key == sequential[i], f"text {i} cleaned differently in a thread"


def test_clean_texts_from_many_threads_is_the_sequential_result(busy_switching):
    names = [f"page{i}" for i in range(len(TEXTS))]
    sequential = [_key(r) for r in clean_texts(TEXTS, names=names)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        runs = list(pool.map(lambda k: [_key(r) for r in clean_texts(TEXTS[k:] + TEXTS[:k], names=names[k:] + names[:k])],
                             range(3)))
    for k, run in enumerate(runs):
        assert run == sequential[k:] + sequential[:k]


def test_one_pipeline_shared_by_threads_is_the_sequential_result(busy_switching):
    pipe = Pipeline()
    sequential = [_key(pipe.run(t, str(i))) for i, t in enumerate(TEXTS)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda it: _key(pipe.run(it[1], str(it[0] % len(TEXTS)))), enumerate(TEXTS * 2)))
    assert got == sequential * 2
