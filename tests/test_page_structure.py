"""The page_structure stage: heads, page numbers and page-start spaces out, paragraphs in.

Cases are real excerpts of the scan (tests/cases/page_structure.json), run through
Document + this stage alone; plus the whole book (contract, decoys, the heads removed,
speed) and inputs of any shape.
"""
from __future__ import annotations

import json
import re
import time

import pytest

from ocr_clean.document import Document
from ocr_clean.ledger import APPLIED, QUEUED, replay
from ocr_clean.stages import REGISTRY
from ocr_clean.stages.page_structure import PageStructure

from .conftest import RAW_BOOK, ROOT, raw_lines

CASES = json.loads((ROOT / "tests" / "cases" / "page_structure.json").read_text(encoding="utf-8"))["cases"]
HEAD_RULES = ("running-head", "page-number")


def run(text: str) -> Document:
    doc = Document(text)
    PageStructure()(doc)
    return doc


def check_contract(out: str) -> None:
    if not out:
        return
    assert out.endswith("\n") and not out.endswith("\n\n")
    assert not out.startswith("\n")
    assert "\n\n\n" not in out
    for para in out[:-1].split("\n\n"):
        assert para.strip(), "empty paragraph"
        for line in para.split("\n"):
            assert line.strip(), "blank line inside a paragraph"
            assert not line[:1].isspace(), f"leading space kept: {line!r}"


@pytest.mark.parametrize("case", [c for c in CASES if c["expect"] == "pass"], ids=lambda c: c["id"])
def test_case(case):
    raw = raw_lines(*case["lines"])
    doc = run(raw)
    assert doc.text == case["output"]
    check_contract(doc.text)
    applied = [e for e in doc.ledger if e.status == APPLIED]
    removed = [e.before.strip() for e in applied if e.rule in HEAD_RULES and e.before.strip()]
    for head in case.get("removed", []):
        assert head in removed, f"{head!r} not removed"
        assert head not in doc.text
    for decoy in case.get("kept", []):
        assert decoy in doc.text, f"decoy {decoy!r} lost"
        assert not any(decoy in e.before and e.in_output for e in doc.ledger), f"{decoy!r} edited"
    rules = {e.rule for e in applied}
    for rule in case.get("rules", []):
        assert rule in rules, f"no {rule} edit"
    # the raw text comes back from the ledger
    assert replay(raw, doc.ledger, lambda e: False) == raw
    assert replay(raw, doc.ledger) == doc.text


@pytest.mark.parametrize("case", [c for c in CASES if c["expect"] == "fail"], ids=lambda c: c["id"])
def test_known_failure(case):
    """Still wrong: when this starts passing, move the case to 'pass'."""
    doc = run(raw_lines(*case["lines"]))
    assert doc.text != case["output"], "fixed: mark the case expect=pass"


# -- the whole book ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def book():
    raw = RAW_BOOK.read_text(encoding="utf-8")
    t0 = time.perf_counter()
    doc = run(raw)
    return raw, doc, time.perf_counter() - t0


def test_book_contract_and_speed(book):
    raw, doc, seconds = book
    check_contract(doc.text)
    assert replay(raw, doc.ledger, lambda e: False) == raw
    assert replay(raw, doc.ledger) == doc.text


def test_book_heads_and_numbers(book):
    """One removal per surviving head or number (the book has about 35); none is a decoy."""
    raw, doc, _ = book
    removals = [e for e in doc.ledger if e.rule in HEAD_RULES and e.before.strip()]
    applied = [e for e in removals if e.status == APPLIED]
    assert 30 <= len(applied) <= 40
    lines = raw.split("\n")
    for e in removals:
        text = e.before.strip()
        assert e.after == ""
        # a head: "TITLE / N" or "N / TITLE"; a number: a few digits and the scan's marks
        assert "/" in text or re.fullmatch(r"[\d:.\[\]\-)' ]{1,8}", text), text
    removed_lines = {e.raw_line + k for e in removals for k in range(e.before.count("\n") + 1)}
    for decoy in (":1930", "228", "September 25/ 1931"):
        nums = [i + 1 for i, ln in enumerate(lines) if ln.strip() == decoy]
        assert nums, decoy
        assert not removed_lines & set(nums), f"decoy {decoy!r} removed"
        assert re.search(rf"(?m)^{re.escape(decoy)}\s*$", doc.text), decoy
    # the notes section keeps its numbered entries, each starting a paragraph
    notes = doc.text[doc.text.index("Notes and acknowledgments"):]
    for n in (1, 2, 3, 91, 92, 228, 282):
        assert re.search(rf"(?m)(^|\n\n){n}\. ", notes), n


