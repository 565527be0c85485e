"""The confusion stage on the real scan: cases in tests/cases/confusion.json.

The stage runs once over the whole book (its evidence is the book's own vocabulary), with
the lines joined as the dehyphenate stage hands them on; each case is a real snippet of
that text, and its expected output is checked against the edits the stage made there.
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from ocr_clean.channel import ConfusionModel, load_rules
from ocr_clean.document import Document
from ocr_clean.ledger import IN_OUTPUT, QUEUED
from ocr_clean.lexicon import Lexicon, dictionaries_dir
from ocr_clean.stages import REGISTRY
from ocr_clean.stages.confusion import Confusion, _Run

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw" / "writings-1930-31.txt"
CASES = json.loads((ROOT / "tests" / "cases" / "confusion.json").read_text(encoding="utf-8"))["cases"]


def joined(raw: str) -> str:
    """Paragraphs on one line each: the form the stage receives (words broken at a line end
    without a space are joined, a line ending with a space continues after one space)."""
    paras = []
    for p in re.split(r"\n\s*\n", raw):
        s = re.sub(r" +\n", " ", p).replace("\n", "")
        s = re.sub(r"  +", " ", s).strip()
        if s:
            paras.append(s)
    return "\n\n".join(paras) + "\n"


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon.load()


@pytest.fixture(scope="module")
def book(lexicon):
    text = joined(RAW.read_text(encoding="utf-8"))
    stage = Confusion(None, lexicon)
    doc = Document(raw=text)
    t0 = time.perf_counter()
    stage(doc)
    elapsed = time.perf_counter() - t0
    return text, list(doc.ledger), doc.text, elapsed


def outcome(text: str, edits, snippet: str):
    """The snippet as the stage left it, and the queued edits inside it."""
    off = text.index(snippet)
    end = off + len(snippet)
    inside = [e for e in edits if off <= e.start and e.end <= end]
    out = snippet
    for e in sorted(inside, key=lambda e: -e.start):
        if e.status in IN_OUTPUT:
            out = out[: e.start - off] + e.after + out[e.end - off:]
    return out, [e for e in inside if e.status == QUEUED]


def case_id(c):
    return f"{c['class']}: {c['text'][:40]}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_case(book, case):
    text, edits, _, _ = book
    out, queued = outcome(text, edits, case["text"])
    ok = out == case["clean"]
    if "queued" in case:
        ok = ok and any(e.candidates and e.candidates[0].startswith(case["queued"]) for e in queued)
    if case.get("expect") == "fail":
        if ok:
            pytest.fail(f"known failure now passes, update the case: {case['text']!r}")
        pytest.xfail(case.get("note", "known failure"))
    assert ok, f"{case['text']!r} -> {out!r} (queued: {[(e.before, e.candidates) for e in queued]})"


def test_registered():
    assert REGISTRY["confusion"] is Confusion
    assert 0 < Confusion.defaults["queue_threshold"] < Confusion.defaults["apply_threshold"] <= 1


def test_rules_are_data_with_a_header():
    path = dictionaries_dir() / "confusions.tsv"
    head = path.read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("#")
    rules = load_rules(path)
    keys = {r.key for r in rules}
    assert {"ln>m", "n1>m", "lTI>m", "nn>rm", "lc>k", "0>o"} <= keys
    assert all(0 < r.weight <= 1 for r in rules)


def test_readings_reach_only_words():
    model = ConfusionModel.load()
    words = {"most", "from", "germany"}
    got = {p.cand for p in model.readings("lnost", words.__contains__)}
    assert got == {"most"}
    assert model.readings("Naville", words.__contains__) == []


def test_queue_band_leaves_raw_text(book, lexicon):
    """Above the queue threshold but below the apply threshold: queued, text unchanged."""
    text, _, _, _ = book
    stage = Confusion({"apply_threshold": 1.01, "queue_threshold": 0.5}, lexicon)
    doc = Document(raw=text)
    stage(doc)
    assert doc.text == text
    queued = [e for e in doc.ledger if e.status == QUEUED]
    assert queued and all(e.candidates for e in queued)
    assert any(e.before == "lnost" and e.candidates[0] == "most" for e in queued)


def test_whole_book_figures(book):
    """Change-averse and fast: few queued items, only unknown forms touched, about a second."""
    text, edits, out, elapsed = book
    words = len(text.split())
    applied = [e for e in edits if e.status in IN_OUTPUT]
    queued = [e for e in edits if e.status == QUEUED]
    assert len(applied) > 300
    assert len(queued) * 1000 / words < 5
    assert all(e.confidence >= Confusion.defaults["queue_threshold"] for e in edits)
    # the paragraph layout is kept
    assert out.count("\n") == text.count("\n")
    assert elapsed < 5.0


def test_short_text_without_book_evidence(lexicon):
    stage = Confusion(None, lexicon)
    doc = Document(raw="Internationally, the lnost decisive events in 1930 and 1931.\n")
    stage(doc)
    assert doc.text == "Internationally, the most decisive events in 1930 and 1931.\n"
    doc = Document(raw="After World War II he returned to Moscow with Naville.\n")
    stage(doc)
    assert len(doc.ledger) == 0


def test_names_and_compounds_are_not_misreads(lexicon):
    """Names that a glyph rule would turn into common words, and words with inner capitals
    that are two words (not case slips), are left alone."""
    stage = Confusion(None, lexicon)
    text = ("The patch came from Marco Hinz and Havard Garnes, who used NetBeans and GitHub "
            "with MacDonald.\n")
    doc = Document(raw=text)
    stage(doc)
    assert doc.text == text
    assert [e for e in doc.ledger if e.status == "applied"] == []


def test_what_the_review_taught(lexicon):
    """Accepted pairs weigh the rules they used in the profile; a rejected form is left alone."""
    text = "the lnost decisive group and the fonn of it.\n"
    stage = Confusion({"learned_pairs": [("fonned", "formed"), ("Gennany", "Germany")]}, lexicon)
    run = _Run(stage, text)
    assert run.learned_used["nn>rm"] == 2
    assert run.learn_profile([])["nn>rm"] > 1.0
    learned = Lexicon(lexicon.english, lexicon.user_words, lexicon.protected | {"lnost"})
    doc = Document(raw=text)
    Confusion(None, learned)(doc)
    assert "lnost" in doc.text and not any(e.before == "lnost" for e in doc.ledger)
