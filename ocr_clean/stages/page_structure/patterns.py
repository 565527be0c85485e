"""Patterns and shapes of the page stage: the tests of a line's text, the glyph table of page
numbers, and the blocks (heads, numbers, notes) and gaps (line, paragraph) it decides."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...lexicon import data_file, read_table


# -- text tests ---------------------------------------------------------------------------
# a sentence ends, maybe with a closing quote and a note reference (as printed or garbled)
_SENT_END = re.compile(r"""[.!?:](?:\s*["'\u2019\u201d)\]])*(?:\s*\d{1,3}|[\dIlOS]{1,3}|\s*\*)?\s*$""")
_SOFT_END = re.compile(r"""[,;]\s*["'\u2019\u201d)\]]*\s*$""")
# the first character after stray marks (none: the text is all marks)
_JUNK = r"""\s.,;:·'"\u2018\u2019\u201c\u201d(\["""
_AFTER_JUNK = re.compile(f"[{_JUNK}]*([^{_JUNK}])")
# the class of a first character that is not junk (what _AFTER_JUNK's group would be): 'l'
# lower case, 'U' upper case or a digit, 'o' other; filled as characters are met
_FIRST_CHAR: dict[str, str] = {}


def _first_class(s: str) -> str | None:
    """The class of ``s``'s first character when it is not junk (no mark or space before it:
    what :data:`_AFTER_JUNK` would find there), else None (ask the pattern).

    >>> _first_class("the"), _first_class("The"), _first_class("1930"), _first_class("(a)")
    ('l', 'U', 'U', None)
    """
    c = s[:1]
    got = _FIRST_CHAR.get(c)
    if got is None and c and _AFTER_JUNK.match(c):
        got = _FIRST_CHAR[c] = "l" if c.islower() else "U" if c.isupper() or c.isdigit() else "o"
    return got
_LIST_ITEM = re.compile(r"^\(?(\d{1,3})\s?[.)]\s+\S")
_LETTER_ITEM = re.compile(r"""^["'\s]*\(\s?[a-z]\s?\)\s""")    # (a) (b) ( c)
_WORD = re.compile(r"\S+")
_ABBREV = re.compile(r"(?:^|\s)(?:(?:[A-Za-z]\.){2,}|[a-z]{1,3}\.|etc\.)\s*$")
_LOWER = re.compile(r"[^\W\d_A-Z]")   # a letter that is not an ASCII capital
_DIGITS = frozenset("0123456789")   # str.isdigit() also takes superscripts, which int() refuses
MAX_BACK = 40       # page-number readings a reading's predecessor is looked for among (see _page_chain)
# whole-text scans that find the few lines worth a closer look (see _lines_where): each starts
# with the newline before its line (a literal, which the regex engine finds at C speed) and
# stays in that line; a
# blank line is whitespace only (str.strip and re's \s agree on what whitespace is)
_LEAD_LINE = re.compile(r"\n[^\S\n]+\S")                  # text after leading space
# the lines where _LIST_ITEM matches (after the line's leading space, which strip drops)
_LIST_ITEM_LINE = re.compile(r"\n[^\S\n]*\(?\d{1,3}[^\S\n]?[.)][^\S\n]+\S")
_NOT_NUMBER_BYTES = bytes(c for c in range(256) if c not in b"\n0123456789/")
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def _ascii_lower(s: str) -> int:
    """How many ASCII lower-case letters s has: counted on its UTF-8 bytes, where each is
    one byte of its own, by a table-driven bytes.translate (four times a str.translate)."""
    b = s.encode("utf-8", "surrogatepass")
    return len(b) - len(b.translate(None, _ASCII_LOWER))


@dataclass
class _Tables:
    digit: dict[str, str] = field(default_factory=dict)
    noise: set[str] = field(default_factory=set)
    wildcard: set[str] = field(default_factory=set)
    note: re.Pattern | None = None
    joiners: frozenset[str] = frozenset()


_TABLES: dict[str, _Tables] = {}


def _load_tables() -> _Tables:
    path = data_file("page_structure.tsv")
    key = str(path)
    if key in _TABLES:
        return _TABLES[key]
    t = _Tables()
    notes, joiners = [], set()
    for row in read_table(path):
        kind = row[0].strip()
        pat = row[1] if len(row) > 1 else ""
        val = row[2].strip() if len(row) > 2 else ""
        if pat == "space":
            pat = " "
        if kind == "digit" and pat:
            t.digit[pat] = val
        elif kind == "noise" and pat:
            t.noise.add(pat)
        elif kind == "wildcard" and pat:
            t.wildcard.add(pat)
        elif kind == "note" and pat:
            notes.append(pat)
        elif kind == "joiner" and pat:
            joiners.add(pat.strip().lower())
    if not t.digit and not t.noise:   # no data file: a safe minimum
        t.noise = {" ", ".", ":"}
    if notes:
        t.note = re.compile(r"^(?:" + "|".join(notes) + r")")
    t.joiners = frozenset(joiners)
    _TABLES[key] = t
    return t


@dataclass
class _Block:
    """Lines ``first..last`` (indexes) taken out of the flow."""

    first: int
    last: int
    kind: str            # "head", "number", "note", "caption"
    rule: str
    confidence: float
    status: str
    note: str = ""
    moved: bool = False  # a note/caption moved to the end of its paragraph
    marker: bool = False  # a note that starts with its mark
    follows: "_Block | None" = None   # a note continued from the previous page's note


@dataclass
class _Gap:
    """What goes between two consecutive content lines."""

    sep: str             # "\n" (same paragraph) or "\n\n"
    rule: str
    confidence: float = 1.0


# the most common decisions, made once (a _Gap is never changed, only replaced)
_LINE = _Gap("\n", "line")   # two lines of one paragraph
_PARAGRAPH = _Gap("\n\n", "paragraph-break")
_BLANK_RUN = _Gap("\n\n", "blank-run")
