"""Join the scan's line breaks: every paragraph becomes one line.

Input (the contract after ``page_structure``): paragraphs separated by a blank line;
inside a paragraph the scan's line breaks are kept as ``"\\n"``, each line with the
trailing space(s) the scan gave it.  The scan's habit (``doc.profile``, measured from the
text: :mod:`ocr_clean.profile`) decides what a line end means.

In ordinary OCR (``line_end = "ordinary"``: no trailing spaces) a bare line end is a break
between words (``space-join``); only a line ending in one of the text's hyphen marks
(``profile.hyphens``: ``-``, ``¬``, U+00AD, U+2010, ``=``, ``⸗``) after a letter can join a word
across it: ``con¬`` / ``sequence`` -> ``consequence`` (``¬`` and U+00AD only ever break a
word), ``Cap-`` / ``tain`` -> ``Captain``, ``so-`` / ``called`` -> ``so-called``, decided as below;
a doubtful one keeps the printed hyphen (``join-uncertain``, both readings, for review).

In a scan that marks a going-on word by a line WITHOUT a trailing space
(``line_end = "continues-without-space"``, the Writings scan):

* a line that ends with a space ends a word: the break becomes one space
  (``space-join``);
* a line that ends WITHOUT a space had a hyphen or dash there, which the scan
  dropped: ``revo`` / ``lution`` -> ``revolution`` (``word-join``), but
  ``so`` / ``called`` -> ``so-called``, ``class`` / ``the`` -> ``class-the``
  (``hyphen-restored``: the book prints dashes as plain hyphens);
* a line that ends in ``-`` (the scan kept the hyphen, mostly at page ends) is a soft
  hyphen (``in-`` / ``dustrial`` -> ``industrial``, ``soft-hyphen``), a number range
  (``1929-`` / ``30``, ``range``) or a compound (``trade-`` / ``union``, ``compound``).

Whether a hyphen belongs between the two halves is decided with the book's own
evidence first: how often the joined word and the hyphenated pair occur elsewhere in
the text, on unbroken lines (the halves of broken words are not counted).  When the
book is silent, English frequencies decide: a joined form that is an English word is
joined; two good words whose joined form is not a word get a hyphen; a half that is
no word (an OCR error, ``lnove`` / ``ment``) is never a reason for a hyphen.  A
capitalised second half (``Bolshevik`` / ``Leninists``) marks a compound.  Between the
two, the book's habit with the halves counts: prefixes it glues elsewhere (``re``,
``semi``: ``reeducated``) or hyphenates (``self``: ``self-defense``), endings it glues
(``ness``, ``ing``) or takes after a hyphen or dash (``year`` in ``five-year``; ``the``
after a dash).

Weak evidence does not queue the edit (a queued join would leave a line break in the
text); the likelier reading is applied with a lower confidence, rule
``join-uncertain``, both readings in ``candidates`` and the evidence in ``note``, so a
reviewer can flip it.  Each edit spans the two word halves and the break
(``revo\\nlution`` -> ``revolution``), so the review shows whole words.

Paragraph separators become exactly ``"\\n\\n"`` (``paragraph-break``) with no
trailing spaces, and the text ends with one ``"\\n"`` (``text-end``).
"""
from __future__ import annotations

import bisect
import collections
import math
import operator
import re
from itertools import compress, filterfalse
from typing import Any

import regex

from ..document import Document
from ..ledger import APPLIED, Edit
from ..lexicon import beyond_ascii
from ..profile import SOFT_MARKS, profile_of
from .base import Stage, register

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
# when it holds 2+ newlines.  Matched from its first newline (group 2: the further newlines),
# which the engine finds fast; the spaces before it are taken by hand.  Group 1 marks the
# commonest run, told apart by the engine: one space or tab after a character of the line,
# one newline, a character of the next line after its spaces (a space-join starting one
# character before the newline).  (Plain ``re``: ASCII only.)
BREAK_FROM_NL = re.compile(r"\n(?:(?<=[^ \t\n][ \t]\n)([ \t]*)(?=[^ \t\n])|(?:([ \t]*\n)+)?[ \t]*)")
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


SPACE_NOTE = " times as two words"


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "-'\u2019"


