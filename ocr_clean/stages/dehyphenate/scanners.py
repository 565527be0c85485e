"""The finding code of dehyphenate: what a token is, the line-break runs, the tokens at a
break, and the book's tokens counted fast (each checked against its plain regex reading
in ``tests/test_dehyphenate.py``)."""
from __future__ import annotations

import collections
import re
from itertools import filterfalse

import regex

# A word of the book, hyphenated compounds whole: "Bolshevik-Leninists", "1929-30", "Trotsky's".
_PART = r"[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*"
TOKEN = regex.compile(rf"{_PART}(?:-{_PART})*")
# The token that ends a line (before an optional kept hyphen).
# (Searched backwards from the line end: "(?r)".)
TOKEN_AT_END = regex.compile(rf"(?r){_PART}(?:-{_PART})*(?=-?\Z)")
_TOKEN_AT_END: dict[str, regex.Pattern] = {"-": TOKEN_AT_END}


def token_at_end(marks: str) -> regex.Pattern:
    """``TOKEN_AT_END`` before any one of the hyphen ``marks`` of the text."""
    pat = _TOKEN_AT_END.get(marks)
    if pat is None:
        cls = "".join(regex.escape(m) for m in marks)
        pat = _TOKEN_AT_END[marks] = regex.compile(rf"(?r){_PART}(?:-{_PART})*(?=[{cls}]?\Z)")
    return pat
# Every run of line-break whitespace, ``[ \t]*\n(?:[ \t]*\n)*[ \t]*``: a paragraph separator
# when it holds 2+ newlines.  Matched from its first newline (group 3: the further newlines),
# which the engine finds fast; the spaces before it are taken by hand.  Group 1 marks the
# commonest run, told apart by the engine: one space or tab after a character of the line,
# one newline, a character of the next line after its spaces (a space-join starting one
# character before the newline).  (Plain ``re``: ASCII only.)
# In ordinary OCR (a bare line end is a break between words), group 2 marks the commonest run
# there: one newline right after a character of the line that is not a hyphen mark after a
# letter or digit, a character of the next line after its spaces (a space-join from the newline);
# group 3: the further newlines.  Elsewhere group 2 never matches (see ``breaks_from_nl``).
BREAK_FROM_NL = re.compile(r"\n(?:(?<=[^ \t\n][ \t]\n)([ \t]*)(?=[^ \t\n])|(?!)()|(?:([ \t]*\n)+)?[ \t]*)")
_BREAKS: dict[str, re.Pattern] = {}


def breaks_from_nl(marks: str, ordinary: bool) -> re.Pattern:
    """``BREAK_FROM_NL``, in ordinary OCR with group 2 for the bare line ends that are not a
    hyphen mark (one of ``marks``) after a letter or digit (``str.isalnum``: ``[^\\W_]``)."""
    if not ordinary:
        return BREAK_FROM_NL
    pat = _BREAKS.get(marks)
    if pat is None:
        cls = "".join(re.escape(m) for m in marks)
        no_mark = rf"(?<![^\W_][{cls}]\n)" if marks else ""
        pat = _BREAKS[marks] = re.compile(r"\n(?:(?<=[^ \t\n][ \t]\n)([ \t]*)(?=[^ \t\n])|(?<=[^ \t\n]\n)"
                                          + no_mark + r"([ \t]*)(?=[^ \t\n])|(?:([ \t]*\n)+)?[ \t]*)")
    return pat
# The word half at either side of a break (letters, digits, inner apostrophes): one part of a
# TOKEN.  At a break the halves are the last part of the TOKEN_AT_END and the first part of the
# TOKEN there; RIGHT_HALF reads the right one after a hyphen the scan moved to the next line.
RIGHT_HALF = regex.compile(_PART)
# A run of ASCII letters and digits that nothing after it can extend into a longer TOKEN
# (possessive: the whole run or nothing): then it is the TOKEN there, found by the faster ``re``.
ASCII_TOKEN = re.compile(r"[A-Za-z0-9]++(?!['\-]|[^\x00-\x7f])")
# A left line ending in a quote or apostrophe glued to a letter: OCR junk inside a word
# (``ovel'`` / ``come``) rather than a closing quote.
GLUED_MARK = regex.compile(r"\p{L}['\u2019\"]\Z")
POSSESSIVE = ("'s", "\u2019s")     # endings of a possessive
# A dash dropped after closing punctuation, before a word or an opening quote.
DASH_BEFORE = regex.compile(r"(?:\p{L}|\p{N}|\s|^)[.!?,;:)\]\"]\Z")
DASH_AFTER = regex.compile(r"[\p{L}\p{N}\"]")
LEFT_RUN = regex.compile(r"(?r)\S+\Z")
RIGHT_RUN = regex.compile(r"[\p{L}\p{N}]+|\S")


