"""The dehyphenate stage: real line pairs of the scan (tests/cases/dehyphenate.json), run
through a Document and this stage alone, and the whole book for the layout contract,
the book's own evidence and speed."""
from __future__ import annotations

import collections
import json
import re
import time
from pathlib import Path

import pytest

from ocr_clean import Config, clean_text
from ocr_clean.document import Document
from ocr_clean.ledger import replay
from ocr_clean.lexicon import Lexicon
from ocr_clean.profile import CONTINUES, measure
from ocr_clean.stages import REGISTRY
from ocr_clean.stages.dehyphenate import Dehyphenate
from ocr_clean.stages.dehyphenate.counts import BookCounts
from ocr_clean.stages.dehyphenate.scanners import (BREAK_FROM_NL, TOKEN, TOKEN_AT_END, breaks_from_nl, count_tokens, tokens_at,
                                                    word_char)

HERE = Path(__file__).resolve().parent
CASES = json.loads((HERE / "cases" / "dehyphenate.json").read_text(encoding="utf-8"))
RAW = HERE.parent / "raw" / "writings-1930-31.txt"


@pytest.fixture(scope="module")
def stage() -> Dehyphenate:
    return Dehyphenate(lexicon=Lexicon.load())


# the habit of the scan these lines come from, as measured on the whole book (a line
# without a trailing space continues its word): a pair of lines alone is too short to tell
SCAN = measure(RAW.read_text(encoding="utf-8"))


def test_the_scan_is_recognised():
    assert SCAN.line_end.value == CONTINUES and SCAN.line_end.confidence > 0.5
    assert SCAN.hyphens.value == ("-",)


def run(stage: Dehyphenate, text: str) -> Document:
    doc = Document(text)
    doc.profile = SCAN
    stage(doc)
    return doc


def paragraphs(raw: str) -> str:
    """A stand-in for page_structure: page-start spaces stripped, blank lines = paragraph breaks."""
    text = "\n".join(line.lstrip(" ") for line in raw.split("\n"))
    return re.sub(r"\n(?:[ \t]*\n)+", "\n\n", text).strip("\n") + "\n"


def test_registered():
    assert REGISTRY["dehyphenate"] is Dehyphenate


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["id"] for c in CASES["cases"]])
def test_case(stage, case):
    doc = run(stage, case["input"])
    ok = doc.text == case["output"]
    if case.get("rule"):
        ok = ok and case["rule"] in {e.rule for e in doc.ledger}
    if case["expect"] == "fail":
        assert not ok, f"known failure now passes: {case['id']} (mark it pass)"
    else:
        assert doc.text == case["output"]
        if case.get("rule"):
            assert case["rule"] in {e.rule for e in doc.ledger}
    if "accepted" in case:      # an open join: queued over the scan's text, accepted by a person
        queued = [e for e in doc.ledger if e.status == "queued"]
        assert queued and {e.rule for e in queued} == {"join-uncertain"}
        assert replay(case["input"], doc.ledger, lambda e: e.in_output or e.status == "queued") == case["accepted"]
    # every edit can be undone: the raw text comes back exactly
    assert replay(case["input"], doc.ledger, lambda e: False) == case["input"]


def test_one_edit_per_line_break(stage):
    text = "a new revo\nlutionary International \nwas needed, the so\ncalled \"five\nyear plan\" \n\nNext. \n"
    doc = run(stage, text)
    # alone, so/called is open: the scan's text kept (socalled), so-called queued over it
    assert doc.text == 'a new revolutionary International was needed, the socalled "five-year plan"\n\nNext.\n'
    assert [e.rule for e in doc.ledger.batches[0]].count("kept-as-scanned") == 1
    assert len(doc.ledger.batches[0]) == 6 and [e.after for e in doc.ledger.batches[1]] == ["so-called"]
    joins = [e for e in doc.ledger.batches[0] if e.rule not in ("space-join", "paragraph-break", "text-end")]
    assert [e.before for e in joins] == ["revo\nlutionary", "so\ncalled", "five\nyear"]


def test_a_one_word_line_does_not_overlap(stage):
    # synthetic: a line holding one fragment between two breaks
    text = "the revolu\ntion\nary workers\n"
    doc = run(stage, text)
    assert doc.text == "the revolutionary workers\n"


def test_layout_without_final_newline_and_stray_blank_lines(stage):
    doc = run(stage, "\n\nFirst line \nof it.  \n\n\n \nSecond.   ")
    assert doc.text == "First line of it.\n\nSecond.\n"