# a run of _word_char characters (``[^\W_]`` is exactly ``str.isalnum``)
_RUN = re.compile(r"(?:[^\W_]|[-'\u2019])+")
_SEARCHES = 256    # BookVocab.separate searches before it counts every pair at once


def _char_before(low: str | bytes, i: int) -> str:
    """The character of the lowered text before ``low[i:]`` (``low``: the lowered text, or
    the ASCII lowering of the text's UTF-8: there the last character of the lowered form of
    the text's character that ends at ``i``)."""
    if isinstance(low, str):
        return low[i - 1]
    k = i - 1
    while low[k] & 0xC0 == 0x80:      # a continuation byte: back to the character's first byte
        k -= 1
    return low[k:i].decode("utf-8", "surrogatepass").lower()[-1]


def _char_at(low: str | bytes, j: int) -> str:
    """The character of the lowered text at ``low[j:]`` (see :func:`_char_before`)."""
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


def _utf8(text: str) -> bytes:
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
        utf8 = _utf8(text)
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


def _zipf(freq: float) -> float:
    return math.log10(freq * 1e9) if freq > 0 else 0.0


class _BookCounts:
    """The book's own evidence, counted on unbroken text (case folded).

    ``words``: every word, also as a part of a compound (``leninists`` in
    ``Bolshevik-Leninists``); ``solo``: words used on their own, not in a compound;
    ``pairs``: adjacent parts of hyphenated compounds (``("five", "year")``), and
    ``pair_types_*``: for each first (last) part, the distinct partners it is
    hyphenated with, which tells how the book treats a prefix (suffix).
    """

    def __init__(self, text: str, fragments: collections.Counter) -> None:
        """``fragments``: how often each token is a half of a broken word (no evidence)."""
        self.text, self.utf8 = text, _utf8(text)
        plain, compounds = count_tokens(text, self.utf8)
        for tok, k in fragments.items():   # halves of broken words are no evidence
            counts = compounds if "-" in tok else plain
            left = counts.get(tok, 0) - k
            if left > 0:
                counts[tok] = left
            else:
                counts.pop(tok, None)
        # Words on their own first, in bulk: their case-folded forms come from one lower() of
        # them all, one a line ("\n" is in no token and ends a word for lower()).  The words
        # already in lower case are distinct: they are taken in C; only the others are added
        # one by one to the count of their folded form.
        cased: collections.Counter = collections.Counter(plain)
        folded = "\n".join(plain).lower().split("\n")
        solo: collections.Counter = collections.Counter()
        dict.update(solo, compress(zip(folded, plain.values()), map(operator.eq, plain, folded)))
        solo_get = solo.get        # (get-and-set: Counter's "+=" calls __missing__ for each new word)
        for lt, n in compress(zip(folded, plain.values()), map(operator.ne, plain, folded)):
            solo[lt] = solo_get(lt, 0) + n
        words: collections.Counter = collections.Counter(solo)
        # Then the parts of hyphenated compounds.
        pairs: collections.Counter = collections.Counter()
        first: dict[str, set] = collections.defaultdict(set)
        first_lower: dict[str, set] = collections.defaultdict(set)
        last: dict[str, set] = collections.defaultdict(set)
        words_get, cased_get = words.get, cased.get
        for tok, n in compounds.items():
            parts = tok.split("-")
            low = [x.lower() for x in parts]
            for x, lx in zip(parts, low):
                words[lx] = words_get(lx, 0) + n
                cased[x] = cased_get(x, 0) + n
            for i in range(len(parts) - 1):
                x, y = low[i], low[i + 1]
                pairs[x, y] += n
                first[x].add(y)
                last[y].add(x)
                if parts[i + 1][:1].islower():
                    first_lower[x].add(y)
        self.words, self.solo, self.cased, self.pairs = words, solo, cased, pairs
        self.pair_first, self.pair_first_lower, self.pair_last = first, first_lower, last
        self._lower: str | bytes | None = None
        self._sorted: list[str] | None = None
        self._rsorted: list[str] | None = None
        self._after: dict[tuple[str, int], tuple[int, int]] = {}
        self._before: dict[tuple[str, int], tuple[int, int]] = {}

    def separate(self, a: str, b: str) -> int:
        """How often the book writes ``a b`` as two words on one line (case folded): the
        matches of ``a b`` in the lowered text, each searched from the end of the one before,
        with no word character (:func:`_word_char`) next to them.

        Fast because the text is lowered only once and, when the text has no character beyond
        ASCII whose lowered form holds an ASCII one (``\u0130`` -> ``i\u0307``, KELVIN SIGN ->
        ``k``), as the ASCII lowering of its UTF-8 (:meth:`_lowered`, C speed).  Then an ASCII
        pair is matched in those bytes where it is matched in the lowered text, and the
        character next to a match is that of the lowered text once the text's character there
        is lowered.  A pair beyond ASCII (seldom asked) is searched in ``text.lower()``.
        """
        pairs = self._pairs_index()
        if pairs is not None:
            la, lb = a.lower(), b.lower()
            if _RUN.fullmatch(la) and _RUN.fullmatch(lb) and (la + lb).isascii():
                return pairs.get((la, lb), 0)
        low, needle = self._lowered(), f"{a} {b}".lower()
        if isinstance(low, bytes):
            if not needle.isascii():
                low = self._lower = self.text.lower()
            else:
                needle = needle.encode("ascii")
        n, i = 0, low.find(needle)
        while i >= 0:
            j = i + len(needle)
            if (i == 0 or not _word_char(_char_before(low, i))) and (
                    j == len(low) or not _word_char(_char_at(low, j))):
                n += 1
            i = low.find(needle, j)
        return n

    def _pairs_index(self) -> dict[tuple[str, str], int] | None:
        """After the first ``_SEARCHES`` calls of :meth:`separate`, the answers for every
        pair of words (runs of word characters, ASCII) at once: the runs of the lowered text
        one space apart, counted as ``separate``'s searches count them (a run of one word
        repeated counts as its searches do: no two matches share a word).  Each search reads
        the whole text, so a text asking about many pairs (100,000 short lines) would take
        time growing with the square of its length; the index is one pass."""
        self._searches = getattr(self, "_searches", 0) + 1
        if self._searches <= _SEARCHES:
            return None
        pairs = getattr(self, "_pairs", None)
        if pairs is None:
            low = self.text.lower()
            pairs, last_end = {}, {}
            prev = None
            for m in _RUN.finditer(low):
                if prev is not None and prev.end() + 1 == m.start() and low[prev.end()] == " ":
                    key = (prev.group(), m.group())
                    if prev.start() >= last_end.get(key, -1):
                        pairs[key] = pairs.get(key, 0) + 1
                        last_end[key] = m.end()
                prev = m
            self._pairs = pairs
        return pairs

    def _lowered(self) -> str | bytes:
        """The lowered text: as the ASCII lowering of its UTF-8 where that is exact for ASCII
        pairs (see :meth:`separate`), else ``text.lower()``."""
        if self._lower is None:
            beyond = set(beyond_ascii(self.text))
            if any(y.isascii() for x in beyond for y in x.lower()):
                self._lower = self.text.lower()
            else:
                self._lower = self.utf8.lower()
        return self._lower

    # -- affix profiles: words the book makes by gluing a word to a prefix or suffix ----------
    def _by_prefix(self, prefix: str, table: list[str]) -> list[str]:
        i = bisect.bisect_left(table, prefix)
        j = bisect.bisect_left(table, prefix + "\uffff")
        return table[i:j]

    def glued_after(self, a: str, min_rest: int = 3) -> tuple[int, int]:
        """(types, uses) of solo words ``a + w`` whose rest ``w`` is a word of the book.
        (Asked again for a recurring prefix: the answer is kept.)"""
        key = (a, min_rest)
        if key in self._after:
            return self._after[key]
        if self._sorted is None:
            self._sorted = sorted(self.solo)
        types = uses = 0
        for w in self._by_prefix(a, self._sorted):
            rest = w[len(a):]
            if len(rest) >= min_rest and self.words.get(rest, 0) >= 2:
                types += 1
                uses += self.solo[w]
        self._after[key] = types, uses
        return types, uses

    def glued_before(self, b: str, min_stem: int = 3) -> tuple[int, int]:
        """(types, uses) of solo words ``w + b`` whose stem ``w`` is a word of the book.
        (Asked again for a recurring suffix: the answer is kept.)"""
        key = (b, min_stem)
        if key in self._before:
            return self._before[key]
        if self._rsorted is None:
            # every word reversed at once: the words one a line, the lines reversed
            self._rsorted = "\n".join(self.solo)[::-1].split("\n") if self.solo else []
            self._rsorted.sort()
        types = uses = 0
        for rw in self._by_prefix(b[::-1], self._rsorted):
            w = rw[::-1]
            stem = w[:len(w) - len(b)]
            if len(stem) >= min_stem and self.words.get(stem, 0) >= 2:
                types += 1
                uses += self.solo[w]
        self._before[key] = types, uses
        return types, uses


