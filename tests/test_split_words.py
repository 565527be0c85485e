"""split_words: real stretches of the scan, joined (or not) in the context of the whole book.

The stage weighs the book's own vocabulary, so every case is run inside the book: the raw
scan, its lines naively joined into paragraphs (the form dehyphenate hands over), with the
cases appended as paragraphs of their own.  One run of the stage serves all cases.
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from ocr_clean.config import DEFAULT_ORDER
from ocr_clean.document import Document
from ocr_clean.ledger import APPLIED, QUEUED, replay
from ocr_clean.lexicon import BookVocab, Lexicon
from ocr_clean.stages import REGISTRY
from ocr_clean.stages.split_words import SplitWords
from ocr_clean.stages.split_words.scanners import (CHAIN, LETTERS, SPACE_DIGIT, SPLIT_NUMBER, YEARS_ALONE, for_text,
                                                   number_matches, pair_matches)

from .conftest import RAW_BOOK

CASES = json.loads((Path(__file__).parent / "cases" / "split_words.json").read_text(encoding="utf-8"))["cases"]


def joined_book() -> str:
    """The raw scan, one paragraph a line: a line ending in a space continues with a space,
    one ending without continues the word (as dehyphenate will hand the text over)."""
    raw = RAW_BOOK.read_text(encoding="utf-8")
    paras = []
    for block in re.split(r"\n[ \t]*\n", raw):
        lines = block.split("\n")
        text = "".join(ln.rstrip() + " " if ln.endswith(" ") else ln for ln in lines[:-1]) + lines[-1]
        text = re.sub(r" +", " ", text).strip()
        if text:
            paras.append(text)
    return "\n\n".join(paras) + "\n"


@pytest.fixture(scope="module")
def book() -> str:
    return joined_book()


@pytest.fixture(scope="module")
def run(book):
    """The stage over the book + the cases: for each case its output and queued joins."""
    text = book
    spans = []
    for case in CASES:
        text += "\n" + case["input"] + "\n"
        spans.append((len(text) - len(case["input"]) - 1, len(text) - 1))
    doc = Document(text)
    stage = SplitWords(None, Lexicon.load())
    t0 = time.perf_counter()
    edits = stage.propose(text, doc)
    seconds = time.perf_counter() - t0
    results = []
    for s, e in spans:
        mine = sorted((x for x in edits if x.start >= s and x.end <= e), key=lambda x: x.start)
        out, pos = [], s
        for x in mine:
            if x.status == APPLIED:
                out += [text[pos:x.start], x.after]
                pos = x.end
        out.append(text[pos:e])
        results.append(("".join(out), [x for x in mine if x.status == QUEUED], [x for x in mine if x.status == APPLIED]))
    return dict(text=text, edits=edits, results=results, seconds=seconds, doc=doc)


def _params():
    out = []
    for i, case in enumerate(CASES):
        marks = [pytest.mark.xfail(strict=True, reason=case["name"])] if case.get("expect") == "fail" else []
        out.append(pytest.param(i, id=case["name"][:60], marks=marks))
    return out


@pytest.mark.parametrize("i", _params())
def test_case(run, i):
    case = CASES[i]
    output, queued, applied = run["results"][i]
    assert output == case.get("output", case["input"])
    for word in case.get("queued", ()):
        assert word in [q.after for q in queued], f"{word!r} not queued: {[q.after for q in queued]}"
    if "rule" in case:
        assert applied and all(x.rule == case["rule"] for x in applied), [(x.rule, x.after) for x in applied]


def test_scan_cases_are_real_text_of_the_scan(book):
    for case in CASES:
        if case["source"] == "scan":
            assert case["input"] in book, case["name"]


def test_every_edit_is_named_scored_and_queued_ones_ranked(run):
    edits = run["edits"]
    assert len(edits) > 300
    rules = {e.rule for e in edits}
    assert {"split-word", "letter-spaced", "split-number"} <= rules
    for e in edits:
        assert 0.0 < e.confidence <= 1.0
        before = run["text"][e.start:e.end]
        assert e.after.replace(" ", "") == before.replace(" ", "")   # only spaces are removed
        if e.status == QUEUED:
            assert e.candidates[0] == e.after and before in e.candidates


def test_layout_is_kept_and_undo_gives_the_input_back(run):
    doc: Document = run["doc"]
    doc.apply("split_words", run["edits"])
    assert doc.text.count("\n") == run["text"].count("\n")
    assert "  " not in doc.text.replace("\n", "")
    assert replay(run["text"], doc.ledger, lambda e: False) == run["text"]


def test_registered_between_dehyphenation_and_confusions():
    assert REGISTRY["split_words"] is SplitWords
    assert DEFAULT_ORDER.index("dehyphenate") < DEFAULT_ORDER.index("split_words") < DEFAULT_ORDER.index("confusion")


def test_short_text_without_book_evidence_changes_only_clear_splits():
    # a few lines alone: only English evidence; a common word is still joined,
    # two real words never are
    stage = SplitWords(None, Lexicon.load())
    text = "He sat at a round table, wi thin the room; i t was in to the night.\n"
    edits = {(text[e.start:e.end], e.after, e.status) for e in stage.propose(text)}
    assert ("wi thin", "within", APPLIED) in edits
    assert not any(b in ("a round", "in to") for b, _a, _s in edits)


def test_heavy_noise_gives_edits_that_never_overlap(book):
    # a bad stretch everywhere: words letter-spaced or cut in two.  Document.apply refuses
    # overlapping edits; a cut is mended or left, and the text's own spaces stay
    import random

    rng = random.Random(7)
    clean = "\n\n".join(book.split("\n\n")[200:400]) + "\n"
    out, cuts = [], 0
    for w in clean.split(" "):
        r = rng.random()
        if w.isalpha() and len(w) > 1 and r < 0.04:
            out.append(" ".join(w))
            cuts += 1
        elif w.isalpha() and len(w) > 1 and r < 0.08:
            k = rng.randint(1, len(w) - 1)
            out.append(w[:k] + " " + w[k:])
            cuts += 1
        else:
            out.append(w)
    noisy = " ".join(out)
    stage = SplitWords(None, Lexicon.load())

    def cleaned(text):
        doc = Document(text)
        doc.apply("split_words", stage.propose(text, doc))
        assert doc.text.replace(" ", "") == text.replace(" ", "")
        return doc.text

    def spaces(text):     # where the spaces are, counted in letters
        out, n = set(), 0
        for c in text:
            if c == " ":
                out.add(n)
            else:
                n += 1
        return out

    added = spaces(noisy) - spaces(clean)
    base, mended = spaces(cleaned(clean)), spaces(cleaned(noisy))
    assert cuts > 1000
    assert len(added - mended) > 0.5 * len(added)      # most added spaces removed (2/3 today)
    assert len(base - mended) <= 2                     # (almost) no space of the text removed (0 today)


def test_patterns_for_the_text_match_as_the_general_ones():
    """The classes written for a text (ASCII + its own letters and digits) find what the
    Unicode categories find, on a text with letters, numbers and digits beyond ASCII."""
    text = ("Tro tsky  wi thin caf\u00e9 na\u00efve \u00bd ma ke \u00c9 COLE 1 930, \u0663\u0661 \u0664 "
            "193 1 \u00b2 x \u2167 iv \u017f o 19 31-32 a\u0301 b")
    chain, letters, split_number, space_digit = for_text(text)
    for general, fast in ((CHAIN, chain), (LETTERS, letters), (SPLIT_NUMBER, split_number),
                          (SPACE_DIGIT, space_digit)):
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in general.finditer(text)]


def test_split_numbers_found_from_their_spaces():
    """``number_matches`` (tried only before a space and a digit) finds what ``SPLIT_NUMBER``
    finds, on numbers of every shape, glued to words and marks, at both ends of the text."""
    import random

    rng = random.Random(5)
    bits = ["1", "19", "193", "1930", "2", "31", " ", " ", "  ", "a", "x1", ",", ".", "-", "'", "\u0663"]
    for _ in range(300):
        text = "".join(rng.choice(bits) for _ in range(rng.randint(1, 30)))
        _, _, split_number, space_digit = for_text(text)
        assert ([m.span() for m in number_matches(split_number, space_digit, text)]
                == [m.span() for m in SPLIT_NUMBER.finditer(text)])


def test_years_standing_alone_counted_at_once_as_one_by_one():
    """One search for any of the years (``YEARS_ALONE``) counts each as its own search for it
    standing alone would, beside letters, digits, marks and line ends."""
    import collections
    import random

    rng = random.Random(3)
    years = ["1930", "1931", "19\u0663\u0660"]
    bits = years + ["1", "x", "\u00e9", " ", "\n", ".", "-", "_", "'"]
    for _ in range(1000):
        text = "".join(rng.choice(bits) for _ in range(rng.randint(1, 12)))
        counts = collections.Counter(re.findall(YEARS_ALONE.format("|".join(years)), text))
        for y in years:
            assert counts[y] == len(re.findall(rf"{y}(?<!\w{y})(?!\w)", text))


def test_pair_matches_as_the_scan_of_the_pattern():
    """``pair_matches`` (tried only where the text, ASCII letters lowered, holds a pair) finds
    what the case-insensitive pattern finds, in any case, beside letters beyond ASCII and the
    letters beyond ASCII that match a-z ignoring case."""
    import random

    rng = random.Random(7)
    pairs = ["it self", "a round", "in to", "ask ed"]
    pat = re.compile(r"(?<![\w'\u2019])(?:%s)(?![\w'\u2019])" % "|".join(map(re.escape, pairs)), re.IGNORECASE)
    bits = ["it", "IT", "iT", "self", "SELF", "a", "A", "round", "in", "to", "TO", " ", " ", "'", "\u00e9",
            "\u00c9", "\u0131", "\u017f", "\u0130", "\u212a", "\u0663", "x", "as", "ed", "as\u212a"]
    texts = ["It SELF, as\u212a ed a round", "a \u017fo IN TO \u0131t self", "\u0130t self, it Self"]
    texts += ["".join(rng.choice(bits) for _ in range(rng.randint(1, 25))) for _ in range(2000)]
    for text in texts:
        assert [m.span() for m in pair_matches(pat, text, pairs)] == [m.span() for m in pat.finditer(text)]


def test_pair_candidates_as_cutting_every_frequent_word(book):
    """The pairs ``_pair_candidates`` takes from the pairs the book writes are those found by
    cutting every word the book writes often in two, with any thresholds."""
    text = book[:400_000]
    for queue_count, ratio in ((20, 50.0), (3, 2.0), (1, 0.5)):
        stage = SplitWords({"pair_queue_count": queue_count, "pair_queue_ratio": ratio}, Lexicon.load())
        stage._prepare(text)
        stage._count_split_uses()
        vocab = BookVocab.from_text(text)
        want = {}
        for w, k in vocab.lower.items():
            if k < queue_count or len(w) < 4 or not w.isalpha():
                continue
            for cut in range(1, len(w)):
                a, b = w[:cut], w[cut:]
                pair = vocab.pair(a, b)
                if pair and k >= ratio * pair and stage.piece(a)[0] and stage.piece(b)[0]:
                    want[(a, b)] = w
        assert len(want) >= 2
        assert stage._pair_candidates() == want


def test_only_chains_without_a_join_are_passed_over(book):
    """``_live`` is a superset: working through every chain that holds a weak piece gives the
    same joins, on the book with its own splits, words cut in two, letter-spaced words and
    capitals."""
    import random

    rng = random.Random(11)
    out = []
    for w in book[:300_000].split(" "):
        r = rng.random()
        if w.isalpha() and len(w) > 1 and r < 0.03:
            out.append(" ".join(w.upper() if r < 0.01 else w))
        elif w.isalpha() and len(w) > 1 and r < 0.08:
            k = rng.randint(1, len(w) - 1)
            out.append(w[:k] + " " + w[k:])
        else:
            out.append(w)
    text = " ".join(out)
    stage = SplitWords(None, Lexicon.load())
    stage._prepare(text)
    stage._count_split_uses()
    chain, letters, *_ = for_text(text)
    fast = stage._words(text, chain, letters)
    slow = []
    for m in chain.finditer(text):
        toks = m.group().split()
        if not all(stage.piece(t)[0] for t in toks):
            stage._chain(text, m, toks, letters, slow)
    assert len(fast) > 100
    assert fast == slow


def test_a_rule_switched_off_makes_none_of_its_joins_and_the_others_still_join():
    from ocr_clean import Config, clean_text

    raw = ("In 1930 and 1930 again, and in 1930, the His tory was written; December 1 930 it ended.\n")
    on = clean_text(raw, skip=["confusion", "words", "footnotes"])
    assert "December 1930" in on.text and "History" in on.text
    cfg = Config.from_dict({"stages": {"split_words": {"disable": ["split-number"], "year_confidence": 0.9}}})
    off = clean_text(raw, config=cfg, skip=["confusion", "words", "footnotes"])
    assert "December 1 930" in off.text and "History" in off.text
    assert not any(e.rule == "split-number" for e in off.edits)