def test_uncertain_reading_is_queued_over_the_scans_text(stage):
    # raw 1115-1116: alone, without the book, the evidence is weak both ways
    text = CASES["uncertain"]["input"]
    doc = run(stage, text)
    (kept,) = [e for e in doc.ledger if e.before == "strike\nbreakers"]
    assert (kept.rule, kept.status, kept.after) == ("kept-as-scanned", "applied", "strikebreakers")
    (e,) = [e for e in doc.ledger if e.before == "strikebreakers"]
    assert e.rule == "join-uncertain" and e.status == "queued" and e.batch == kept.batch + 1
    assert e.confidence < 1.0 and set(e.candidates) == {"strike-breakers", "strikebreakers"}
    assert e.after == e.candidates[0] == "strike-breakers"
    assert e.evidence["book_joined"] == 0 and e.evidence["book_hyphenated"] == 0 and e.note
    assert "with the strikebreakers of" in doc.text and "\n" not in doc.text.rstrip("\n")
    assert e.context.count("\u27e8strikebreakers\u2192strike-breakers\u27e9") == 1
    # accepted: the reading; rejected: the scan's text; all undone: the raw text
    assert "the strike-breakers of" in replay(text, doc.ledger, lambda x: x.in_output or x is e)
    assert replay(text, doc.ledger) == doc.text
    assert replay(text, doc.ledger, lambda x: False) == text


def test_an_open_join_is_applied_from_the_apply_threshold(stage):
    low = Dehyphenate({"apply_threshold": 0.5}, lexicon=stage.lexicon)
    doc = run(low, CASES["uncertain"]["input"])
    (e,) = [e for e in doc.ledger if e.rule == "join-uncertain"]
    assert e.status == "applied" and "with the strike-breakers of" in doc.text
    off = Dehyphenate({"disable": ["join-uncertain"]}, lexicon=stage.lexicon)
    doc = run(off, CASES["uncertain"]["input"])
    assert "with the strike breakers of" in doc.text       # a join switched off: kept apart
    assert not [e for e in doc.ledger if e.rule in ("join-uncertain", "kept-as-scanned")]