@register
class Dehyphenate(Stage):
    name = "dehyphenate"
    description = ("Join line breaks inside paragraphs: a space after a line that ended with one, "
                   "else the word joined, restoring a hyphen or dash when the book's evidence says so.")
    defaults: dict[str, Any] = {
        # a half is a "good word" with this English Zipf frequency or this many uses in the book
        "good_zipf": 3.0,
        "good_book": 3,
        # the book's evidence: the winner needs this many times the loser's count to be sure
        "book_ratio": 3.0,
        # English only: a joined form at least this frequent is a word (joined for sure);
        # between uncertain_zipf and this, the reading is uncertain
        "join_zipf": 3.0,
        "uncertain_zipf": 1.0,
        # in the uncertain band, join when the joined form is at least this frequent
        "prefer_join_zipf": 2.0,
        # the book's habit with a prefix / suffix counts when it shows this many word types,
        # and a half counts as an affix when its glued uses outnumber its own uses this much
        "affix_min_types": 3,
        "affix_ratio": 3.0,
        # a restored hyphen is uncertain when the book writes the two halves as two words so often
        "separate_min": 2,
        "confidence_uncertain": 0.6,
        "confidence_english": 0.9,
        "confidence_dash": 0.8,
    }
    settings_help = {
        "good_zipf": "a half is a good word with this English Zipf frequency...",
        "good_book": "...or this many uses in the book",
        "book_ratio": "the book's evidence: the winner needs this many times the loser's count to be sure",
        "join_zipf": "English only: a joined form at least this frequent (Zipf) is a word, joined for sure",
        "uncertain_zipf": "English only: below join_zipf and from this frequency the reading is uncertain",
        "prefer_join_zipf": "in the uncertain band, join when the joined form is at least this frequent",
        "affix_min_types": "the book's habit with a prefix or suffix counts when it shows this many word types",
        "affix_ratio": "a half is an affix when its glued uses outnumber its own uses this much",
        "separate_min": "a restored hyphen is uncertain when the book writes the halves as two words this often",
        "confidence_uncertain": "confidence of a reading the evidence leaves uncertain",
        "confidence_english": "confidence of a reading decided by English frequencies or the book's counts",
        "confidence_dash": "confidence of a hyphen kept in a number range or number-word pair",
    }

    # -- the stage ----------------------------------------------------------------------
    def propose(self, text: str, doc: Document | None = None) -> list[Edit]:
        """One edit per line-break run, in text order.

        Fast because the run is found from its newline (``BREAK_FROM_NL``, a C-speed scan),
        the common case (a line ending with one space: two breaks in three) is told apart by
        that scan (group 1) and costs one positional ``Edit``, and the tokens at a
        continuation break are read once (:meth:`_tokens_at`): they are the halves that are
        no evidence (``fragments``, counted in C) and they hold the halves the decision needs.
        """
        edits: list[Edit | None] = []   # one per line-break run; None: a continuation, decided below
        append = edits.append
        conts = []           # (index in edits, start, end, line start, the tokens at the break)
        n = len(text)
        m = None
        prof = profile_of(text, doc)
        marks = prof.hyphen_marks
        at_end = token_at_end(marks)
        # ordinary OCR: a bare line end is a break between words; only a hyphen mark after a
        # letter or digit can join a word across it
        ordinary = not prof.continues_without_space
        for m in BREAK_FROM_NL.finditer(text):
            nl, e = m.span()
            more = m.lastindex               # 1: the commonest space-join; 2: 2+ newlines
            if more == 1:
                append(Edit(nl - 1, e, " ", "space-join"))
                continue
            s = nl
            while s and text[s - 1] in " \t":      # the run starts with the line's trailing spaces
                s -= 1
            if s < nl and s and e < n and not more:   # the line ended with a space
                append(Edit(s, e, " ", "space-join"))
            elif ordinary and s and e < n and not more and not (
                    text[s - 1] in marks and s > 1 and text[s - 2].isalnum()):
                append(Edit(s, e, " ", "space-join"))
            elif e >= n:
                append(Edit(s, e, "\n", "text-end"))
            elif more or s == 0:            # 2+ newlines, or the text starts with one
                append(Edit(s, e, "\n\n" if s else "", "paragraph-break"))
            else:
                ls = text.rfind("\n", 0, s) + 1
                conts.append((len(edits), s, e, ls, *self._tokens_at(text, s, e, ls, at_end)))
                append(None)
        if not text.endswith("\n") and (m is None or m.end() < n):
            tail = len(text.rstrip(" \t"))      # the last line, without trailing spaces
            append(Edit(tail, n, "\n", "text-end"))
        if conts:
            # the word halves at continuation breaks are not counted as words
            fragments = collections.Counter(map(operator.itemgetter(4), conts))
            fragments.update(map(operator.itemgetter(6), conts))
            fragments.pop(None, None)
            book = _BookCounts(text, fragments)
            decided: dict = {}     # (a, b, hyphen_line) -> the readings decided: pairs recur
            for i, s, e, ls, ltok, lend, rtok in conts:
                # never into the previous edit (a one-word line)
                prev_end = edits[i - 1].end if i else 0
                edits[i] = self._continuation(text, s, e, ls, ltok, lend, rtok, prev_end, book, decided,
                                              marks, prof.dash)
        return edits

    @staticmethod
    def _tokens_at(text: str, s: int, e: int, ls: int,
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

    # -- a line that ended without a space ------------------------------------------------
    def _continuation(self, text: str, s: int, e: int, ls: int, ltok: str | None, lend: int,
                      rtok: str | None, prev_end: int, book: _BookCounts, decided: dict,
                      marks: str = "-", dash: str = "-") -> Edit:
        """The edit for the break ``text[s:e]`` after a line without a trailing space.

        ``ltok`` (ending at ``lend``) / ``rtok`` (starting at ``e``): the tokens at the break
        (:meth:`_tokens_at`).  The word halves are their last / first part: the regex took
        that part greedily from the break, as a search for the part alone would, and a part
        holds no hyphen.  The decision and its readings are made once for each pair of
        halves (:meth:`_readings`); a break only places them.
        """
        mark = text[s - 1]
        hyphen_line = mark in marks
        bstart = e
        if not hyphen_line and text.startswith("-", e) and e + 1 < len(text) and text[e + 1].isalpha():
            hyphen_line = True                     # the scan moved the hyphen: "his" / "-torical"
            rm = RIGHT_HALF.match(text, e + 1)
            b, bstart = rm and rm.group(), e + 1
        else:
            b = rtok and rtok.partition("-")[0]
        if ltok is None or b is None:
            return self._other(text, s, e, max(ls, prev_end), hyphen_line, dash)
        a = ltok.rpartition("-")[2]
        soft = hyphen_line and mark in SOFT_MARKS
        key = (a, b, hyphen_line, soft)
        made = decided.get(key)
        if made is None:
            ev: dict = {}
            made = decided[key] = self._readings(a, b, *self._decide(a, b, hyphen_line, book, ev, soft)) + (ev,)
        after, rule, conf, cands, note, ev = made
        # the span: both halves and the break; never into the previous edit (a one-word line)
        lstart = lend - len(a)
        start = lstart if lstart >= prev_end else prev_end
        cut = start - lstart
        if cut:
            after, cands = after[cut:], tuple([r[cut:] for r in cands])
        return Edit(start, bstart + len(b), after, rule, conf, APPLIED, cands, note, evidence=ev)

    @staticmethod
    def _readings(a: str, b: str, choice: str, rule: str, conf: float,
                  note: str) -> tuple[str, str, float, tuple[str, ...], str]:
        """(after, rule, confidence, candidates, note) of the edit joining ``a`` and ``b`` as
        decided: sure, one reading and no candidates; else the likelier reading first."""
        join, hyphen = a + b, a + "-" + b
        if conf >= 1.0:
            return (join if choice == "join" else hyphen), rule, conf, (), note
        readings = [join, hyphen] if choice == "join" else [hyphen, join]
        if note.endswith(SPACE_NOTE):       # the book writes the halves as two words
            readings.insert(1, a + " " + b)
        return readings[0], rule, conf, tuple(readings), note

    def _decide(self, a: str, b: str, hyphen_line: bool, book: _BookCounts,
                ev: dict, soft: bool = False) -> tuple[str, str, float, str]:
        """("join"|"hyphen", rule, confidence, note) for the halves ``a`` / ``b``; the counts
        that decided it go into ``ev`` (the edit's evidence); ``soft``: the line ended in a
        mark that only breaks words (``¬``, U+00AD)."""
        c = self.config
        sure_join = "soft-hyphen" if hyphen_line else "word-join"
        sure_hyph = "compound" if hyphen_line else "hyphen-restored"
        unsure = c["confidence_uncertain"]
        if a.isdigit() and b.isdigit():
            return "hyphen", "range", 1.0 if hyphen_line else c["confidence_dash"], "a number range"
        if a.isdigit() or b.isdigit():
            # a number and a word: "mid-" / "1933", "1928-" / "the": never one word
            return "hyphen", sure_hyph, 1.0 if hyphen_line else c["confidence_dash"], "a number and a word"
        # the possessive of the second half does not change the decision: "Robes" / "pierre's"
        b0 = b[:-2] if b.endswith(POSSESSIVE) else b
        la, lb = a.lower(), b0.lower()
        if b0[:1].isupper() and not a.isupper():
            # a capital inside the joined form: only that very spelling counts ("MacDonald"),
            # not the folded word (">f-" / "It" is not "fit")
            nj = book.cased.get(a + b0, 0)
        else:
            nj = book.words.get(la + lb, 0)
        nh = book.pairs.get((la, lb), 0)
        note = f"book: {a}{b0} {nj}, {a}-{b0} {nh}"
        ev["book_joined"], ev["book_hyphenated"] = nj, nh
        lex = self.lexicon
        if soft and nh <= nj:
            ev["soft_hyphen_mark"] = 1
            return "join", sure_join, 1.0, note + "; a soft hyphen mark"
        if nj or nh:
            choice = "hyphen" if nh > nj else "join"
            win, lose = max(nj, nh), min(nj, nh)
            if lose == 0:
                sure = win >= 2 or (choice == "join" and (
                    self._english_zipf(la + lb) >= c["join_zipf"]
                    or not (self._good(a, book) and self._good(b0, book))))
                conf = 1.0 if sure else c["confidence_english"]
            elif win >= c["book_ratio"] * lose:
                conf = c["confidence_english"]
            else:
                conf = unsure
            return choice, self._rule(choice, conf, sure_join, sure_hyph), conf, note
        # The book is silent on this pair.  A capitalised word after it marks a compound
        # ("Sino" / "Soviet", "insurrections" / "Chartism" with a dash), if it is a word.
        if b0[:1].isupper() and not b0.isupper() and (
                book.words.get(lb, 0) >= 2 or (lex is not None and lex.is_english(lb))):
            return "hyphen", sure_hyph, c["confidence_english"], note + "; capitalised word after"
        if not (self._good(a, book) and self._good(b0, book)):
            # a half that is no word: a broken word, perhaps with an OCR error in it
            return "join", sure_join, 1.0, note + "; a half is no word"
        # How does the book treat these halves elsewhere?  Prefixes it glues ("re", "semi")
        # or hyphenates ("self"), suffixes it glues ("ness", "ing") or takes after a
        # hyphen ("year", and "the" after a dash).
        hyph_types = len(book.pair_first_lower[la] if lb[:1].islower() and b0[:1].islower()
                         else book.pair_first[la]) + len(book.pair_last[lb])
        glue_types = 0
        jt, ju = book.glued_after(la)
        if book.solo.get(la, 0) * c["affix_ratio"] < ju:      # mostly a prefix, seldom a word
            glue_types += jt
        jt, ju = book.glued_before(lb)
        if book.solo.get(lb, 0) * c["affix_ratio"] < ju:      # mostly a suffix, seldom a word
            glue_types += jt
        note += f"; book habit: {glue_types} glued, {hyph_types} hyphenated"
        ev["habit_glued"], ev["habit_hyphenated"] = glue_types, hyph_types
        if max(glue_types, hyph_types) >= c["affix_min_types"]:
            choice = "hyphen" if hyph_types > glue_types else "join"
            win, lose = max(glue_types, hyph_types), min(glue_types, hyph_types)
            if win > lose:
                conf = c["confidence_english"] if win >= c["book_ratio"] * lose else unsure
                return choice, self._rule(choice, conf, sure_join, sure_hyph), conf, note
        zj = self._english_zipf(la + lb)
        note += f"; English zipf {a}{b0} {zj:.1f}"
        ev["english_zipf"] = round(zj, 2)
        if zj >= c["join_zipf"]:
            return "join", sure_join, c["confidence_english"], note
        if zj >= c["uncertain_zipf"]:
            choice = "join" if zj >= c["prefer_join_zipf"] else "hyphen"
            return choice, "join-uncertain", unsure, note + "; both halves words"
        note += "; both halves words, joined form none"
        nsep = ev["book_separate"] = book.separate(a, b0)
        if nsep >= c["separate_min"]:
            # the book writes the pair as two words: perhaps the scan lost a space, not a dash
            note += f"; the book writes '{a} {b0}' {nsep}{SPACE_NOTE}"
            return "hyphen", "join-uncertain", unsure, note
        return "hyphen", sure_hyph, c["confidence_english"], note

    def _rule(self, choice: str, conf: float, sure_join: str, sure_hyph: str) -> str:
        if conf <= self.config["confidence_uncertain"]:
            return "join-uncertain"
        return sure_hyph if choice == "hyphen" else sure_join

    def _english_zipf(self, w: str) -> float:
        """The Zipf frequency of ``w`` in English (0 without a lexicon); asked only where a
        decision needs it (most are settled by the book's counts first)."""
        return _zipf(self.lexicon.freq(w)) if self.lexicon is not None else 0.0

    def _good(self, w: str, book: _BookCounts) -> bool:
        """A word on its own: used in the book, or frequent in English (one letter: a, A, I)."""
        if len(w) < 2:
            return w in ("a", "A", "I")
        w = w.lower()
        if book.words.get(w, 0) >= self.config["good_book"]:
            return True
        return self.lexicon is not None and _zipf(self.lexicon.freq(w)) >= self.config["good_zipf"]

    def _other(self, text: str, s: int, e: int, ls: int, hyphen_line: bool, dash: str = "-") -> Edit:
        """A break next to punctuation.  After closing punctuation, a dropped dash
        (``luck !`` / ``consists`` -> ``luck !-consists``, ``etc.`` / ``Translator``); a quote
        glued to a letter is OCR junk inside a word (``ovel'`` / ``come``): joined.  Anything
        else (stray marks of a heading) is joined as it stands."""
        c = self.config
        left = LEFT_RUN.search(text, max(ls, s - 40), s)
        start = left.start() if left else s
        right = RIGHT_RUN.match(text, e)
        end = right.end() if right else e
        lt, rt = text[start:s], text[e:end]
        if hyphen_line or not rt or not lt:
            # "Bol-" / ". shevik": nothing to decide; the break goes, the text stays
            return Edit(start, end, lt + rt, "word-join", note="break next to punctuation")
        if GLUED_MARK.search(lt) and rt[:1].islower():
            return Edit(start, end, lt + rt, "word-join", confidence=c["confidence_english"],
                        candidates=(lt + rt, lt + "-" + rt), note="quote glued inside a word: OCR junk")
        if DASH_BEFORE.search(lt) and DASH_AFTER.match(rt):
            # the dash as the text prints one (the profile's dash habit: a hyphen in the Writings)
            return Edit(start, end, lt + dash + rt, "hyphen-restored", confidence=c["confidence_dash"],
                        candidates=(lt + dash + rt, lt + " " + rt), note="a dash dropped after punctuation")
        return Edit(start, end, lt + rt, "word-join", confidence=c["confidence_english"],
                    candidates=(lt + rt, lt + "-" + rt, lt + " " + rt), note="break next to punctuation")