def tokens_at(text: str, s: int, e: int, ls: int,
              at_end: regex.Pattern = TOKEN_AT_END) -> tuple[str | None, int, str | None]:
    """(left token, its end, right token) at the break ``text[s:e]`` (``ls``: the left
    line's start): the ``TOKEN_AT_END`` of the left line (searched back at most 80
    characters) and the ``TOKEN`` the right line starts with, None where there is none.

    Usually the left line ends with a plain ASCII word after a space: that word is the
    token (no letter, digit, apostrophe or hyphen can extend it), found without the
    regex's backward search; and the right line starts with an ``ASCII_TOKEN``.
    """
    lo = ls if ls > s - 80 else s - 80
    word = text[text.rfind(" ", lo, s) + 1 or lo:s]
    if word.isalnum() and word.isascii():
        ltok, lend = word, s
    else:
        lm = at_end.search(text, lo, s)
        ltok, lend = (lm.group(), lm.end()) if lm else (None, s)
    rm = ASCII_TOKEN.match(text, e) or TOKEN.match(text, e)
    return ltok, lend, rm and rm.group()


def word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "-'\u2019"


# a run of word_char characters (``[^\W_]`` is exactly ``str.isalnum``)
RUN = re.compile(r"(?:[^\W_]|[-'\u2019])+")


def char_before(low: str | bytes, i: int) -> str:
    """The character of the lowered text before ``low[i:]`` (``low``: the lowered text, or
    the ASCII lowering of the text's UTF-8: there the last character of the lowered form of
    the text's character that ends at ``i``)."""
    if isinstance(low, str):
        return low[i - 1]
    k = i - 1
    while low[k] & 0xC0 == 0x80:      # a continuation byte: back to the character's first byte
        k -= 1
    return low[k:i].decode("utf-8", "surrogatepass").lower()[-1]


def char_at(low: str | bytes, j: int) -> str:
    """The character of the lowered text at ``low[j:]`` (see :func:`char_before`)."""
    if isinstance(low, str):
        return low[j]
    k = j + 1
    while k < len(low) and low[k] & 0xC0 == 0x80:
        k += 1
    return low[j:k].decode("utf-8", "surrogatepass").lower()[0]


# The UTF-8 of the text with every ASCII character that no TOKEN holds (all but letters, digits,
# the apostrophe and the hyphen) read as a space; the bytes of other characters kept (no byte of
# their UTF-8 is ASCII).
_TOKEN_BYTES = bytes(c if c >= 128 or chr(c).isalnum() or chr(c) in "'-" else 32 for c in range(256))


def utf8_of(text: str) -> bytes:
    """The text's UTF-8 (a lone surrogate, too, has its three bytes, none of them ASCII)."""
    return text.encode("utf-8", "surrogatepass")


def count_tokens(text: str, utf8: bytes | None = None) -> tuple[collections.Counter, collections.Counter]:
    """``Counter(TOKEN.findall(text))``, the same counts, faster, in two parts: the tokens
    without a hyphen (plain words) and the compounds.

    No TOKEN holds whitespace or an ASCII mark, so the text's UTF-8, its ASCII marks made
    spaces (one C-level ``translate``), is cut at whitespace and counted (one C-level split
    and count): the tokens of each chunk are the tokens of the text there.  Most distinct
    chunks are a run of ASCII letters and digits, one plain token as it stands: they are kept
    in bulk (one decoding of them all).  Only the few others (with an apostrophe, a hyphen or
    a character beyond ASCII) are read one by one through the regex (the only source of
    compounds).  ``utf8``: the text's UTF-8 when the caller has it already.
    """
    if utf8 is None:
        utf8 = utf8_of(text)
    chunks = collections.Counter(utf8.translate(_TOKEN_BYTES).split())
    odd = list(filterfalse(bytes.isalnum, chunks))    # (bytes.isalnum: ASCII letters and digits)
    counts = list(map(chunks.pop, odd))
    plain: collections.Counter = collections.Counter()
    dict.update(plain, zip(b"\n".join(chunks).decode("ascii").split("\n"), chunks.values()))
    compounds: collections.Counter = collections.Counter()
    get, cget = plain.get, compounds.get
    findall = TOKEN.findall
    for chunk, n in zip(b"\n".join(odd).decode("utf-8", "surrogatepass").split("\n"), counts):
        for tok in findall(chunk):
            if "-" in tok:
                compounds[tok] = cget(tok, 0) + n
            else:
                plain[tok] = get(tok, 0) + n
    return plain, compounds
