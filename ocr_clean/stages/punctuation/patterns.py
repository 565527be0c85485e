"""The punctuation stage's patterns: the marks and glyphs it looks for, and the table of
misread glyphs and their confidences (``ocr_clean/dictionaries/punctuation.tsv``)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...lexicon import data_file, read_table

# (opening, closing) double quote of each quote habit of ocr_clean.profile
QUOTE_GLYPHS = {"straight": ('"', '"'), "curly": ("\u201c", "\u201d"), "low-high": ("\u201e", "\u201c"),
                "none": ('"', '"')}
PARA = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]*)*")
OPENER_CHARS = "([{-\u2014/"
CLOSE_FOLLOW = ".,;:?!)]}-*'\u2014"
# a quote between a space and one of these may be a closing quote with a stray space before
STRAY_BEFORE = ",.;:?!)]-*\u2014"
# the real quotes that may have a stray space: a space before, a space or STRAY_BEFORE after
# (a literal first character, so that ``re`` skips to each quote at C speed)
SPACED_QUOTE = re.compile('"(?<= ")(?=[ ' + re.escape(STRAY_BEFORE) + "])")
ROMAN = re.compile(r"[IVXLC]+")
AFTER_MARK = frozenset(" \n\"'\u2019\u201d)]-\u2014,;:.?!*/")
SQ_CLOSE = re.compile(r"(?<=[a-z.,?!])['\u2019](?![\w'\u2019])(?<!s')")
LETTERS = re.compile(r"[A-Za-z]+")
DIGIT = re.compile(r"\d")
WORD_BEFORE = re.compile(r"[A-Za-z]+$")
WORD_AFTER = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
SQ_OPEN = re.compile(r"(?<![\w'\u2019 ])['\u2019](?!(?:s|t|d|ll|re|ve|m)\b)(?=[A-Za-z])|(?<= )['\u2019](?=[A-Za-z]{2})(?!(?:s|t|d|ll|re|ve|m)\b)")
APOSTROPHES = "'\u2019"
# a bracketed "!" (``[!]``, ``( ! )``): whether the book writes them; one pattern per opening
# bracket, so that each starts with a literal character
BANG_BOOK = (re.compile(r"\[ *!(?: *!)* *[\])]"), re.compile(r"\( *!(?: *!)* *[\])]"))
# a pair of brackets of one kind around short contents (the book's bracket habits)
BRACKET_PAIRS = (re.compile(r"\(([^()\[\]\n]{2,200})\)"), re.compile(r"\[([^()\[\]\n]{2,200})\]"))


@dataclass
class Patterns:
    close_punct: dict[str, float] = field(default_factory=dict)
    open_punct: dict[str, float] = field(default_factory=dict)
    quote_token: dict[str, float] = field(default_factory=dict)
    quote_prefix: dict[str, tuple[float, bool]] = field(default_factory=dict)
    quote_suffix: dict[str, float] = field(default_factory=dict)
    contraction: dict[str, tuple[str, float]] = field(default_factory=dict)
    bracket_bang: dict[str, tuple[str, float]] = field(default_factory=dict)

    @classmethod
    def load(cls, path=None) -> "Patterns":
        path = path or data_file("punctuation.tsv")
        p = cls()
        for row in read_table(path):
            row = row + [""] * (5 - len(row))
            kind, pat, reading, conf, note = row[:5]
            c = float(conf) if conf.strip() else 0.9
            if kind == "close_punct":
                p.close_punct[pat] = c
            elif kind == "open_punct":
                p.open_punct[pat] = c
            elif kind == "quote_token":
                p.quote_token[pat] = c
            elif kind == "quote_prefix":
                p.quote_prefix[pat] = (c, "upper" in note)
            elif kind == "quote_suffix":
                p.quote_suffix[pat] = c
            elif kind == "contraction":
                p.contraction[pat] = (reading, c)
            elif kind == "bracket_bang":
                p.bracket_bang[pat] = (reading, c)
        return p


def _alt(pats) -> str:
    return "|".join(re.escape(x) for x in sorted(pats, key=len, reverse=True)) or r"(?!)"


def _alt_behind(pats, look: str, cls: str) -> str:
    """``_alt(pats)`` preceded by the one-character look-behind ``(?<{look}{cls})`` (``look`` is
    ``=`` or ``!``), written after each pattern as ``x(?<{look}{cls}x)``: the same matches, but
    the pattern starts with literal characters, which the ``re`` engine looks for at C speed
    instead of trying the look-behind at every position of the text."""
    return "|".join(f"{re.escape(x)}(?<{look}{cls}{re.escape(x)})"
                    for x in sorted(pats, key=len, reverse=True)) or r"(?!)"


def _flip(r: str) -> str:
    return "C" if r == "O" else "O"


@dataclass
class _Q:
    """A double quote in a paragraph: position, length, role ("O"/"C"/None when unclear)."""

    pos: int
    end: int
    role: str | None
    strong: bool = True
