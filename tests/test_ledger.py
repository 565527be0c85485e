"""The ledger: recording, replaying and undoing edits."""
from __future__ import annotations

import json
import random

import pytest

from hypothesis import given, settings, strategies as st

from ocr_clean.document import Document
from ocr_clean.ledger import APPLIED, QUEUED, REJECTED, Edit, Ledger, _encode, edit_line, evidence_json, replay


def _random_batch(rng: random.Random, text: str) -> list[Edit]:
    edits, pos = [], 0
    while pos < len(text):
        pos += rng.randint(0, 6)
        if pos > len(text):
            break
        ln = rng.choice([0, 1, 1, 2, 3])
        end = min(len(text), pos + ln)
        after = "".join(rng.choice("abXY \n") for _ in range(rng.choice([0, 1, 2, 3])))
        status = rng.choice([APPLIED, APPLIED, QUEUED])
        if end == pos and not after:
            pos += 1
            continue
        edits.append(Edit(pos, end, after, "r", status=status))
        pos = end + (1 if end == pos else 0)
    return edits


def _run(raw: str, seed: int, n_batches: int = 4) -> Document:
    rng = random.Random(seed)
    doc = Document(raw)
    for b in range(n_batches):
        doc.apply(f"s{b}", _random_batch(rng, doc.text))
    return doc


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcde \n", max_size=60), st.integers(0, 10_000))
def test_replay_as_recorded_gives_the_output(raw, seed):
    doc = _run(raw, seed)
    assert replay(raw, doc.ledger) == doc.text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcde \n", max_size=60), st.integers(0, 10_000))
def test_undoing_every_edit_gives_the_raw_text_back(raw, seed):
    doc = _run(raw, seed)
    assert replay(raw, doc.ledger, lambda e: False) == raw


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcde \n", max_size=60), st.integers(0, 10_000), st.integers(0, 10_000))
def test_replay_with_other_choices_never_crashes_and_matches_a_rerun_of_first_batch(raw, seed, seed2):
    doc = _run(raw, seed, n_batches=1)
    rng = random.Random(seed2)
    edits = list(doc.ledger)      # (held: a packed row read as an edit is the same object while held)
    choice = {id(e): rng.random() < 0.5 for e in edits}
    out = replay(raw, doc.ledger, lambda e: choice[id(e)])
    # one batch: the result is the raw text with exactly the chosen edits
    again = Document(raw)
    again.apply("s0", [Edit(e.start, e.end, e.after, e.rule, status=APPLIED if choice[id(e)] else REJECTED)
                       for e in doc.ledger])
    assert out == again.text


def test_accepting_a_queued_edit_carries_later_positions():
    raw = "the lnost decisive events in 1930 ."
    doc = Document(raw)
    doc.apply("confusion", [Edit(4, 9, "most", "m", status=QUEUED)])
    doc.apply("punctuation", [Edit(33, 34, "", "space-before-punct")])
    assert doc.text == "the lnost decisive events in 1930."
    accepted = replay(raw, doc.ledger, lambda e: True)
    assert accepted == "the most decisive events in 1930."


def test_edit_records_raw_line_and_column():
    raw = "first line\nsecond lnost line\n"
    doc = Document(raw)
    doc.apply("layout", [Edit(10, 11, " ", "join")])
    (e,) = doc.apply("confusion", [Edit(18, 23, "most", "m")])
    assert (e.raw_line, e.raw_col, e.before) == (2, 8, "lnost")


def test_ledger_roundtrips_through_jsonl(tmp_path):
    raw = "a b c\n"
    doc = Document(raw)
    doc.apply("x", [Edit(0, 1, "A", "up", confidence=0.7, status=QUEUED, candidates=("A", "a"))])
    doc.apply("y", [Edit(1, 2, "", "del")])
    p = tmp_path / "l.jsonl"
    with open(p, "w", encoding="utf-8") as fh:
        doc.ledger.dump_jsonl(fh)
    led = Ledger.load_jsonl(p.read_text(encoding="utf-8").splitlines())
    assert [e.to_dict() for e in led] == [e.to_dict() for e in doc.ledger]
    assert replay(raw, led) == doc.text