@pytest.fixture(scope="module")
def book(stage):
    text = paragraphs(RAW.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    doc = run(stage, text)
    return text, doc, time.perf_counter() - t0


def test_book_layout_contract(book):
    text, doc, _ = book
    out = doc.text
    assert out.endswith("\n") and not out.endswith("\n\n")
    assert "\n\n\n" not in out
    for para in out[:-1].split("\n\n"):
        assert para and "\n" not in para
        assert para == para.strip(" \t")



def test_book_undo_gives_the_input_back(book):
    text, doc, _ = book
    assert replay(text, doc.ledger, lambda e: False) == text
    assert replay(text, doc.ledger) == doc.text


@pytest.mark.parametrize("expected", CASES["book"])
def test_book_evidence(book, expected):
    """Decisions that need the book's own counts (the pair alone is not enough)."""
    out = book[1].text
    if expected.get("expect") == "fail":
        assert expected["contains"] not in out
    else:
        assert expected["contains"] in out
        for bad in expected.get("not", ()):
            assert bad not in out


def test_book_output_is_a_fixed_point(stage, book):
    """Run again on its own output, the stage finds nothing left to join."""
    again = run(stage, book[1].text)
    assert again.text == book[1].text
    assert len(again.ledger) == 0


def test_book_uncertain_edits_carry_both_readings(book):
    led = book[1].ledger
    unsure = [e for e in led if e.rule == "join-uncertain"]
    kept = {e.raw_start: e for e in led if e.rule == "kept-as-scanned"}
    assert {e.status for e in unsure} == {"applied", "queued"}
    for e in unsure:
        assert e.confidence < 1.0 and len(e.candidates) >= 2 and e.after == e.candidates[0]
        assert "\n" not in e.after and e.note
        if e.status == "queued":    # over the scan's text: the same raw span, the next batch
            k = kept[e.raw_start]
            assert (k.raw_end, k.after, k.batch + 1) == (e.raw_end, e.before, e.batch)
        else:                       # the reading is the scan's own text
            assert e.after == e.before.replace("\n", "")


# -- the shortcuts of the fast path give what the plain regexes give -------------------------
TRICKY = ("Lenin's (1929-30) \"five-year\" plan, so-called; \u0130stanbul \u00bd x'y -z a--b don\u2019t. "
          "seven-year-Iong Bolshevik-Leninists, 'Left' ThermidOl\ufffd (S.1.) v.v. - 1- -Right \t\n")


def test_count_tokens_is_token_findall():
    text = TRICKY + paragraphs(RAW.read_text(encoding="utf-8")[:200_000])
    plain, compounds = count_tokens(text)
    assert plain + compounds == collections.Counter(TOKEN.findall(text))
    assert not any("-" in t for t in plain) and all("-" in t for t in compounds)


@pytest.mark.parametrize("text", ["", "x", "a-\x1cb c\x85d e\xa0f g\u2028h-i \ud800j k\u212a'l",
                                  "\u0130I\u00df-1 -- 'q'"])
def test_count_tokens_odd_characters(text):
    """Whitespace beyond ASCII, control characters and lone surrogates: the same tokens."""
    plain, compounds = count_tokens(text)
    assert plain + compounds == collections.Counter(TOKEN.findall(text))


@pytest.mark.parametrize("left, right", [
    ("the revo", "lution"), ("in-", "dustrial"), ("x" * 90, "tail"), ("a " + "y" * 85, "z"),
    ("so-", "called"), ("the Bolshevik-Le", "ninists"), ("(so", "called)"), ("his", "-torical"),
    ("tab\tword", "x"), ("don\u2019t", "care"), ("\u0130t", "s"), ("luck !", "consists"), ("1929", "30"),
    ("a", "word's"), ("a", "co-op"), ("a", "caf\u00e9"), ("a", "x1y,"), ("a", "it\u2019s"), ("a", "ab-"),
    ("a", "ab'"), ("a", "ab--c"), ("a", "\u00e9t\u00e9"), ("a", "A1."), ("a", "b\u0301c"),
])
def test_tokens_at_a_break_are_the_regex_matches(left, right):
    text = "A line \n" + left + "\n" + right + " end\n"
    s = text.index("\n", 8)
    e, ls = s + 1, text.rfind("\n", 0, s) + 1
    lm, rm = TOKEN_AT_END.search(text, max(ls, s - 80), s), TOKEN.match(text, e)
    want = (lm.group() if lm else None, lm.end() if lm else s, rm.group() if rm else None)
    assert tokens_at(text, s, e, ls) == want


def _separate_in_lowered_text(text: str, a: str, b: str) -> int:
    """``a b`` counted in ``text.lower()`` as it reads (the plain form of ``separate``)."""
    low, needle = text.lower(), f"{a} {b}".lower()
    n, i = 0, low.find(needle)
    while i >= 0:
        j = i + len(needle)
        if (i == 0 or not word_char(low[i - 1])) and (j == len(low) or not word_char(low[j])):
            n += 1
        i = low.find(needle, j)
    return n


@pytest.mark.parametrize("text", [
    "So called, so called-so called\u00e9 \u00c9so called so calledX (so called) so called",
    "had had had had. Had Had \u03a3had had\u03a3 \u2019had had\u2019 \ud800had had\ud800 had had",
    "\u0130so called \u0130 so called so called",          # lowered beyond ASCII into ASCII
    "\u212aing so called, king so called",
    "no such pair \u00fc\u00df",
])
@pytest.mark.parametrize("a, b", [("so", "called"), ("had", "had"), ("So", "Called"), ("i\u0307so", "called"),
                                  ("\u00e9so", "called"), ("king", "so"), ("\u00fc\u00df", "so")])
def test_separate_is_the_count_in_the_lowered_text(text, a, b):
    book = BookCounts(text, collections.Counter())
    assert book.separate(a, b) == _separate_in_lowered_text(text, a, b)
    assert book.separate("so", "called") == _separate_in_lowered_text(text, "so", "called")


@pytest.mark.parametrize("marks, ordinary", [("-", False), ("-", True), ("-\u00ac", True), ("", True)])
def test_break_runs_and_the_commonest_space_joins(marks, ordinary):
    """The break pattern finds the runs the plain pattern finds; its group 1 only where the run
    is a space-join that starts one character before its newline, its group 2 (ordinary OCR)
    only where the run is a bare line end that the stage joins with a space (not a hyphen mark
    after a letter or digit: ``str.isalnum``, which ``_`` is not), group 3 where it holds 2+."""
    import random
    pattern = breaks_from_nl(marks, ordinary)
    assert (pattern is BREAK_FROM_NL) == (not ordinary)
    plain = re.compile(r"\n(?:([ \t]*\n)+)?[ \t]*")
    rnd = random.Random(7)
    for _ in range(4000):
        text = "".join(rnd.choice("ab \t\n\n-.\u00ac_\u00e91") for _ in range(rnd.randrange(0, 16)))
        got, want = list(pattern.finditer(text)), list(plain.finditer(text))
        assert [m.span() for m in got] == [m.span() for m in want]
        for m, w in zip(got, want):
            assert (m.lastindex == 3) == bool(w.lastindex)
            nl, e = w.span()
            s = nl
            while s and text[s - 1] in " \t":
                s -= 1
            space_join = s < nl and s and e < len(text) and not w.lastindex
            bare_join = (ordinary and s == nl and s and e < len(text) and not w.lastindex
                         and not (text[s - 1] in marks and s > 1 and text[s - 2].isalnum()))
            if m.lastindex == 1:
                assert space_join and s == nl - 1
            assert (m.lastindex == 2) == bool(bare_join)


def test_a_join_rule_switched_off_keeps_the_halves_apart_on_one_line():
    raw = "The in-\ndustrial workers of the trade-\nunion movement met in 1929-\n30 at the hall.\n"
    on = clean_text(raw)
    assert on.text == "The industrial workers of the trade-union movement met in 1929-30 at the hall.\n"
    cfg = Config.from_dict({"stages": {"dehyphenate": {"disable": ["soft-hyphen", "range"]}}})
    off = clean_text(raw, config=cfg)
    # the joins of the rules switched off are not made, and no line break stays in the paragraph
    assert off.text == "The in- dustrial workers of the trade-union movement met in 1929- 30 at the hall.\n"
    assert not any(e.rule in ("soft-hyphen", "range") for e in off.edits)
    apart = [e for e in off.edits if e.stage == "dehyphenate" and e.rule == "space-join" and "\n" in e.before]
    assert [e.before for e in apart] == ["in-\ndustrial", "1929-\n30"]
    assert all("switched off" in e.note for e in apart)
