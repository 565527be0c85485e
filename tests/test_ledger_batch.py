"""A batch's plain edits kept packed (ocr_clean.ledger_batch): the same ledger, text, file and
answers as when every edit is an object, and a packed row read as an edit behaves as one."""
from __future__ import annotations

import copy
import pickle
import re

import pytest

from ocr_clean import Pipeline
from ocr_clean.document import Document, EditConflict
from ocr_clean.ledger import APPLIED, QUEUED, REJECTED, Edit, Ledger, edit_line, replay
from ocr_clean.ledger_batch import Batch, PlainEdits, as_edits, is_plain
from ocr_clean.pipeline import set_aside_superseded

from .conftest import raw_lines

_FIELDS = [f for f in Edit.__dataclass_fields__]


def _fields(edits) -> list[tuple]:
    return [tuple(getattr(e, f) for f in _FIELDS) for e in edits]


@pytest.fixture(scope="module")
def runs() -> tuple:
    """The same text (real scan lines, and the same lines cut short: many line joins) cleaned
    with plain edits packed and with every edit an object."""
    raw = raw_lines(1, 400) + "\n".join(w for w in raw_lines(2000, 2300).split() if w) + "\n"
    pipe = Pipeline()
    packed = pipe.run(raw, "book")
    try:
        Document.pack_plain = False
        loose = pipe.run(raw, "book")
    finally:
        Document.pack_plain = True
    return raw, packed, loose


def test_packing_changes_nothing_a_reader_of_the_ledger_sees(runs):
    raw, packed, loose = runs
    rows = sum(b.packed for b in packed.ledger.batches if isinstance(b, Batch))
    assert rows > 300, "the text should have many plain edits to pack"
    assert not any(isinstance(b, Batch) and b.packed for b in loose.ledger.batches)
    assert packed.text == loose.text
    assert packed.ledger.to_jsonl({"name": "x"}) == loose.ledger.to_jsonl({"name": "x"})
    assert len(packed.ledger) == len(loose.ledger)
    assert _fields(packed.ledger) == _fields(loose.ledger)
    assert list(packed.ledger) == list(loose.ledger)
    assert _fields(packed.queued) == _fields(loose.queued)
    assert _fields(packed.for_review) == _fields(loose.for_review)
    assert packed.ledger.summary() == loose.ledger.summary()
    assert _fields(packed.ledger.explain(1, 60)) == _fields(loose.ledger.explain(1, 60))
    for include in (None, lambda e: False, lambda e: e.rule != "space-join"):
        assert replay(raw, packed.ledger, include) == replay(raw, loose.ledger, include)
    assert replay(raw, packed.ledger, lambda e: False) == raw
    # ... and read back from its file, the ledger is the same again
    back = Ledger.load_jsonl(packed.ledger.to_jsonl().splitlines())
    assert _fields(back) == _fields(Ledger.load_jsonl(loose.ledger.to_jsonl().splitlines()))


def test_a_packed_row_read_as_an_edit_is_an_edit():
    doc = Document("one \ntwo \nthree \nfour\n", name="d")
    batch = doc.apply("joins", [Edit(3, 5, " ", "space-join"), Edit(8, 10, " ", "space-join"),
                                Edit(15, 17, " ", "space-join", 0.5, QUEUED)])
    assert batch.packed == 2 and len(batch) == 3 and doc.text == "one two three \nfour\n"
    first = batch[0]
    assert (first.start, first.end, first.before, first.after, first.stage, first.raw_line,
            first.raw_col, first.status) == (3, 5, " \n", " ", "joins", 1, 4, APPLIED)
    assert first.id == first.make_id("d") and first.run_after == " " and is_plain(batch[1]) is False
    # the same object while held; a change is kept (the row becomes an edit of its own)
    assert batch[0] is first and any(x is first for x in doc.ledger)
    first.status = REJECTED
    assert batch[0] is first and batch[0].status == REJECTED and batch.packed == 2
    assert replay(doc.raw, doc.ledger) == "one \ntwo three \nfour\n"
    assert replay(doc.raw, doc.ledger, lambda e: e.in_output or e is first) == "one two three \nfour\n"
    lines = list(batch.jsonl_lines())
    assert lines == [edit_line(e) for e in batch] and '"status":"rejected"' in lines[0]
    # copies, pickles and list changes give plain edits of the same fields
    assert _fields(pickle.loads(pickle.dumps(batch))) == _fields(batch)
    assert _fields([copy.copy(batch[1])]) == _fields([batch[1]]) and type(copy.copy(batch[1])) is Edit
    held = batch[1]
    batch.append(Edit(19, 19, "!", "x"))
    assert batch.packed == 0 and len(batch) == 4 and batch[1] is held and batch[0] is first


def test_set_aside_reads_packed_rows_without_unpacking_them():
    doc = Document("a b\nc d\ne f\n")
    # queued: over the space in "a b", over the second line end
    doc.apply("s", [Edit(1, 2, "", "x", 0.5, QUEUED), Edit(7, 8, "", "y", 0.5, QUEUED)])
    batch = doc.apply("joins", [Edit(0, 2, "A ", "rewrite"), Edit(3, 4, " ", "space-join"),
                                Edit(7, 8, " ", "space-join")])
    assert batch.packed == 3
    assert set_aside_superseded(doc.ledger) == 2
    first, second = doc.ledger.batches[0]
    assert first.status == second.status == REJECTED and batch.packed == 3
    assert "joins:rewrite" in first.note and "joins:space-join" in second.note


