"""Applying a batch's line joins by stretches (ocr_clean.offset_map.row_runner) against applying
them one by one: the same text, offset map and ledger, on generated texts with the edge cases
(joins at segment ends, after removed or inserted text, next to other edits and insertions,
no-op joins, joins of more kinds than a batch packs, an empty text, a text without a newline)."""
from __future__ import annotations

import random

import pytest

from ocr_clean.document import Document
from ocr_clean.ledger import QUEUED, Edit
from ocr_clean.ledger_batch import PlainEdits

WORDS = "the of a war Trotsky party in- land 1930 Union (a) \u201cquoted\u201d".split()


def _raw(rng: random.Random, many_kinds: bool) -> str:
    lines = []
    for i in range(400 if many_kinds else rng.randint(0, 250)):
        if rng.random() < 0.12:
            lines.append("")
            continue
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
        pad = " " * (i % 350) if many_kinds else rng.choice(["", "", " ", "  \t"])
        lines.append(rng.choice(["", " "]) + line + pad)
    return "\n".join(lines) + rng.choice(["", "\n", "\n\n"])


def _first_batch(rng: random.Random, text: str, reach: int = 40) -> list[Edit]:
    """Edits that cut the map into segments: words changed, blank lines taken out, text put in."""
    out, pos = [], 0
    while pos < len(text):
        at = pos + rng.randint(0, reach)
        if at >= len(text):
            break
        kind = rng.random()
        if kind < 0.3:
            end = min(len(text), at + rng.randint(1, 6))
            out.append(Edit(at, end, rng.choice(["", "x", "word", "\n"]), "change"))
            pos = end + 1
        elif kind < 0.4:
            out.append(Edit(at, at, "<put>", "insert"))
            pos = at + 1
        else:
            pos = at + 1
    return out


def _second_batch(rng: random.Random, text: str) -> list:
    """Joins at line breaks (a PlainEdits), with other edits between and next to them."""
    joins, edits = PlainEdits("space-join", " "), []
    last = 0
    for k, ch in enumerate(text):
        if ch != "\n" or k < last:
            continue
        s = k
        while s > last and text[s - 1] in " \t":
            s -= 1
        e = k + 1
        r = rng.random()
        if r < 0.08 and s > last:                   # an insertion right before the join
            edits.append(Edit(s, s, "*", "mark", status=rng.choice(["applied", QUEUED])))
        if r > 0.93:                                # an ordinary edit instead of a join
            edits.append(Edit(s, e, rng.choice(["\n", " ", "--"]), "other", rng.choice([1.0, 0.5])))
        elif 0.9 < r <= 0.93:
            joins.add(s, s)                         # a join that takes nothing out
        elif 0.86 < r <= 0.9 and text[s:e] == " ":  # (a no-op join)
            joins.add(s, e)
        else:
            joins.add(s, e)
        last = e
        if rng.random() < 0.05 and e < len(text) and text[e] != "\n":
            edits.append(Edit(e, e + 1, text[e], "same"))    # a no-op edit right after the join
            last = e + 1
    return [*edits, joins]


def _run(raw: str, seed: int, by_stretches: bool) -> Document:
    rng = random.Random(seed)
    reach = 3000 if seed % 10 == 9 else 40     # (long runs of spaces left whole: many kinds)
    old = Document.by_stretches
    try:
        Document.by_stretches = by_stretches
        doc = Document(raw=raw, name="t")
        doc.apply("first", _first_batch(rng, doc.text, reach))
        doc.apply("joins", _second_batch(rng, doc.text))
        doc.apply("third", _first_batch(rng, doc.text))
    finally:
        Document.by_stretches = old
    return doc


@pytest.mark.parametrize("seed", range(40))
def test_joins_by_stretches_are_the_joins_one_by_one(seed):
    raw = _raw(random.Random(seed), many_kinds=seed % 10 == 9)
    fast, slow = _run(raw, seed, True), _run(raw, seed, False)
    assert fast.text == slow.text
    assert fast.offset_map() == slow.offset_map()
    assert fast.ledger.to_jsonl({"name": "t"}) == slow.ledger.to_jsonl({"name": "t"})
    batch = fast.ledger.batches[1]
    assert [(e.start, e.end, e.raw_line, e.raw_col, e.id) for e in batch] == \
        [(e.start, e.end, e.raw_line, e.raw_col, e.id) for e in slow.ledger.batches[1]]
    for a in range(0, len(raw) + 1, 7):
        assert fast.current_span(a, a + 5) == slow.current_span(a, a + 5)


def test_the_cases_are_met():
    """The generated texts hold the cases the stretches must get right (so the test above
    can fail): rows applied fast and rows left to the one-by-one way, of more kinds than one
    batch packs."""
    kinds = rows = 0
    for seed in range(40):
        doc = _run(_raw(random.Random(seed), many_kinds=seed % 10 == 9), seed, True)
        batch = doc.ledger.batches[1]
        rows += batch.packed
        kinds = max(kinds, len(set((e.rule, e.before) for e in batch if e.rule == "space-join")))
    assert rows > 2000 and kinds > 256
