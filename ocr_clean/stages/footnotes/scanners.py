"""Scanners: the fast code that finds the few places of the text that may hold a marker.

Nothing here decides what a place reads as; that is :mod:`.readings` and :mod:`.rules`.
Each scanner finds exactly what a plain pattern over the whole text would find (the
reference pattern is kept beside it, and ``tests/test_footnote_scanners.py`` checks the
two agree), but tries the pattern only at a few places, so the whole book stays linear
and fast.

A note on the patterns: one that would look behind before its first character looks
behind after it instead ("\\d(?<![\\w.,]\\d)" for "(?<![\\w.,])\\d", "( )(?<=X )" for
"(?<=X)( )"): the same matches, and the regex engine skips straight to the places that
start with that character instead of trying every position.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from ...note_numbers import matches_from as _matches_from

if TYPE_CHECKING:
    from .glyphs import TailDecoder
    from .vocab import _Known

# digits broken by spaces after a word: "Neumann 17", "testament, 1 1 6", "OV,1 13"
# (the reference form: _spaced() finds the same matches, from the digits backwards)
SPACED = re.compile(r"[^\W\d_]((?: ?[.,;:?!)\"'])*)( {0,2})(\d{1,4}(?: \d{1,3})*)(?=[\s_.,;:)\-]|$)")
DIGITS = re.compile(r"\d(?<!\d\d)\d{0,3}(?: \d{1,3})*(?=[\s_.,;:)\-]|$)")
BEFORE_DIGITS = re.compile(r"[^\W\d_]((?: ?[.,;:?!)\"'])*)( {0,2})$")
# a paragraph that is only a number (a marker set alone after a title)
ALONE = re.compile(r"(?<=\S)(\s*\n\s*\n[ \t]*)(\d{1,3})[ \t]*(?=\n|$)")
# where it can start: the white space before the line break before a number
_BREAK_DIGIT = re.compile(r"\n(?=[ \t]*\d)")
# a number followed by a word: which words usually follow numbers in this book ("percent")
NUMBER_WORD = re.compile(r"\d(?<![\w.,]\d)[\d,.]*[ \t]+([a-z]+)")
# a word, its closing punctuation, then a short tail mixing a letter and a symbol ("severe.a!")
LOOSE_TAIL_BODY = (r"[\"'(\[\u2018\u201c]*([^\W\d_]{3,})([.,;:!?\"')\]\u2019\u201d]+)"
                   r"((?=\S*[^\W\d_])(?=\S*[^\w\s\"'\u2019\u201d\-])[^\s\"'\u2019\u201d\-\d]{2,3})")
# a paragraph that ends in a run of glyphs set apart after its last word: 'party." l t-!'
GLYPH_RUN = re.compile(r"( (?<=[.,;:!?\"')\u2019\u201d] )[^\s\d\[\]*]{1,3}(?: [^\s\d\[\]*]{1,3})?)[ \t]*(?=\n\n|\n?$)")


def quantity_words(text: str, end: int, known: _Known, numbers: list[int]) -> set[str]:
    """Words that follow a number often (3 times, and a fifth of their uses): units, not text.

    The numbers of text[:end] are tried only where ``numbers`` says a number starts."""
    after = Counter(m.group(1) for m in _matches_from(NUMBER_WORD, text, numbers, 0, end))
    return {w for w, c in after.items() if c >= 3 and c >= 0.2 * max(known.count(w), 1)}


def _alone(text: str, end: int):
    """The matches of ALONE in text[:end], tried only from the white space before a line
    break that a digit follows."""
    starts = []
    for m in _BREAK_DIGIT.finditer(text, 0, end):
        p = m.start()
        while p > 0 and text[p - 1].isspace():      # str.isspace() is the regex's \s
            p -= 1
        starts.append(p)
    return _matches_from(ALONE, text, starts, 0, end)


# a plain word (most tokens): read only when the book does not know it and it ends in a glyph
PLAIN = re.compile(r"(?<!\S)[A-Z]?[a-z]+[.,;:]?(?!\S)")
PLAIN_WORD = re.compile(r"[A-Z]?[a-z]+")
NOT_PLAIN_BODY = r"(?![A-Z]?[a-z]+[.,;:]?(?!\S))\S+"
NOT_PLAIN = re.compile(r"(?<!\S)" + NOT_PLAIN_BODY)
_TOKEN = re.compile(r"\S+")


def _alternation(words: list[str]) -> str:
    """A pattern matching exactly ``words``, factored by their first letters (a trie): the
    regex engine tries a few branches at each place instead of every word."""
    by_first: dict[str, list[str]] = {}
    for w in words:
        by_first.setdefault(w[0], []).append(w[1:])
    parts = []
    for c, rests in sorted(by_first.items()):
        tails = [r for r in rests if r]
        if not tails:
            parts.append(re.escape(c))
            continue
        opt = "?" if len(tails) < len(rests) else ""
        sub = _alternation(tails)
        parts.append(re.escape(c) + (f"(?:{sub}){opt}" if len(tails) > 1 or opt else sub))
    return "|".join(parts)


def _tokens_to_read(text: str, end: int, decoder: TailDecoder, known: _Known,
                    reads) -> list[tuple[int, str]]:
    """The tokens of text[:end] that may hold a marker, as (offset, token) in text order: the
    tokens that are not plain words and may give something (_worth_reading; the first token
    whenever it is no plain word), and the plain words the book does not know that end in a
    glyph and give a reading.

    ``reads(token)`` tells whether such a plain word gives a reading (where it stands does
    not matter): only those are looked for.  They are few (most are a name the
    book uses once), and the pattern that finds them is tried at every token of the text.
    """
    if known.text is text and (end <= 0 or end >= len(text) or text[end - 1].isspace() or text[end].isspace()):
        # a plain token is one of the book's words as written, [.,;:]? after it: the odd ones
        # are found among the distinct words _Known counted (no token of text[:end] is cut at end)
        # (a word used twice is known: its count as written, then folded, first; the folded
        # count is never below the written one).  A word and a mark after it that is no
        # glyph ("word." when "." is none) gives no reading (its last character is no glyph,
        # it has no digit, and no loose tail follows the mark): those are not looked for
        chars, counts = decoder.chars, known.counts
        marks = ("",) + tuple(p for p in ".,;:" if p in chars)
        odd = sorted(w + p for w, k in known.written.items() if k < 2 and w[-1] in chars
                     and counts.get(w.lower(), 0) < 2 and PLAIN_WORD.fullmatch(w) and not known.known(w)
                     for p in marks)
    else:
        plain = set(PLAIN.findall(text, 0, end))
        odd = sorted(w for w in plain if w.rstrip(".,;:")[-1:] in decoder.chars and not known.known(w.rstrip(".,;:")))
    odd = [w for w in odd if reads(w)]
    # the odd plain words and the tokens that are not plain words and may give something
    # (the two never overlap)
    not_plain = NOT_PLAIN_BODY.replace(r"\S+", _worth_reading(decoder.chars) + r"\S+")
    body = rf"(?:{_alternation(odd)})(?!\S)|{not_plain}" if odd else not_plain
    # a token after the whitespace before it (the engine skips to whitespace), or at the start
    out = [(m.start(1), m.group(1)) for m in re.compile(rf"\s({body})").finditer(text, 0, end)]
    # the first token (no whitespace before it): kept when it is one of the odd words or no
    # plain word (as ``body`` would match it there, without compiling ``body`` alone)
    first = _TOKEN.match(text, 0, end)
    if first and (first.group(0) in odd or NOT_PLAIN.match(text, 0, end)):
        out.insert(0, (0, first.group(0)))
    return out


def _worth_reading(chars: set[str]) -> str:
    """A lookahead that a token (not a plain word) passes when it may give something: a digit
    (any character beyond ASCII, so that every digit str.isdigit knows counts), a last
    character that is a glyph (``chars``) after another (one character alone gives no
    reading: "I", "A"), a loose tail (LOOSE_TAIL), or the short run of
    capitals and glyphs that LONE_GLYPHS looks for.  Any other token gives no reading, holds
    no number and no lone glyphs: left in the text, it is never built nor looked at (half
    the tokens that are not plain words on the book: "I", words with a hyphen or a quote,
    abbreviations, a word and two marks)."""
    glyphs = "".join(sorted(re.escape(c) for c in chars))
    # [^\x00-\x2f\x3a-\x7f]: 0-9 and all beyond ASCII (written so, the class compiles at once)
    return (rf"(?=\S*[^\x00-\x2f\x3a-\x7f]|\S+[{glyphs}](?!\S)|{LOOSE_TAIL_BODY}(?!\S)"
            rf"|{LONE_RUN}(?!\S))")


_DIGIT = re.compile(r"\d")
_NUMBER_START = re.compile(r"\d(?<!\d\d)")


def _number_starts(text: str, tokens: list[tuple[int, str]]) -> list[int]:
    """Where a run of digits starts in the tokens of _tokens_to_read, in order: where a run
    starts in the text they were read from (a token with a digit is not a plain word: it is
    one of them).  Found in a few tokens instead of the whole text, where a pattern that
    starts with a digit is tried at every character."""
    has_digit = _DIGIT.search
    starts = _NUMBER_START.finditer
    return [m.start() for off, tok in tokens if has_digit(tok) for m in starts(text, off, off + len(tok))]


# a short token of capitals/glyphs standing alone between running words
LONE_RUN = r"[A-Z\u00b0'/!?]{2,4}"
LONE_GLYPHS = re.compile(r"( )(?<=[^\W\d_][.,;:)] )(" + LONE_RUN + r")(?= [a-z])")


def _lone_glyphs(text: str, end: int, tokens: list[tuple[int, str]]):
    """The matches of LONE_GLYPHS in text[:end], tried only before the tokens read (the token
    it finds is one of them: not a plain word) of 2 to 4 characters after a space: a handful
    of places, where the pattern itself stops at every space of the text."""
    for off, tok in tokens:
        if 2 <= len(tok) <= 4 and off > 0 and text[off - 1] == " ":
            m = LONE_GLYPHS.match(text, off - 1, end)
            if m:
                yield m


# a paragraph end: the line break before an empty line
_BLANK_LINE = re.compile(r"\n(?=\n)")


def _glyph_runs(text: str, end: int):
    """The matches of GLYPH_RUN in text[:end], found from the paragraph ends (a literal line
    break: the engine skips to it; the pattern itself stops at every space of the text).

    A match ends before the spaces at the end of a paragraph and starts at most 8 characters
    earlier (" XXX XXX"): the first place there where the pattern matches, up to that end."""
    ends = [m.start() for m in _BLANK_LINE.finditer(text, 0, end)]
    if end > 0 and text[end - 1] == "\n":
        ends.append(end - 1)
    ends.append(end)
    for q in ends:
        p = q
        while p > 0 and text[p - 1] in " \t":
            p -= 1
        for s in range(max(0, p - 8), p - 1):
            if text[s] == " ":
                m = GLYPH_RUN.match(text, s, end)
                if m and m.end(1) == p:
                    yield m
                    break


class _Spaced:
    """A match of SPACED, found from the digits backwards (much faster than SPACED itself)."""

    __slots__ = ("g", "s")

    def __init__(self, groups, starts):
        self.g, self.s = groups, starts

    def group(self, k):
        return self.g[k - 1]

    def start(self, k):
        return self.s[k - 1]

    def end(self, k):
        return self.s[k - 1] + len(self.g[k - 1])


def _spaced(text: str, end: int, numbers: list[int] | None = None):
    """The matches of SPACED in text[:end]: digits after a word, its punctuation and spaces
    (tried only where ``numbers`` says a run of digits starts, when given)."""
    found = DIGITS.finditer(text, 0, end) if numbers is None else _matches_from(DIGITS, text, numbers, 0, end)
    for m in found:
        a = m.start()
        b = BEFORE_DIGITS.search(text, max(0, a - 12), a)
        if b is None:
            continue
        yield _Spaced((b.group(1), b.group(2), m.group(0)), (b.start(1), b.start(2), a))