def test_book_page_starts_and_blank_runs(book):
    raw, doc, _ = book
    n_starts = sum(1 for ln in raw.split("\n") if ln.startswith(" ") and ln.strip())
    spaces = [e for e in doc.ledger if e.rule == "page-start-space"]
    assert len(spaces) >= n_starts - 5     # a few page starts are heads or numbers
    assert "\n " not in doc.text


def test_book_notes_moved(book):
    """Page-foot notes leave the sentence they cut and follow its paragraph."""
    _, doc, _ = book
    text = doc.text
    for start, resumed in (("* In reality, under the conditions", "rect road and we are prepared to offer you our most loyal coop-\neration"),
                           ("* Unfortunately, I am obliged", "Ther-\nmidorean reaction")):
        assert resumed in text
        assert text.index(resumed) < text.index(start)
        assert text[text.index(start) - 2:text.index(start)] == "\n\n"
    # a note the page cut goes on at the foot of the next page: one note again
    assert "serious face that his \nplatform be made the basis of the platform" in text
    assert "at the April confer-\nence of the International Opposition" in text


# -- any input ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "", "\n", "\n\n\n", " ", "   \n  \n", "34", "34\n", "no pages at all", "a line\nanother line",
    "The end.\n\n\n\n\nNext article\n", "revo-\n\nlution\n", " page start\n", "* a note\n",
    "TITLE OF IT / 12\n", "12 / TITLE OF IT\n\ntext\n", "x\n\n\n\n12\n \ny", "\n\n* n\n 3\n\n\n",
    "\u00b9", "x\n\n\u00b9\u00b2\n\ny\n", "T / \u0663\u0664\n", "a\u2028b\n\n\u00a0\n", "\x00\n\n\x0c",
])
def test_any_input(text):
    doc = run(text)
    assert replay(text, doc.ledger, lambda e: False) == text
    assert replay(text, doc.ledger) == doc.text
    if text.strip() and not any(e.status == QUEUED for e in doc.ledger):
        check_contract(doc.text)


def test_already_joined_text_is_left_alone(book):
    """Paragraphs of one line each (the form after dehyphenate) need nothing more."""
    _, doc, _ = book
    joined = "\n\n".join(re.sub(r"\s*\n", " ", p).strip() for p in doc.text[:-1].split("\n\n")) + "\n"
    joined = joined.replace(" \n", "\n")
    again = run(joined)
    assert again.text == joined


def test_registered():
    assert REGISTRY["page_structure"] is PageStructure


def test_heads_that_lost_their_slash_or_number(book):
    """Another scan of the same habits may lose a head's slash or its number: the number's
    fit to the page sequence, or the title repeated by other heads, still finds them."""
    raw, doc, _ = book
    variants = {
        "266 / WRITINGS OF LEON TROTSKY (1.930-31.)": "WRITINGS OF LEON TROTSKY (1.930-31.)",
        "NOTES OF A JOURNALIST / 285": "NOTES OF A JOURNALIST 285",
        "PRINCIPLED AND PRACTICAL QUESTIONS / 293": "PRINCIPLED AND PRACTICAL QUESTIONS I 293",
    }
    changed = raw
    for old, new in variants.items():
        assert changed.count(old) == 1
        changed = changed.replace(old, new)
    other = run(changed)
    removed = {e.before.strip() for e in other.ledger if e.rule == "running-head" and e.in_output}
    assert set(variants.values()) <= removed
    assert other.text == doc.text


# -- the fast paths keep the plain definitions ---------------------------------------------------
ODD_TEXT = ("x\n\u3000\n \xa0Text after odd spaces \n\x1c\nnext 12\n(a) item\n 3 / HEAD\n"
            "\t\n\u2028line\r\n\n1. one\n" + "a full line of text, long enough to count  \n" * 30)


def stage_state(text: str, config: dict | None = None) -> PageStructure:
    st = PageStructure(config)
    st._propose(text)
    return st


