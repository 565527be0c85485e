"""Adversarial inputs (issue 13 item 5): long letter runs, long tokens, long lines, many short
lines.  Each stage's linear form is checked against the plain form it replaced (same answers),
and the whole pipeline on generated long inputs: it ends, undoing every edit gives the raw text
back, and a token too long to search is said so in the ledger.  Time is measured in
``bench/adversarial.py``, never asserted here."""
from __future__ import annotations

import collections

from hypothesis import HealthCheck, given, settings, strategies as st

from ocr_clean import Pipeline, replay
from ocr_clean.ledger import QUEUED, Edit
from ocr_clean.stages import dehyphenate, split_words
from ocr_clean.stages.confusion import MAX_TOKEN
from ocr_clean.stages.punctuation import _non_overlapping

from .conftest import raw_lines

_PIPE: list[Pipeline] = []


def pipe() -> Pipeline:
    if not _PIPE:
        _PIPE.append(Pipeline())
    return _PIPE[0]


def _kept_plainly(cands):
    """The check punctuation made before: each edit against every one kept so far."""
    taken, out = [], []
    for _p, e in cands:
        if any(e.start < b and a < e.end or (e.start == e.end and a <= e.start <= b)
               or (a == b and e.start <= a <= e.end) for a, b in taken):
            continue
        taken.append((e.start, e.end))
        out.append(e)
    return out


spans = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 60), st.sampled_from([0, 0, 1, 1, 2, 3, 7])),
                 max_size=60)


@given(spans)
@settings(max_examples=300, deadline=None)
def test_punctuation_keeps_the_same_edits_as_the_plain_check(rows):
    cands = sorted(((p, Edit(s, s + w, "x", "r")) for p, s, w in rows), key=lambda t: (t[0], t[1].start))
    assert [id(e) for e in _non_overlapping(cands)] == [id(e) for e in _kept_plainly(cands)]


WORDS = ["the", "The", "party", "non", "partisan", "over", "over-all", "don't", "\u00fcber", "a", "x1", "A"]


@given(st.lists(st.sampled_from(WORDS + [" ", "  ", ".", "\n", "-", ", "]), min_size=1, max_size=300),
       st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)), min_size=1, max_size=20))
@settings(max_examples=150, deadline=None)
def test_dehyphenate_counts_pairs_at_once_as_its_searches_do(parts, asked):
    text = " ".join(parts)
    indexed = dehyphenate.counts.BookCounts(text, collections.Counter())
    searched = dehyphenate.counts.BookCounts(text, collections.Counter())
    indexed._searches = dehyphenate.counts._SEARCHES      # the next call builds the index
    searched._searches = -10 ** 9                  # never
    for a, b in asked + [("the", "the"), ("over", "all")]:
        assert indexed.separate(a, b) == searched.separate(a, b), (a, b)


def test_dehyphenate_counts_a_pair_that_starts_inside_a_rejected_match():
    # "over-all over" first matches inside "over-all over-all" (not two words there), then
    # once at its second place: the search goes on from the rejected match's next character
    for searches in (dehyphenate.counts._SEARCHES, -10 ** 9):
        counts = dehyphenate.counts.BookCounts("over-all over-all over", collections.Counter())
        counts._searches = searches
        assert counts.separate("over-all", "over") == 1


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=40),
       st.integers(100, 2_000))
@settings(max_examples=15, deadline=None)
def test_chain_pattern_finds_the_same_chains_on_long_letter_runs(word, run):
    import re

    text = ("x" * run) + " 1 " + word + " " + word + " " + ("y" * run) + "\n"
    plain = re.compile(split_words.scanners.CHAIN.pattern.replace(f"(?<!{split_words.scanners.LETTER})", ""))
    got = [m.span() for m in split_words.scanners.CHAIN.finditer(text)]
    assert got == [m.span() for m in plain.finditer(text)] and got


@st.composite
def long_inputs(draw) -> str:
    kind = draw(st.sampled_from(["run", "token", "line", "short_lines"]))
    letters = draw(st.text(alphabet="abcdeilnorstuI1l0", min_size=3, max_size=12))
    n = draw(st.integers(200, 3000))
    if kind == "run":
        return (letters * (1 + 20 * n // len(letters)))[: 20 * n] + " 1\n"
    if kind == "token":
        return "the " + (letters * n)[: max(MAX_TOKEN + 1, 10 * n)] + " word .\n"
    if kind == "line":
        return " ".join(raw_lines(200, 260).split()) * (1 + n // 1000) + "\n"
    return "\n".join(("12" if k % 9 == 0 else letters[: 1 + k % 5]) for k in range(n)) + "\n"


@given(long_inputs())
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_long_inputs_are_cleaned_and_undone_exactly(text):
    res = pipe().run(text)
    assert replay(text, res.ledger, lambda e: False) == text
    assert replay(text, res.ledger) == res.text


def test_a_token_too_long_to_search_is_said_so_in_the_ledger():
    tok = ("rnlI1" * 4000)
    res = pipe().run(f"The word {tok} stands alone.\n")
    skipped = [e for e in res.ledger if e.rule == "too-long"]
    assert len(skipped) == 1 and skipped[0].status == QUEUED
    assert skipped[0].before == tok and skipped[0].after == tok and str(MAX_TOKEN) in skipped[0].note
    assert tok in res.text