def _plain_and_edits() -> tuple[str, list]:
    text = "one \ntwo \nthree-\nfour \nfive\n\nsix \nseven\n"
    joins = PlainEdits("space-join", " ")
    for i in (3, 8, 21, 32):
        joins.add(i, i + 2)
    return text, [Edit(15, 17, "", "word-join"), joins, Edit(27, 29, "\n\n", "paragraph-break", 0.9)]


def test_plain_edits_apply_as_their_edits_would():
    text, props = _plain_and_edits()
    assert [(e.start, e.rule) for e in as_edits(props)] == [
        (3, "space-join"), (8, "space-join"), (15, "word-join"), (21, "space-join"),
        (27, "paragraph-break"), (32, "space-join")]
    one, two = Document(text, name="t"), Document(text, name="t")
    batch = one.apply("dehyphenate", props)
    two.pack_plain = False
    two.apply("dehyphenate", as_edits(props))
    assert one.text == two.text == "one two threefour five\n\nsix seven\n"
    assert batch.packed == 5 and _fields(one.ledger) == _fields(two.ledger)
    assert one.ledger.to_jsonl() == two.ledger.to_jsonl()
    assert one.offset_map() == two.offset_map()


def test_a_decider_is_asked_about_each_plain_edit():
    text, props = _plain_and_edits()
    asked = []

    def decide(e):
        asked.append((e.start, e.rule))
        return (REJECTED, e.after) if e.start == 8 else None

    doc = Document(text, name="t")
    doc.decide = decide
    batch = doc.apply("dehyphenate", props)
    assert sorted(asked) == [(3, "space-join"), (8, "space-join"), (15, "word-join"),
                             (21, "space-join"), (32, "space-join")]   # (the break is no change)
    assert doc.text == "one two \nthreefour five\n\nsix seven\n"
    assert batch.packed == 4 and [e.status for e in batch].count(REJECTED) == 1


@pytest.mark.parametrize("bad", [(2, 4), (30, 33), (40, 41)])
def test_a_plain_edit_that_overlaps_or_leaves_the_text_is_refused(bad):
    text, props = _plain_and_edits()
    props[1].add(*bad)          # (rows out of order, over another edit, past the end)
    doc = Document(text)
    with pytest.raises(EditConflict):
        doc.apply("dehyphenate", props)
    assert doc.text == text and not doc.ledger.batches


def test_rows_holding_are_the_rows_whose_raw_span_holds_an_offset():
    """Batch.rows_holding (maps over the rows) against a plain loop, on random rows (empty raw
    spans, spans sharing ends, offsets before, between and after them)."""
    import random
    rnd = random.Random(3)
    for _ in range(200):
        batch, at = Batch("s", 0, "doc"), 0
        for i in range(rnd.randrange(0, 30)):
            at += rnd.randrange(0, 4)
            r0, r1 = at, at + rnd.randrange(0, 3)
            assert batch.take_row("space-join", "\n", " ", i * 2, i * 2 + 1, r0, r1, 1, 1)
        offsets = sorted(rnd.sample(range(-2, at + 5), rnd.randrange(0, min(8, at + 7))))
        plain = [i for i, e in enumerate(batch)
                 if any(e.raw_start <= p < e.raw_end for p in offsets)]
        assert batch.rows_holding(offsets) == (plain if batch.packed else None)


def test_moved_before_is_the_sum_over_the_edits_before():
    """ledger_batch.moved_before (a packed batch's rows summed with maps) against the sum over
    the batch read as edits: random rows of several kinds, loose edits among them (an insertion
    at a row's start, a queued edit), keys before, at and between them."""
    import random
    from ocr_clean.ledger_batch import moved_before
    rnd = random.Random(5)
    for _ in range(150):
        text = "".join(rnd.choice("ab \n") for _ in range(rnd.randrange(1, 60)))
        doc = Document(text)
        edits, joins, pos = [], PlainEdits("space-join", " "), 0
        while pos < len(text):
            r = rnd.random()
            end = min(len(text), pos + rnd.randrange(0, 3))
            if r < 0.4:
                joins.add(pos, end)
            elif r < 0.5:
                edits.append(Edit(pos, pos, "<", "mark"))
                if end > pos:
                    joins.add(pos, end)
            elif r < 0.6:
                edits.append(Edit(pos, end, "xyz"[:rnd.randrange(0, 4)], "w", rnd.choice([1.0, 0.5]),
                                  rnd.choice([APPLIED, QUEUED])))
            pos = end + 1
        batch = doc.apply("s", [*edits, joins])
        keys = sorted({(a, a + rnd.randrange(0, 3)) for a in range(0, len(text) + 1, 2)})
        plain = [sum(len(e.after) - (e.end - e.start) for e in batch
                     if e.status in (APPLIED,) and (e.start, e.end) < k) for k in keys]
        assert moved_before(batch, keys) == plain
        assert moved_before(list(batch), keys) == plain


def test_many_packed_rows_write_the_lines_of_their_edits():
    """A batch of more packed rows than are written together (two blocks and a bit), some
    changed since (written from their own edits): each line is edit_line's of its edit."""
    raw = "".join(f"w{i} \n" for i in range(9000)) + "end\n"
    doc = Document(raw, name="d")
    batch = doc.apply("joins", [Edit(i, i + 2, " ", "space-join") for i in
                                (m.start() for m in re.finditer(" \n", raw))])
    assert batch.packed == 9000
    batch[10].status = REJECTED
    batch[4096].status = REJECTED
    assert list(batch.jsonl_lines()) == [edit_line(e) for e in batch]
    assert '"status":"rejected"' in list(batch.jsonl_lines())[4096]