@pytest.mark.parametrize("text", [ODD_TEXT, "\n\n x\n", "only\n", " first line led\nsecond\n  third", " x"])
def test_whole_text_scans_find_the_lines_a_loop_would(text):
    st = stage_state(text)
    lines = text.split("\n")
    assert st.lead == [bool(ln.strip()) and ln[:1].isspace() for ln in lines]
    assert st.after_blank == [i for i in range(1, len(lines))
                              if not lines[i - 1].strip() and lines[i].strip()]
    assert st.number_lines == [i for i, ln in enumerate(lines) if re.search(r"[0-9/]", ln)]


@pytest.mark.parametrize("window", [150, 73, 0])
def test_widths_are_medians_of_their_window(book, window):
    raw = book[0][:60000] + ODD_TEXT
    st = stage_state(raw, {"width_window": window})
    lens = [len(s) for s in st.strip]
    for i in range(0, st.n, 50):
        lo, hi = max(0, i - window), min(st.n, i + 50 + window)
        sample = sorted(x for x in lens[lo:hi] if x >= 25)
        if len(sample) < 10:
            sample = sorted(x for x in lens if x >= 25) or [60]
        assert st.width[i:i + 50] == [float(sample[len(sample) // 2])] * len(st.width[i:i + 50])


def test_undecided_pairs_are_lines_of_one_paragraph(book):
    """_decide leaves out pairs of adjacent full lines: _decide_one keeps each in its paragraph."""
    st = stage_state(book[0])
    content = [i for i in range(st.n) if not st.blank[i] and i not in st.block_at]
    gaps = st._decide(content, [])
    skipped = [x for x in range(len(content) - 1) if x not in gaps]
    assert len(skipped) > len(content) // 2
    for x in skipped:
        g = st._decide_one(content[x], content[x + 1], 0, [])
        assert (g.sep, g.rule) == ("\n", "line")


def test_first_letter_after_stray_marks_as_the_plain_definition():
    """_first_of finds the first character after stray marks by one match: the same as
    deleting the marks and looking at what is left."""
    junk = re.compile(r"""^[\s.,;:·'"\u2018\u2019\u201c\u201d(\[]+""")
    lines = ["", ".", "(\u201c ", "..., word", "\u2018(a) item", "'Word", "  ;:\u00e9t\u00e9",
             "(3) three", "[\u00c9cole", "\u00b7\u00b7 -dash", "\t.\u3000x"]
    st = stage_state("\n".join(lines) + "\n")
    for i, s in enumerate(lines):
        rest = junk.sub("", s.strip())
        want = "o" if not rest else (
            ("U" if re.match(r"""^["'\s]*\(\s?[a-z]\s?\)\s""", s.strip()) else "l")
            if rest[0].islower() else "U" if rest[0].isupper() or rest[0].isdigit() else "o")
        assert st._first_of(i) == want, s


@pytest.mark.parametrize("text", [ODD_TEXT, "1. one\n (2) two\n3 ) x\n12.\u3000y\n1234. z\n(5.\tw\n4.x\n",
                                  "\u00a0(7) a\n\r9. \r\n\u0663) arabic digit\n"])
def test_list_item_scan_finds_the_lines_a_loop_would(text):
    from ocr_clean.stages.page_structure import _LIST_ITEM, _LIST_ITEM_LINE
    st = stage_state(text)
    assert st._lines_where(_LIST_ITEM_LINE) == [
        i for i, ln in enumerate(text.split("\n")) if _LIST_ITEM.match(ln.strip())]


@pytest.mark.parametrize("s", ["", "abc XYZ", "\u00e9t\u00e9 z", "lone \ud800 surrogate a", "\u0430\u0431 q"])
def test_ascii_lower_counts_as_a_loop_would(s):
    from ocr_clean.stages.page_structure import _ascii_lower
    assert _ascii_lower(s) == sum("a" <= c <= "z" for c in s)


@pytest.mark.parametrize("text, spaced", [(ODD_TEXT, True), ("\n\n x\n", False), ("only\n", False),
                                          ("a \nb\nc\n", True), ("a \nb \nc\n\n \n", True),
                                          ("a\nb\nc \nd\ne\nf\ng\nh\n", False)])
def test_spaced_text_is_the_profiles_line_end_habit(text, spaced):
    # the trailing-space habit comes from the scan profile (ocr_clean.profile), measured once
    assert stage_state(text).spaced is spaced


def _plain_page_chain(st: PageStructure, cands: list[tuple]) -> list[tuple[int, int]]:
    """_page_chain as first written: every one of the last MAX_BACK readings tried."""
    from ocr_clean.stages.page_structure.patterns import MAX_BACK
    lpp = st._lines_per_page()
    exact = [(c, st._values(c[3])[0]) for c in cands if "?" not in c[3]]
    m = len(exact)
    best, prev = [0.0] * m, [-1] * m
    for j in range(m):
        cj, vj = exact[j]
        wj = 0.5 if cj[2] == "head-noslash" else (3.0 if cj[2] == "head" else 1.0) + (1.0 if cj[4] else 0.0)
        bj, pj = wj, -1
        for i2 in range(max(0, j - MAX_BACK), j):
            vi = exact[i2][1]
            if vi >= vj:
                continue
            dl = (cj[0] - exact[i2][0][0]) / lpp
            if abs((vj - vi) - dl) <= 3 + 0.35 * dl and best[i2] + wj > bj:
                bj, pj = best[i2] + wj, i2
        best[j], prev[j] = bj, pj
    chain = []
    if m:
        j = max(range(m), key=lambda x: best[x])
        while j >= 0:
            chain.append((exact[j][0][0], exact[j][1]))
            j = prev[j]
    return chain[::-1]


@pytest.mark.parametrize("seed", range(6))
def test_page_chain_looks_at_the_readings_by_value_as_at_all_of_them(seed):
    """_page_chain tries as predecessors only the readings of the window whose value is close
    enough: the same chain as trying every one, on random readings (pages in order with gaps,
    repeats, wildcards, years, numbers of a list; several page lengths)."""
    import random
    rnd = random.Random(seed)
    st = stage_state("text\n")
    for lpp in (40, 12.5, 3):
        st.lpp = lpp
        line, page, cands = 0, rnd.randrange(1, 50), []
        for _ in range(rnd.randrange(50, 400)):
            line += rnd.randrange(1, 90)
            r = rnd.random()
            page = page + 1 if r < 0.5 else page + rnd.randrange(-3, 8) if r < 0.8 else rnd.randrange(1, 2000)
            num = str(max(0, page)) if rnd.random() > 0.1 else str(page)[:-1] + "?"
            kind = rnd.choice(["head", "number", "number", "head-noslash"])
            cands.append((line, line, kind, num, rnd.random() < 0.5))
        assert st._page_chain(cands) == _plain_page_chain(st, cands)


def test_first_letters_read_at_once_are_the_lines_own():
    """With most lines short, _decide reads every line's first letter at once (a table of the
    first characters met): each is what _first_of reads of the line alone."""
    lines = ["The", "war", "(a) item", "\u2018quoted", "", "1930", "\u00e9t\u00e9", "\u00c9cole", "...x",
             "\u0661 arabic", "\u1e9e", "\u2160 roman", "x"] * 30
    st = stage_state("\n".join(lines) + "\n")
    memo = st._first_memo
    assert sum(m is not None for m in memo) > len(lines) // 2
    for i, m in enumerate(memo):
        if m is not None:
            assert m == st._first_of(i), lines[i]


@pytest.mark.parametrize("line", ["THE HEAD", "New York, 1930", "the end", "(a) Item", "A b", "\u2018Moscow\u2019",
                                  "Leon Trotsky and", "One Two Three Four Five Six", "1 2 3 4 5 6 7", ". .",
                                  "\u00c9cole \u00e9t\u00e9", "\u00c9cole Normale", "To", "x"])
def test_capwords_as_the_plain_definition(line):
    """_capwords_of splits with str.split and reads a word's first letter from the table of
    first characters: the same as the pattern \\S+ and the junk pattern on every word."""
    from ocr_clean.stages.page_structure.patterns import _AFTER_JUNK
    st = stage_state("\n".join([line, "a full line of text, long enough to count  "] * 20) + "\n")
    words = re.findall(r"\S+", line)
    want = (st._short(0, "very_short_ratio") and 0 < len(words) <= 6
            and not any((m := _AFTER_JUNK.match(w)) and m.group(1).islower() for w in words)
            and words[-1].lower() not in st.t.joiners)
    assert st._capwords_of(0) == bool(want)
