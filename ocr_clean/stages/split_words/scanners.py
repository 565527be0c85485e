"""The finding code of split_words: chains of letter runs, split numbers, pairs of words,
and the patterns made for a text (each checked against its plain regex reading in
``tests/test_split_words.py``)."""
from __future__ import annotations

import re

from ...ledger import Edit
from ...lexicon import beyond_ascii

# letter runs apart by spaces (two or more runs): where a split word can be
LETTER = r"[^\W\d_]"
# (it starts only where a run starts: tried inside a long run, ``LETTER+`` would give back one
# letter at a time at every start, time growing with the square of the run)
CHAIN = re.compile(rf"(?<!{LETTER}){LETTER}+(?: +{LETTER}+)+")
LETTERS = re.compile(rf"{LETTER}+")
SEP = "\x00\x00"      # between the chains in ``_words``/``_live``: no piece, in no word
# Two runs of digits standing apart; the first not attached to a word or a mark before it.
# (``\d(?<!\w\d)`` is ``\b\d`` written so that the search can skip to the next digit.)
SPLIT_NUMBER = re.compile(r"\d(?<!\w\d)\d{0,2}(?: \d{1,3}){1,3}(?![.,]\d)(?!\w)")
SPACE_DIGIT = re.compile(r" \d")      # the first space of a SPLIT_NUMBER: one to three digits after its start
NOT_BEFORE_NUMBER = set("_.,;:'\u2019/-")   # "UglanOV,1 13": a footnote marker, not ours
# any of given four-character numbers standing alone (``\b(?:NNNN|...)\b``), found by its digits first
YEARS_ALONE = r"(?:{0})(?<!\w....)(?!\w)"
YEAR = re.compile(r"1[5-9]\d\d|20\d\d")     # only years: "1 000" may be how a number is printed
_FOLD_TO_ASCII = "\u0131\u017f\u0130\u212a"   # letters beyond ASCII that match one of a-z ignoring case
APOSTROPHES = "'\u2019`"
CLITICS = frozenset({"s", "t", "d", "m", "ll", "re", "ve"})   # what follows an apostrophe: not a word start

# the word just before a place / just after it (for the context of a pair of words)
WORD_BEFORE = re.compile(r"([A-Za-z]+)[ ]+\Z")
WORD_AFTER = re.compile(r"[ ]+([A-Za-z]+)")


def spaced_pair(a: str, b: str) -> bool:
    """Two neighbours that may belong to one letter-spaced word (capitals, or single letters)."""
    return (a.isupper() and b.isupper()) or (len(a) == 1 and len(b) == 1)


def case_ok(word: str) -> bool:
    """A joined word must look like a word: lower, Capitalized or ALL CAPS."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def pair_matches(pat: re.Pattern, text: str, pairs: list[str]):
    """``pat.finditer(text)``, where ``pat`` is the case-insensitive alternation of ``pairs``
    (lower case) between lookarounds; faster (the scan of ``pat`` over a book costs about
    25 ms) when the pairs are ASCII and ``text`` holds none of the letters other than A-Z
    that match a-z case-insensitively ("ı", "ſ", "İ" and the Kelvin sign): then a match of
    ``pat`` can only start where ``text`` with its ASCII letters in lower case holds one of
    the pairs.  That text is made in the UTF-8 bytes (where A-Z are no part of any other
    character), about twice as fast as ``text.lower()``.  Those places are tried in order
    with ``pat.match``, each after the end of the last match, as ``finditer`` tries them.
    """
    if not all(p.isascii() for p in pairs) or any(c in text for c in _FOLD_TO_ASCII):
        yield from pat.finditer(text)
        return
    low = text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    starts = set()
    for p in pairs:
        i = low.find(p)
        while i >= 0:
            starts.add(i)
            i = low.find(p, i + 1)
    pos = 0
    for i in sorted(starts):
        if i >= pos:
            m = pat.match(text, i)
            if m:
                yield m
                pos = m.end()


def number_matches(split_number: re.Pattern, space_digit: re.Pattern, text: str):
    """``split_number.finditer(text)`` (``SPLIT_NUMBER`` and ``SPACE_DIGIT`` for the text),
    faster: a match starts one to three characters before a space followed by a digit, and
    those few spaces are found by a search that starts with a plain character (about three
    times faster than a search that starts with a class).  The possible starts are tried in
    order with ``match``, each after the end of the last match, as ``finditer`` tries them."""
    starts = sorted({i - k for i in map(re.Match.start, space_digit.finditer(text)) for k in (1, 2, 3) if i >= k})
    pos = 0
    for i in starts:
        if i >= pos:
            m = split_number.match(text, i)
            if m:
                yield m
                pos = m.end()


def for_text(text: str) -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """``CHAIN``, ``LETTERS``, ``SPLIT_NUMBER`` and ``SPACE_DIGIT`` for this text: their letter
    ``[^\\W\\d_]`` and digit ``\\d`` written as classes of the ASCII letters (digits) and the
    other characters of ``text`` they take.  The same matches, found about twice as fast (a
    class of ranges is cheaper to test than a Unicode category)."""
    others = sorted(set(beyond_ascii(text)))
    letter = "[A-Za-z" + "".join(re.escape(c) for c in others if re.fullmatch(LETTER, c)) + "]"
    digit = "[0-9" + "".join(re.escape(c) for c in others if re.fullmatch(r"\d", c)) + "]"
    return (re.compile(CHAIN.pattern.replace(LETTER, letter)),
            re.compile(LETTERS.pattern.replace(LETTER, letter)),
            re.compile(SPLIT_NUMBER.pattern.replace(r"\d", digit)),
            re.compile(SPACE_DIGIT.pattern.replace(r"\d", digit)))


def overlaps(e: Edit, spans) -> bool:
    return any(e.start < y and x < e.end for x, y in spans)
