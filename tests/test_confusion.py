"""The confusion stage on the real scan: cases in tests/cases/confusion.json.

The stage runs once over the whole book (its evidence is the book's own vocabulary), with
the lines joined as the dehyphenate stage hands them on; each case is a real snippet of
that text, and its expected output is checked against the edits the stage made there.
"""
from __future__ import annotations

import collections
import json
import re
import time
from pathlib import Path

import pytest

import regex

from ocr_clean.channel import ConfusionModel, Reading, load_rules
from ocr_clean.document import Document
from ocr_clean.ledger import IN_OUTPUT, QUEUED
from ocr_clean.lexicon import Lexicon, book_words, data_file
from ocr_clean.stages import REGISTRY
from ocr_clean.stages.confusion import TOKEN, TOKEN_START, WORDISH, Confusion, _PairCounts, _Run, token_patterns

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
    path = data_file("confusions.tsv")
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


def test_readings_keep_their_rules_and_kept_letters():
    """The positions copied as they are: every position no rule used."""
    model = ConfusionModel.load()
    assert model.readings("clearel\ufffd", {"clearer", "clear"}.__contains__) == [
        Reading("clearer", 0.9, ("l\ufffd>r,",), (0, 1, 2, 3, 4, 5), True, True)]
    assert model.readings("COlnmunist", {"communist"}.__contains__) == [
        Reading("communist", 0.3, ("ln>m",), (0, 1, 4, 5, 6, 7, 8, 9), True, False)]
    assert model.readings("arti\ufffdles", {"articles"}.__contains__) == [
        Reading("articles", 0.3, ("\ufffd>?",), (0, 1, 2, 3, 5, 6, 7), True, False)]


# a text with what the fast paths must get right: letters outside ASCII, digits and lost
# glyphs inside words, apostrophes inside and around words, numbers between words
TRICKY = ("L'\u00e9t\u00e9 d\u00e9j\u00e0 1930 the War, the war's end; 'tis WaI\ufffd war1 "
          "Stra\u00dfe \u03a3\u03bf\u03c6\u03af\u03b1 ab'1cd 12'ab o'clock War\n\nwar: The war\u2019s WAR war")


def test_token_patterns_are_the_regex_ones():
    token, token_start = token_patterns(TRICKY)
    assert token.findall(TRICKY) == TOKEN.findall(TRICKY)
    for i in range(len(TRICKY) + 1):
        assert bool(token_start.match(TRICKY, i)) == bool(TOKEN_START.match(TRICKY, i))


def test_words_and_pairs_from_the_tokens(lexicon):
    """The tokens' counts made from the book's word counts are a count of the tokens; the
    word pairs counted from the tokens for the pairs wanted (and for one asked later) are
    BookVocab's bigrams', every pair of the text and some it does not have; the runs of
    letters around a word are what a regex over the text finds, for the first word asked
    and a later one."""
    run = _Run(Confusion(None, lexicon), TRICKY)
    assert run.exact == collections.Counter(TOKEN.findall(TRICKY))
    assert run.own == collections.Counter(t.lower() for t in TOKEN.findall(TRICKY))
    low = [w.lower() for w in book_words(TRICKY)]
    bigrams = collections.Counter(zip(low, low[1:]))
    wanted = set(bigrams) | {("no", "such"), ("war1", "stra\u00dfe"), ("1930", "the"), ("ab", "cd")}
    pairs = _PairCounts(run, wanted)
    assert dict(pairs) == {p: bigrams[p] for p in wanted}
    pairs = _PairCounts(run, {("the", "war")})
    assert pairs["war", "war"] == bigrams["war", "war"] > 0 and ("war", "war") in pairs
    # spellings beyond small, Capitalized and CAPITALS; stretches of numbers between words,
    # and at the text's ends
    odd = "12 McDonald said MCDONALD mcdonald 3 4 McDONALD Said 5x6 said\ufffd said mcDonald 7"
    other = _Run(Confusion(None, lexicon), odd)
    assert other.exact == collections.Counter(TOKEN.findall(odd))
    low = [w.lower() for w in book_words(odd)]
    bigrams = collections.Counter(zip(low, low[1:]))
    wanted = set(bigrams) | {("said", "said"), ("x", "mcdonald"), ("12", "mcdonald")}
    assert dict(_PairCounts(other, wanted)) == {p: bigrams[p] for p in wanted}

    def around(word):
        if not WORDISH.fullmatch(word):
            return collections.Counter(), collections.Counter()     # no run of letters of its own
        w = regex.escape(word)
        found = regex.findall(w + r"(?<!\p{L}" + w + r")(?!\p{L})(?:(?<=(\p{L}+)\P{L}+" + w
                              + r"))?(?:(?=\P{L}+(\p{L}+)))?", TRICKY)
        return (collections.Counter(p for p, _ in found if p), collections.Counter(n for _, n in found if n))

    for word in ["War", "war", "ab", "cd", "The", "\u00e9t\u00e9", "s", "WaI", "nowhere", "war1"]:
        assert run.word_pairs(word) == around(word), word


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


def test_the_walks_word_test_is_is_word(lexicon):
    """The readings walk asks is_word through one bound function (word_test): the same
    answers as the method, for the text's tokens, their lower-case forms, short words, the
    user's words and forms no list knows."""
    run = _Run(Confusion(None, lexicon), TRICKY)
    test = run.word_test()
    asked = set(TOKEN.findall(TRICKY)) | {t.lower() for t in TOKEN.findall(TRICKY)}
    asked |= {"a", "i", "x", "", "the", "lnost", "most", "zzqx", "stra\u00dfe", *lexicon.user_lower}
    assert [test(w) for w in sorted(asked)] == [run.is_word(w) for w in sorted(asked)]
    assert test("the") and not test("zzqx") and test("a") and not test("x")