def test_replay_survives_statuses_changed_after_the_run():
    """A review may change statuses and texts in the ledger; positions stay valid."""
    raw = "the lnost decisive events in 1930 ."
    doc = Document(raw)
    doc.apply("confusion", [Edit(4, 9, "most", "m", status=QUEUED), Edit(10, 18, "decisive", "noop")])
    doc.apply("punctuation", [Edit(33, 34, "", "space-before-punct")])
    e = doc.ledger.batches[0][0]
    e.status, e.after = "edited", "utmost"
    assert replay(raw, doc.ledger) == "the utmost decisive events in 1930."
    p = doc.ledger.batches[1][0]
    p.status = REJECTED
    assert replay(raw, doc.ledger) == "the utmost decisive events in 1930 ."


_texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=400, deadline=None)
@given(after=_texts, before=_texts, note=_texts, context=_texts, run_after=st.none() | _texts,
       candidates=st.lists(_texts, max_size=3), confidence=st.floats(0, 1),
       status=st.sampled_from([APPLIED, QUEUED, REJECTED]), run_status=st.sampled_from(["", APPLIED, QUEUED]),
       numbers=st.tuples(*[st.integers(-1, 10**7)] * 7),
       evidence=st.dictionaries(_texts, st.integers(-5, 10**6) | st.floats(0, 1e6) | _texts | st.booleans(),
                                max_size=4))
def test_a_ledger_line_is_what_json_writes(after, before, note, context, run_after, candidates,
                                           confidence, status, run_status, numbers, evidence):
    start, end, batch, raw_start, raw_end, raw_line, raw_col = numbers
    e = Edit(start, end, after, "rule\u00e9\"", confidence, status, tuple(candidates), note, before,
             "stage", batch, raw_start, raw_end, raw_line, raw_col, context, "id", run_status, run_after,
             evidence)
    line = edit_line(e)
    assert line == _encode(e.to_dict(compact=True))
    assert Edit.from_dict(json.loads(line)).to_dict() == Edit.from_dict(e.to_dict(compact=True)).to_dict()


def test_an_edit_without_evidence_shares_one_read_only_empty_mapping():
    """Layout edits record no evidence: they share NO_EVIDENCE (100,000 line joins, not
    100,000 empty dicts); it reads as an empty dict, is written as none, cannot be filled by
    mistake, and copies, pickles and loads back as itself."""
    import copy
    import doctest
    import pickle

    from ocr_clean import ledger as ledger_mod
    from ocr_clean.ledger import NO_EVIDENCE

    assert doctest.testmod(ledger_mod).failed == 0
    a, b = Edit(0, 1, " ", "space-join"), Edit(2, 3, " ", "space-join")
    assert a.evidence is b.evidence is NO_EVIDENCE and a.evidence == {}
    with pytest.raises(TypeError):
        a.evidence["x"] = 1
    with pytest.raises(TypeError):
        a.evidence.update(x=1)
    assert b.evidence == {} and "evidence" not in a.to_dict(compact=True)
    assert a.to_dict()["evidence"] == {} and type(a.to_dict()["evidence"]) is dict
    assert pickle.loads(pickle.dumps(a)).evidence is NO_EVIDENCE
    assert copy.deepcopy(a).evidence is NO_EVIDENCE
    doc = Document("ab\ncd lx")
    doc.apply("t", [Edit(2, 3, " ", "space-join"), Edit(6, 7, "m", "glyph", 0.5, evidence={"n": 2})])
    back = Ledger.load_jsonl(doc.ledger.to_jsonl().splitlines())
    assert [e.evidence for e in back] == [{}, {"n": 2}] and back.batches[0][0].evidence is NO_EVIDENCE


_SCALARS = st.one_of(st.text(max_size=8), st.integers(), st.floats(), st.booleans(), st.none())


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.one_of(st.text(max_size=6), st.integers()), st.one_of(
    _SCALARS, st.lists(_SCALARS, max_size=3), st.dictionaries(st.text(max_size=3), _SCALARS, max_size=2)),
    max_size=6))
def test_evidence_json_writes_what_json_writes(ev):
    """An edit's evidence as the ledger writes it directly (the usual flat evidence) is the
    same characters json writes: strings with quotes, escapes and letters beyond ASCII, big
    and negative ints, floats (NaN and infinities through json), booleans, None, nested values."""
    assert evidence_json(ev) == _encode(ev)
