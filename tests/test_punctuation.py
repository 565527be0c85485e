"""The punctuation stage on real lines of the scan (tests/cases/punctuation.json) and on the whole book.

Each case is a paragraph (or part of one) of raw/writings-1930-31.txt in the form the stage
receives (one paragraph a line).  "output" is what the stage must make of it; for a negative
case it is the input itself.  Known failures are marked "expect": "fail" (strict xfail: a fix
that makes one pass must flip its mark).
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from ocr_clean.document import Document
from ocr_clean.ledger import QUEUED
from ocr_clean.lexicon import Lexicon
from ocr_clean.stages import REGISTRY
from ocr_clean.stages.punctuation import Punctuation

ROOT = Path(__file__).resolve().parent.parent
CASES = json.loads((ROOT / "tests" / "cases" / "punctuation.json").read_text(encoding="utf-8"))
RULES = {"space-before-punct", "space-after-open", "double-space", "edge-space", "quote-space",
         "quote-glyph", "apostrophe-space", "apostrophe-case", "bracket-mismatch", "bracket-bang"}


@pytest.fixture(scope="module")
def stage() -> Punctuation:
    return Punctuation(None, Lexicon.load())


def _run(stage: Punctuation, text: str) -> Document:
    doc = Document(raw=text, name="test")
    stage(doc)
    return doc


def _params() -> list:
    out = []
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=c.get("note", ""))] if c["expect"] == "fail" else []
        out.append(pytest.param(c, id=c["id"], marks=marks))
    return out


def test_registered() -> None:
    assert REGISTRY["punctuation"] is Punctuation


@pytest.mark.parametrize("case", _params())
def test_case(stage: Punctuation, case: dict) -> None:
    doc = _run(stage, case["input"] + "\n")
    for rule in case.get("queued", ()):
        assert any(e.rule == rule and e.status == QUEUED for e in doc.ledger), f"no queued {rule}"
    assert doc.text == case["output"] + "\n"


def test_cases_have_both_kinds() -> None:
    changed = [c for c in CASES if c["expect"] == "pass" and c["output"] != c["input"]]
    kept = [c for c in CASES if c["expect"] == "pass" and c["output"] == c["input"]]
    assert len(changed) >= 20 and len(kept) >= 10


def test_edits_are_explained(stage: Punctuation) -> None:
    text = ('the slogan of the 1/ democratic dictatorship," the Stalinists describe the '
            "Comintern ?  Of course ! weren 't there")
    doc = _run(stage, text + "\n")
    assert doc.ledger.batches[-1], "nothing proposed"
    for e in doc.ledger:
        assert e.rule in RULES and 0.0 < e.confidence <= 1.0 and e.candidates
        assert e.before != e.after


# -- the whole book ---------------------------------------------------------------------
def _paragraphs(raw: str) -> str:
    """A rough one-paragraph-a-line form of the raw scan (what dehyphenate will hand on)."""
    paras: list[str] = []
    for chunk in re.split(r"\n[ \t]*\n", raw):
        out = ""
        for line in chunk.split("\n"):
            out += line.lstrip(" ")
        out = out.rstrip(" ")
        if not out.strip():
            continue
        if paras and not re.search(r"[.!?:;\")\]]\s*$", paras[-1]) and re.match(r"[a-z]", out):
            paras[-1] += " " + out
        else:
            paras.append(out)
    return "\n\n".join(paras) + "\n"


@pytest.fixture(scope="module")
def book(stage: Punctuation):
    raw = (ROOT / "raw" / "writings-1930-31.txt").read_text(encoding="utf-8")
    text = _paragraphs(raw)
    stage.lexicon.book(text)          # the vocabulary is counted once, outside the timing
    t0 = time.perf_counter()
    doc = _run(stage, text)
    return text, doc, time.perf_counter() - t0




def test_book_keeps_what_is_printed(book) -> None:
    text, doc, _ = book
    out = doc.text
    assert out.count(". . .") == text.count(". . .")
    assert out.count("World War II") == text.count("World War II")
    assert out.count("workers' ") >= text.count("workers' ")
    assert out.count("\n") == text.count("\n")            # paragraphs stay as they are
    # digits only ever go where a misread quote ("1/", "/1") was
    gone = sum(len(re.findall(r"\d", e.before)) for e in doc.ledger if e.in_output)
    assert len(re.findall(r"\d", out)) == len(re.findall(r"\d", text)) - gone
    assert all(e.rule == "quote-glyph" for e in doc.ledger if re.search(r"\d", e.before))


def test_book_edits(book) -> None:
    text, doc, _ = book
    edits = list(doc.ledger)
    assert len(edits) > 500
    rules = {e.rule for e in edits}
    assert rules <= RULES
    assert {"space-before-punct", "quote-glyph", "quote-space", "apostrophe-space"} <= rules
    for e in edits:
        # footnote markers are another stage's: no digit glued to a word is touched
        if e.rule != "quote-glyph":
            assert not re.search(r"\d", e.before + e.after), e
    # the mismatched pair of the Theses is made square, as the book writes such titles
    assert "[Theses of the International Left Opposition on the Russian Question]" in doc.text


def test_book_idempotent(stage: Punctuation, book) -> None:
    _text, doc, _ = book
    again = _run(stage, doc.text)
    applied = [e for e in again.ledger if e.status != QUEUED]
    assert len(applied) <= 5, [(e.rule, e.before, e.after, e.context) for e in applied[:5]]


@pytest.mark.parametrize("text", [
    "III liThe lia-IINew 1/I /1/I l/ \\I x/I.  a  .b   ,c\t .d( .\n .e ..  f ?  \n\n  g",
    'He said  , "1/ democratic  . . . party./I and II  ]  (  I ) li\n\nliII I/ /II\u2014IIa',
    "   ", " .", "", "II", "li", "a /I", "word  \u00a0 . end .", "x_liThe \u00b2II _II\tliNew",
])
def test_candidate_places_find_every_match(stage: Punctuation, text: str) -> None:
    """The glyph and space patterns tried only at ``_glyph_starts`` / ``_space_runs`` find
    the same matches as a search of the whole text (overlapping glyphs, runs of spaces)."""
    from ocr_clean.stages.punctuation import _matches_at

    def spans(ms):
        return [(m.span(), m.groups()) for m in ms]

    at = stage._glyph_starts(text)
    runs = stage._space_runs(text)
    for pat, pats in ((stage.re_prefix, stage.pat.quote_prefix),
                      (stage.re_suffix, stage.pat.quote_suffix),
                      (stage.re_token, stage.pat.quote_token)):
        assert spans(_matches_at(pat, text, at(pats))) == spans(pat.finditer(text))
    for pat in (stage.re_before, stage.re_multi):
        assert spans(_matches_at(pat, text, runs)) == spans(pat.finditer(text))
