"""Page structure: from the scan's lines to paragraphs.

The scan gives one printed line per text line, with the habits of the book's pages:

* the first line of a page starts with one space;
* running heads (``MANIFESTO ON CHINA / 21.``, ``114 / WRITINGS OF ...``, garbled or split
  over lines) and bare page numbers (``34``, ``:106``, ``5 9``) survive here and there,
  usually after a run of blank lines, cutting a sentence in two;
* blank lines: one between paragraphs, runs of three or five around article starts, but
  also stray ones inside sentences, and at the start of a paragraph the break is often
  displaced one line down (the blank follows the paragraph's first line);
* short lines (titles, datelines, salutations, signatures) stand on their own in print
  but often have no blank line around them here;
* page-foot notes (``* In reality ...``) sit where the page ended, inside a sentence.

The stage writes the text contract of docs/CONTRIBUTING.md: paragraphs separated by exactly
one blank line, the scan's line breaks (and each line's trailing spaces) kept inside a
paragraph, no blank line at the start, one newline at the end.  Every change is an edit
with a rule name; removed heads and numbers keep their text in the ledger.

Rules (edit.rule): ``running-head``, ``page-number`` (the removed lines, after="", queued
when weak), ``page-start-space``, ``blank-run`` (blank lines dropped around a break or a
removal), ``mid-sentence-blank`` (a blank line inside a sentence), ``moved-paragraph-break``
(the blank after a paragraph's first line moved back before it), ``short-line-break``
(titles, datelines, salutations, signatures, headings), ``list-item-break``,
``paragraph-break``, ``footnote-move`` / ``caption-move`` (a note or caption cutting a
sentence goes after its paragraph: a deletion and an insertion), ``footnote-break``,
``leading-blank``, ``trailing-blank``, ``final-newline``.

Nothing here knows the book: page numbers are read with the glyph table of
``ocr_clean/dictionaries/page_structure.tsv`` and accepted when they fit the sequence of page numbers
found in the same text; the line width is measured from the text around each line.
"""
from __future__ import annotations

import bisect
import collections
import copy
import difflib
import itertools
import operator
import re
from dataclasses import dataclass, field
from typing import Any

from ..document import Document
from ..ledger import APPLIED, QUEUED, Edit
from ..lexicon import data_file, read_table
from ..profile import profile_of
from .base import Stage, register

# -- text tests ---------------------------------------------------------------------------
# a sentence ends, maybe with a closing quote and a note reference (as printed or garbled)
_SENT_END = re.compile(r"""[.!?:](?:\s*["'\u2019\u201d)\]])*(?:\s*\d{1,3}|[\dIlOS]{1,3}|\s*\*)?\s*$""")
_SOFT_END = re.compile(r"""[,;]\s*["'\u2019\u201d)\]]*\s*$""")
# the first character after stray marks (none: the text is all marks)
_JUNK = r"""\s.,;:·'"\u2018\u2019\u201c\u201d(\["""
_AFTER_JUNK = re.compile(f"[{_JUNK}]*([^{_JUNK}])")
_LIST_ITEM = re.compile(r"^\(?(\d{1,3})\s?[.)]\s+\S")
_LETTER_ITEM = re.compile(r"""^["'\s]*\(\s?[a-z]\s?\)\s""")    # (a) (b) ( c)
_WORD = re.compile(r"\S+")
_ABBREV = re.compile(r"(?:^|\s)(?:(?:[A-Za-z]\.){2,}|[a-z]{1,3}\.|etc\.)\s*$")
_LOWER = re.compile(r"[^\W\d_A-Z]")   # a letter that is not an ASCII capital
_DIGITS = frozenset("0123456789")   # str.isdigit() also takes superscripts, which int() refuses
MAX_BACK = 40       # page-number readings a reading's predecessor is looked for among (see _heads_and_numbers)
# whole-text scans that find the few lines worth a closer look (see _lines_where): each starts
# with the newline before its line (a literal, which the regex engine finds at C speed); a
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


@register
class PageStructure(Stage):
    name = "page_structure"
    data_files = ("page_structure.tsv",)
    description = ("Remove running heads, page numbers and page-start spaces; join the scan's "
                   "lines into paragraphs separated by one blank line; move page-foot notes "
                   "out of the sentence they interrupt.")
    defaults: dict[str, Any] = {
        "short_ratio": 0.8,        # a line shorter than this share of the local width is short
        "very_short_ratio": 0.6,   # ... and this one is very short (titles, datelines)
        "note_width_ratio": 1.1,   # page-foot notes are set in lines longer than this
        "width_window": 150,       # lines either side used to measure the local width
        "max_head_lines": 3,       # a running head split by the scan over up to this many lines
        "number_tolerance": 2.5,   # pages a wildcard page number may be off its prediction
        "queue_below": 0.7,        # removals less confident than this are queued
        "max_lone_page": 1000,     # a lone number this high is a year, not a page
    }
    settings_help = {
        "short_ratio": "a line shorter than this share of the local width is short",
        "very_short_ratio": "... and this one is very short (titles, datelines)",
        "note_width_ratio": "page-foot notes are set in lines longer than this",
        "width_window": "lines either side used to measure the local width",
        "max_head_lines": "a running head split by the scan over up to this many lines",
        "number_tolerance": "pages a wildcard page number may be off its prediction",
        "queue_below": "removals less confident than this are queued",
        "max_lone_page": "a lone number this high is a year, not a page",
    }

    # ------------------------------------------------------------------------------------
    def propose(self, text: str, doc: Document) -> list[Edit]:
        if not text:
            return []
        # the per-text state lives on a copy: one stage object may serve many texts at once
        return copy.copy(self)._propose(text, profile_of(text, doc))

    def _propose(self, text: str, prof=None) -> list[Edit]:
        prof = prof or profile_of(text)
        self.t = _load_tables()
        lines = text.split("\n")
        n = len(lines)
        # line k starts after the k earlier lines and their newlines
        starts = list(map(operator.add, itertools.accumulate(map(len, lines[:-1]), initial=0),
                          range(n)))
        strip = list(map(str.strip, lines))
        blank = list(map(operator.not_, strip))
        self.padded, self.starts = "\n" + text, starts
        # a line's leading space marks a page start, or (the profile says) a paragraph
        self.indent_lines: list[int] = []
        self.lead_lines = self._lines_where(_LEAD_LINE)
        if prof.paragraph_indent:
            self.indent_lines, self.lead_lines = self.lead_lines, []
        self.indented = frozenset(self.indent_lines)
        self.lpp = prof.lines_per_page.value
        lead = [False] * n
        for i in self.lead_lines:
            lead[i] = True
        # the lines of text after a blank line: where blank goes from True to False
        self.after_blank = list(itertools.compress(itertools.count(1),
                                                   map(operator.gt, blank, blank[1:])))
        # what a page number or a running head needs: an ASCII digit or a slash
        digit_lines = text.encode("utf-8", "surrogatepass").translate(None, _NOT_NUMBER_BYTES)
        self.number_lines = list(itertools.compress(itertools.count(), digit_lines.split(b"\n")))
        self.lines, self.strip, self.blank, self.lead, self.n = lines, strip, blank, lead, n
        self.width = self._widths()
        self._first_memo: dict[int, str] = {}
        self._end_memo: dict[int, bool] = {}
        # the scan ends a line with a space unless a word goes on: trust that sign only
        # in a text that has it (not in text whose lines were joined already)
        nonblank = n - blank.count(True)
        self.spaced = prof.continues_without_space

        self.head_titles: list[str] = []
        blocks = self._heads_and_numbers()
        taken = set()
        for b in blocks:
            taken.update(range(b.first, b.last + 1))
        for b in self._title_heads(taken):
            blocks.append(b)
            taken.add(b.first)
        blocks += self._notes(taken)
        blocks.sort(key=lambda b: b.first)
        # kept (non-interrupting) notes are content: their lines flow, with breaks around
        block_at: dict[int, _Block] = {}
        for b in blocks:
            if b.kind != "note-kept":
                for k in range(b.first, b.last + 1):
                    block_at[k] = b
        self.block_at = block_at
        flows = list(map(operator.not_, blank))   # the lines that are not blank nor removed
        for k in block_at:
            flows[k] = False
        content = list(itertools.compress(range(n), flows))
        if not content and nonblank:
            # every line would go as a head or a page number: there is no page for them to be
            # the heads of, so they are the text (never remove all of it)
            blocks, self.block_at = [], {}
            content = list(itertools.compress(range(n), map(operator.not_, blank)))
        if not content:   # nothing but blank lines
            edits: list[Edit] = []
            self._clear(edits, text, starts, 0, 0, "blank-run")
            return edits
        gaps = self._decide(content, blocks)
        return self._edits(text, starts, content, gaps, blocks)

    # -- measuring ---------------------------------------------------------------------------
    def _lines_where(self, pattern: re.Pattern) -> list[int]:
        """The lines (indexes, ascending) where ``pattern``, which starts with the newline
        before a line, matches: one scan of the whole text at C speed, so that Python looks
        only at those few lines.  The text is scanned with a newline put before it, so the
        match's start is the offset of its line in the text."""
        starts = self.starts
        return [bisect.bisect_left(starts, m.start()) for m in pattern.finditer(self.padded)]

    def _widths(self) -> list[float]:
        """The typical width of full lines around each line: the median length of the lines
        of at least 25 characters in a window, measured once for each block of ``step`` lines.

        Fast: each window is sorted whole (the short lines are then cut off with a bisection)
        and, when windows are made of whole blocks, from lengths already sorted block by
        block, which the sort merges as runs."""
        n, strip = self.n, self.strip
        w = int(self.config["width_window"])
        step = 50
        lens = list(map(len, strip))
        if w % step == 0:   # a window is whole blocks: the same lengths, in sorted runs
            lens = [x for c0 in range(0, n, step) for x in sorted(lens[c0:c0 + step])]
        out: list[float] = []
        everywhere = None
        for c0 in range(0, n, step):
            lo, hi = max(0, c0 - w), min(n, c0 + step + w)
            sample = sorted(lens[lo:hi])
            cut = bisect.bisect_left(sample, 25)
            if len(sample) - cut < 10:   # too little text around: look wider
                if everywhere is None:
                    everywhere = sorted(lens)
                    everywhere = everywhere[bisect.bisect_left(everywhere, 25):] or [60]
                sample, cut = everywhere, 0
            med = float(sample[cut + (len(sample) - cut) // 2])
            out.extend([med] * (min(n, c0 + step) - c0))
        return out

    def _short(self, i: int, ratio: str = "short_ratio") -> bool:
        return len(self.strip[i]) < self.config[ratio] * self.width[i]

    def _sent_end(self, i: int) -> bool:
        got = self._end_memo.get(i)
        if got is None:
            got = self._end_memo[i] = bool(_SENT_END.search(self.strip[i]))
        return got

    def _soft_end(self, i: int) -> bool:
        return bool(_SOFT_END.search(self.strip[i]))

    def _word_cont(self, i: int) -> bool:
        """The raw line ends without a space after a letter or hyphen: the word goes on."""
        ln = self.lines[i]
        if not self.spaced:
            return False
        return bool(ln) and not ln[-1].isspace() and (ln[-1].isalnum() or ln[-1] in "-'\"")

    def _hyphen(self, i: int) -> bool:
        return self.strip[i].endswith("-")

    def _first(self, i: int) -> str:
        """'l' if the line starts (after stray marks) lowercase, 'U' upper or digit, else 'o'."""
        got = self._first_memo.get(i)
        if got is None:
            got = self._first_memo[i] = self._first_of(i)
        return got

    def _first_of(self, i: int) -> str:
        m = _AFTER_JUNK.match(self.strip[i])
        if m is None:
            return "o"
        c = m.group(1)
        if c.islower():   # a letter item, "(a) ", is junk and then a lower-case letter
            return "U" if _LETTER_ITEM.match(self.strip[i]) else "l"
        if c.isupper() or c.isdigit():
            return "U"
        return "o"

    def _ends_joiner(self, i: int) -> bool:
        words = self.strip[i].split()
        return bool(words) and words[-1].lower() in self.t.joiners

    def _starts_joiner(self, i: int) -> bool:
        """The line starts with a capitalized little word ('The', 'A', 'This'): a sentence
        starts there, not a name going on from the line before."""
        words = self.strip[i].split(None, 1)
        return bool(words) and words[0][:1].isupper() and words[0].lower() in self.t.joiners

    def _allcaps(self, i: int) -> bool:
        letters = [c for c in self.strip[i] if c.isalpha()]
        return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)

    def _capwords(self, i: int) -> bool:
        """A short line of capitalized words and numbers: a dateline, a signature, a name."""
        words = _WORD.findall(self.strip[i])
        if not words or len(words) > 6 or not self._short(i, "very_short_ratio"):
            return False
        for w in words:
            m = _AFTER_JUNK.match(w)
            if m and m.group(1).islower():
                return False
        return not self._ends_joiner(i)

    # -- running heads and page numbers -------------------------------------------------------
    def _read_number(self, s: str) -> str | None:
        """The digits of a printed page number ('?' for an unknown digit), or None."""
        t = self.t
        out = []
        for c in s:
            if c in _DIGITS:
                out.append(c)
            elif c in t.digit:
                out.append(t.digit[c])
            elif c in t.noise or c.isspace():
                continue
            elif c in t.wildcard:
                out.append("?")
            else:
                return None
        r = "".join(out)
        if not r or len(r) > 4 or _DIGITS.isdisjoint(r) or r.count("?") > 2:
            return None
        if _DIGITS.isdisjoint(s):
            return None
        return r

    @staticmethod
    def _values(num: str) -> list[int]:
        vals = [""]
        for c in num:
            vals = [v + d for v in vals for d in ("0123456789" if c == "?" else c)]
        return [int(v) for v in vals if v]

    def _head_form(self, s: str) -> str | None:
        """'TITLE / N' or 'N / TITLE' with an upper-case title: the number part, else None.
        The title's letters are kept in ``self.head_titles``."""
        if "/" not in s:
            return None
        for k, title_first in ((s.rfind("/"), True), (s.find("/"), False)):
            title, num = (s[:k], s[k + 1:]) if title_first else (s[k + 1:], s[:k])
            letters = [c for c in title if c.isalpha()]
            if len(letters) < 4 or sum(c.islower() for c in letters) > 0.1 * len(letters):
                continue
            got = self._read_number(num.strip())
            if got is not None:
                self.head_titles.append("".join(letters).upper())
                return got
        return None

    def _title_heads(self, taken: set[int]) -> list[_Block]:
        """Running heads whose number the scan lost: an upper-case line with the title of
        other heads of the book.  Applied when it cuts a sentence (a title never does),
        else queued."""
        titles = collections.Counter(t for t in self.head_titles if len(t) >= 8)
        if not titles:
            return []
        # one matcher per title, each line's letters set as its other sequence: the title's
        # index is made once; quick_ratio, a bound of ratio, spares most pairs the exact one
        matchers = [(t, cnt, difflib.SequenceMatcher(None, "", t)) for t, cnt in titles.items()]
        out = []
        for i in self.after_blank:   # a head follows a blank line
            s = self.strip[i]
            if i in taken or "/" in s:
                continue
            # more ASCII lower-case letters than the share allowed of all letters: prose (a
            # quick test that spares most lines the exact one)
            if _ascii_lower(s) > 0.1 * len(s):
                continue
            letters = "".join(filter(str.isalpha, s))
            if len(letters) < 8 or sum(map(str.islower, letters)) > 0.1 * len(letters):
                continue
            key = letters.upper()
            seen = 0
            for t, cnt, sm in matchers:
                if abs(len(t) - len(key)) > 0.2 * len(t):
                    continue
                sm.set_seq1(key)
                if sm.quick_ratio() >= 0.9 and sm.ratio() >= 0.9:
                    seen += cnt
            if not seen:
                continue
            a = self._prev_content(i, taken)
            b = i + 1
            while b < self.n and (self.blank[b] or b in taken):
                b += 1
            cuts = a >= 0 and b < self.n and self._continues(a, b)
            conf = 0.85 if cuts else 0.6
            status = APPLIED if conf >= self.config["queue_below"] else QUEUED
            out.append(_Block(i, i, "head", "running-head", conf, status,
                              note=f"the title of {seen} other head(s), without a page number"))
        return out

    def _head_without_slash(self, s: str) -> tuple[str, str] | None:
        """'TITLE N' or 'N TITLE' (the slash lost): (title letters, number part), else None.
        Only a number that fits the page sequence, or a title seen in other heads, makes
        it a head.  (The first and last words are split off alone, and a title cut only
        for a number word: most lines have none.)"""
        first = s.split(None, 1)
        if len(first) < 2:
            return None
        # the title is the line but for a number word (at most 8 characters): a line with more
        # ASCII lower-case letters than that and the share allowed is prose (a quick test)
        if _ascii_lower(s) - 8 > 0.1 * len(s):
            return None
        last = s.rsplit(None, 1)[1]
        for at_end in (True, False):
            num = last if at_end else first[0]
            if len(num) > 8 or _DIGITS.isdisjoint(num):
                continue
            title = s[:s.rfind(num)] if at_end else s[len(num):]
            if len(_LOWER.findall(title)) > 0.1 * len(title):
                continue
            letters = [c for c in title if c.isalpha()]
            if len(letters) < 8:
                continue
            got = self._read_number(num)
            if got is not None:
                return "".join(letters).upper(), got
        return None

    def _heads_and_numbers(self) -> list[_Block]:
        n, strip, blank, lead = self.n, self.strip, self.blank, self.lead
        cands = []   # (first, last, kind, number-string, position evidence)
        maxk = int(self.config["max_head_lines"])
        # only lines with a digit or a slash can be a head or a number, or start a head
        # split over lines (whose slash is on one of the next maxk - 1 lines)
        tried = set(self.number_lines)
        for j in self.number_lines:
            if "/" in strip[j]:
                tried.update(range(max(0, j - maxk + 1), j))
        done = 0   # the lines before this one are in a head or a number found already
        for i in sorted(tried):
            if i < done or blank[i]:
                continue
            after_blank = i == 0 or blank[i - 1]
            found = None
            num = self._head_form(strip[i])
            if num is not None:
                found = (i, i, "head", num)
            elif after_blank:
                # a head the scan split over a few short lines
                for k in range(1, maxk):
                    j = i + k
                    if j >= n or blank[j] or any(not self._short(x) for x in range(i, j + 1)):
                        break
                    num = self._head_form("".join(strip[i:j + 1]))
                    if num is not None:
                        found = (i, j, "head", num)
                        break
            if found is None and len(strip[i]) <= 8:
                num = self._read_number(strip[i])
                if num is not None:
                    found = (i, i, "number", num)
            if found is None and len(strip[i]) <= 1.3 * self.width[i]:
                got = self._head_without_slash(strip[i])
                if got is not None:
                    found = (i, i, "head-noslash", got[1])
            if found is not None:
                f, l, kind, num = found
                before = f == 0 or blank[f - 1]
                after = l + 1 >= n or blank[l + 1] or lead[l + 1]
                cands.append((f, l, kind, num, before and after))
                done = l + 1
        if not cands:
            return []
        # the sequence of page numbers: the heaviest chain of readings increasing with the
        # lines at a plausible rate (lines a page from the page-start lines)
        lpp = self._lines_per_page()
        exact = [(c, self._values(c[3])[0]) for c in cands if "?" not in c[3]]
        m = len(exact)
        best = [0.0] * m
        prev = [-1] * m
        for j in range(m):
            (cj, vj) = exact[j]
            wj = (3.0 if cj[2] == "head" else 1.0) + (1.0 if cj[4] else 0.0)
            if cj[2] == "head-noslash":
                wj = 0.5
            best[j] = wj
            # the predecessor is looked for among the last MAX_BACK readings only: a page's
            # number follows one of the pages just before it, and a text of many short lines
            # of numbers would otherwise take time growing with the square of their count
            for i2 in range(max(0, j - MAX_BACK), j):
                (ci, vi) = exact[i2]
                if vi >= vj:
                    continue
                dl = (cj[0] - ci[0]) / lpp
                if abs((vj - vi) - dl) <= 3 + 0.35 * dl and best[i2] + wj > best[j]:
                    best[j] = best[i2] + wj
                    prev[j] = i2
        chain: list[tuple[int, int]] = []
        if m:
            j = max(range(m), key=lambda x: best[x])
            while j >= 0:
                chain.append((exact[j][0][0], exact[j][1]))
                j = prev[j]
            chain.reverse()
        chain_lines = [c[0] for c in chain]
        in_chain = set(chain_lines)
        # head titles seen more than once (a left-page head repeats the book's title)
        title_count: dict[str, int] = {}
        for c in cands:
            if c[2] == "head":
                key = "".join(ch for ch in "".join(strip[c[0]:c[1] + 1]).upper() if ch.isalpha())
                title_count[key] = title_count.get(key, 0) + 1

        def predict(line: int) -> float | None:
            if not chain:
                return None
            k = bisect.bisect_left(chain_lines, line)
            if 0 < k < len(chain):
                (l0, v0), (l1, v1) = chain[k - 1], chain[k]
                return v0 + (v1 - v0) * (line - l0) / max(1, l1 - l0)
            l0, v0 = chain[0] if k == 0 else chain[-1]
            return v0 + (line - l0) / lpp

        queue_below = self.config["queue_below"]
        out = []
        for (f, l, kind, num, pos_ok) in cands:
            vals = self._values(num)
            # a reading is only trusted when another page number agrees with it
            fits = f in in_chain and "?" not in num and len(chain) >= 2
            note = ""
            if not fits and len(chain) >= 2:
                p = predict(f)
                if p is not None:
                    v = min(vals, key=lambda x: abs(x - p))
                    if abs(v - p) <= self.config["number_tolerance"]:
                        fits = True
                        note = f"read as page {v} (expected about {p:.0f})"
            if kind == "head-noslash":
                got = self._head_without_slash(strip[f])
                title_known = got is not None and any(
                    k.startswith(got[0]) or k.endswith(got[0]) for k in title_count if len(got[0]) >= 8)
                if fits and pos_ok:
                    conf = 0.9
                elif title_known and (fits or pos_ok):
                    conf = 0.8
                elif fits or title_known:
                    conf = 0.6
                else:
                    continue
                kind, rule = "head", "running-head"
                note = (note + "; " if note else "") + "a head whose slash the scan lost"
            elif kind == "head":
                key = "".join(ch for ch in "".join(strip[f:l + 1]).upper() if ch.isalpha())
                if fits:
                    conf = 0.97
                elif title_count.get(key, 0) > 1 or len(chain) < 2:
                    conf = 0.85    # the form alone: nothing to check the number against
                else:
                    conf = 0.6     # its number contradicts the page sequence
                rule = "running-head"
            else:
                if not fits and len(chain) >= 2:
                    continue       # a number that is not a page number: a note, a year, a list
                if not fits:       # a lone number, nothing to check it against
                    if not pos_ok or max(vals) >= self.config["max_lone_page"]:
                        continue
                    conf = 0.5
                else:
                    conf = 0.95 if pos_ok else 0.6
                wild = num.count("?")
                if wild == 1:
                    conf = min(conf, 0.8)
                elif wild > 1:
                    conf = min(conf, 0.5)
                rule = "page-number"
            status = APPLIED if conf >= queue_below else QUEUED
            out.append(_Block(f, l, kind if kind == "head" else "number", rule, conf, status, note))
        return out

    def _lines_per_page(self) -> float:
        """The profile's lines a page (measured from the page starts), else 40."""
        return float(self.lpp) if self.lpp else 40.0

    # -- page-foot notes and captions -------------------------------------------------------
    def _prev_content(self, i: int, taken: set[int]) -> int:
        k = i - 1
        while k >= 0 and (self.blank[k] or k in taken):
            k -= 1
        return k

    def _continues(self, a: int, b: int) -> bool:
        """The sentence of line a goes on at line b."""
        if self._word_cont(a) or self._hyphen(a):
            return True
        if self._sent_end(a):
            return False
        return self._first(b) == "l" or self._ends_joiner(a)

    def _notes(self, taken: set[int]) -> list[_Block]:
        n, strip, blank, lead = self.n, self.strip, self.blank, self.lead
        note_re = self.t.note
        out = []
        done = 0   # the lines before this one are in a note found already
        for i in self.after_blank:   # a note starts after a blank line
            if i < done or lead[i] or i in taken:
                continue
            marker = bool(note_re and note_re.match(strip[i]))
            # without a marker, a note is told by its longer lines (all but its last), a
            # caption by the blank lines before it: most lines are neither, seen at once
            wide = self.config["note_width_ratio"] * self.width[i]
            if not marker and len(strip[i]) < wide and not (i >= 2 and blank[i - 2]):
                continue
            # the block runs to the next page-start line (a note ends its page)
            # (or the running head that survived at the top of the next page)
            j, blanks_in_a_row, p = i, 0, -1
            while j < n and j - i <= 20:
                if lead[j]:
                    p = j
                    break
                if j in taken or blanks_in_a_row >= 2:
                    while j < n and blank[j]:
                        j += 1
                    if j < n and j in taken:
                        while j < n and (blank[j] or j in taken):
                            j += 1
                        p = j if j < n else -1
                    break
                blanks_in_a_row = blanks_in_a_row + 1 if blank[j] else 0
                j += 1
            if p < 0:
                continue
            last = p - 1
            while last >= i and (blank[last] or last in taken):
                last -= 1
            body = [k for k in range(i, last + 1) if not blank[k]]
            if not body:
                continue
            long_lines = len(body) >= 2 and all(len(strip[k]) >= wide for k in body[:-1])
            k0 = i - 1
            nblank = 0
            while k0 >= 0 and blank[k0]:
                nblank += 1
                k0 -= 1
            caption = len(body) == 1 and nblank >= 2 and not marker
            if not (marker or long_lines or caption):
                continue
            a = self._prev_content(i, taken)
            interrupts = a >= 0 and self._continues(a, p)
            if caption and not interrupts:
                continue
            text = "\n".join(self.lines[k].lstrip() for k in body)
            # a note continued from the previous page joins that note
            prev_note = next((b for b in reversed(out) if b.kind in ("note", "note-kept")), None)
            follows = None
            if prev_note is not None and not marker and not caption and i - prev_note.last < 80:
                tail = prev_note.note.rsplit("\n", 1)[-1].rstrip()
                if tail.endswith("-") or (not _SENT_END.search(tail) and self._first(i) == "l"):
                    follows = prev_note
            if interrupts or follows is not None:
                kind = "caption" if caption else "note"
                rule = "caption-move" if caption else "footnote-move"
                conf = 0.75 if caption else (0.9 if marker else 0.8)
                if follows is not None and follows.kind == "note-kept":
                    follows = None      # the first part stays where it is: so does this one
                    kind, rule = "note-kept", "footnote-break"
                blk = _Block(i, last, kind, rule, conf, APPLIED, note=text,
                             moved=kind != "note-kept", marker=marker, follows=follows)
            else:
                blk = _Block(i, last, "note-kept", "footnote-break", 0.9, APPLIED, note=text,
                             marker=marker)
            out.append(blk)
            taken.update(range(i, last + 1))
            done = last + 1
        return out

    # -- paragraph decisions ----------------------------------------------------------------
    def _decide(self, content: list[int], blocks: list[_Block]) -> dict[int, _Gap]:
        """One decision for each pair of consecutive content lines: gaps[x] goes between
        content[x] and content[x + 1].

        Fast: most pairs are two lines next to each other in the scan, neither of them short,
        which _decide_one would always keep in one paragraph.  Those are found by one pass
        over the lines and left out of ``gaps`` (they stand for _Gap("\\n", "line") and
        need no edit); Python decides only the other pairs."""
        blank, strip = self.blank, self.strip
        kept_first = {b.first for b in blocks if b.kind == "note-kept"}
        kept_last = {b.last for b in blocks if b.kind == "note-kept"}
        # short by either measure (widths are not negative, so the larger ratio decides)
        ratio = max(self.config["short_ratio"], self.config["very_short_ratio"])
        look = [len(s) < ratio * w for s, w in zip(strip, self.width)]
        for k in kept_first | kept_last:
            look[k] = True
        todo = [x for x, a, b in zip(itertools.count(), content, content[1:])
                if b - a > 1 or look[a] or look[b]]
        gaps: dict[int, _Gap] = {}
        info: dict[int, tuple[int, list[_Block]]] = {}   # (blank lines, removed blocks)
        no_info = (0, [])                                # ... between adjacent lines
        block_at = self.block_at
        for x in todo:
            a, b = content[x], content[x + 1]
            nb, bl = no_info
            if b - a == 2 and a + 1 not in block_at:
                # most often: one blank line between (neither content nor removed), which
                # needs no count
                nb = 1
                info[x] = (nb, bl)
            elif b - a > 1:
                nb = sum(1 for k in range(a + 1, b) if blank[k])
                bl = [block_at[k] for k in range(a + 1, b) if k in block_at]
                info[x] = (nb, bl)
            gaps[x] = self._decide_one(a, b, nb, bl)
            if a in kept_last or b in kept_first:
                gaps[x] = _Gap("\n\n", "footnote-break", 0.9)
        # a numbered item continuing a numbered sequence starts a paragraph
        list_seen: dict[tuple[str, int], int] = {}   # (style, number) -> line of the item
        for b in self._lines_where(_LIST_ITEM_LINE):
            x = bisect.bisect_left(content, b) - 1   # the gap before line b
            m = _LIST_ITEM.match(strip[b])
            if not 0 <= x < len(content) - 1 or content[x + 1] != b or not m:
                continue
            a = content[x]
            num = int(m.group(1))
            style = strip[b][:1] == "("
            prev_line = list_seen.get((style, num - 1))
            para_start = x == 0 or gaps.get(x, _LINE).sep == "\n\n"
            if para_start:
                list_seen[(style, num)] = b
            elif prev_line is not None and b - prev_line < 400 and not self._word_cont(a) \
                    and not self._hyphen(a) \
                    and (self._sent_end(a) or a == prev_line or info.get(x, no_info)[0] > 0):
                gaps[x] = _Gap("\n\n", "list-item-break", 0.8)
                list_seen[(style, num)] = b
        # the displaced break: a blank line inside a sentence right after a paragraph's first
        # line, that paragraph glued to the end of the previous one
        for x, (nb, bl) in info.items():
            if not 1 <= x < len(content) - 1:
                continue
            g = gaps[x]
            if g.sep != "\n" or nb == 0 or bl or g.rule != "mid-sentence-blank":
                continue
            w, a = content[x - 1], content[x]
            g0 = gaps.get(x - 1, _LINE)
            if g0.sep != "\n" or x - 1 in info and (info[x - 1][0] or info[x - 1][1]):
                continue
            if self._first(a) != "U" or self._word_cont(w) or self._hyphen(w):
                continue
            ends = self._sent_end(w)
            short = self._short(w) and not self._ends_joiner(w)
            if not (ends or short):
                continue
            conf = 0.92 if (self.lead[w] or short) else 0.85
            gaps[x - 1] = _Gap("\n\n", "moved-paragraph-break", conf)
            gaps[x] = _Gap("\n", "moved-paragraph-break", conf)
        return gaps

    def _decide_one(self, a: int, b: int, nb: int, bl: list[_Block]) -> _Gap:
        """The gap between content lines a and b, with nb blank lines and the removed blocks
        bl between them.  (Each line test runs only when the decision comes to it.)"""
        fb = self._first(b)
        if nb or bl:
            join_rule = "mid-sentence-blank"
            if bl:
                heads = [k for k in bl if k.kind in ("head", "number")]
                join_rule = "running-head" if any(k.kind == "head" for k in heads) else (
                    "page-number" if heads else (
                        "footnote-move" if any(k.moved for k in bl) else join_rule))
            if self._word_cont(a) or (self._hyphen(a) and fb == "l"):
                return _Gap("\n", join_rule, 0.95)
            if fb == "l" and not self._sent_end(a):
                return _Gap("\n", join_rule, 0.95)
            if fb == "l" and self._sent_end(a) and not self.strip[a].endswith(":") \
                    and not _LIST_ITEM.match(self.strip[b]):
                if _ABBREV.search(self.strip[a]):
                    return _Gap("\n", join_rule, 0.7)     # "etc." or "i.e." goes on
                # a sentence ended and a blank line follows: a paragraph, whose first
                # capital the scan misread ("r am sending" for "I am sending")
                return _Gap("\n\n", "paragraph-break", 0.6)
            if (self.spaced and not self._sent_end(a) and fb != "l" and not self._short(a)
                    and not self._alone(a)
                    and not self._allcaps(a) and not self._standalone(b)
                    and not (self._starts_joiner(b) and not self._ends_joiner(a))):
                return _Gap("\n", join_rule, 0.9 if self._ends_joiner(a) else 0.8)
            return _BLANK_RUN if nb >= 2 or bl else _PARAGRAPH
        # adjacent lines: the same paragraph unless a short line stands on its own, or the
        # text indents its paragraphs and b is indented
        if b in self.indented and not self._word_cont(a) and not self._hyphen(a):
            return _Gap("\n\n", "indent-paragraph-break", 0.9)
        if self._word_cont(a) or self._hyphen(a) or fb == "l":
            return _LINE
        if fb == "U" and self._short(a) and (self._sent_end(a) or self._soft_end(a)):
            return _Gap("\n\n", "short-line-break", 0.85)
        if fb == "U" and self._capwords(a):
            return _Gap("\n\n", "short-line-break", 0.75)
        if fb == "U" and (a == 0 or self.blank[a - 1]) and self._short(a) and not self._short(b) \
                and not self._sent_end(a) and not self._soft_end(a) and not self._ends_joiner(a):
            return _Gap("\n\n", "short-line-break", 0.75)   # a heading, then full lines
        if self._capwords(b) and (self._sent_end(a) or self._soft_end(a) or self._capwords(a)) \
                and any(c.isalpha() for c in self.strip[b]) \
                and not re.search(r"[.!?][\"'\u201d]?$", self.strip[b]):
            nxt = b + 1
            if nxt >= self.n or self.blank[nxt] or nxt in self.block_at:
                return _Gap("\n\n", "short-line-break", 0.8)
        if self._sent_end(a) and self._short(b) and not self._sent_end(b) \
                and not self._soft_end(b) and not self._word_cont(b) and not self._hyphen(b) \
                and not self._ends_joiner(b) and fb == "U":
            nxt = b + 1
            while nxt < self.n and self.blank[nxt]:
                nxt += 1
            if nxt < self.n and self._first(nxt) == "U":
                return _Gap("\n\n", "short-line-break", 0.75)   # a heading
        return _LINE

    def _alone(self, a: int) -> bool:
        """A one-line heading between blank lines."""
        return (a == 0 or self.blank[a - 1]) and len(self.strip[a]) < 0.9 * self.width[a] \
            and not self._ends_joiner(a)

    def _standalone(self, b: int) -> bool:
        """A short line that is its own paragraph: salutation, heading in capitals."""
        if not self._short(b, "very_short_ratio"):
            return False
        s = self.strip[b]
        return s.endswith(":") or s.endswith(",") or self._allcaps(b)

    # -- edits ----------------------------------------------------------------------------------
    def _edits(self, text: str, starts: list[int], content: list[int], gaps: dict[int, _Gap],
               blocks: list[_Block]) -> list[Edit]:
        """The edits for the decided gaps (see _decide: a gap not in ``gaps`` needs none,
        nor does a paragraph break that one empty line makes already),
        the removed blocks, the leading spaces and the end of the text."""
        lines, blank = self.lines, self.blank
        edits: list[Edit] = []

        def line_span(k: int) -> tuple[int, int]:
            """Line k with its newline."""
            return starts[k], min(len(text), starts[k] + len(lines[k]) + 1)

        # before the first content line
        c0 = content[0]
        if starts[c0] > 0:
            self._gap_edits(edits, text, starts, -1, c0, _Gap("", "blank-run"))
        # leading spaces of content lines (the page starts that are not removed)
        for i in self.lead_lines:
            if i not in self.block_at:
                ln = lines[i]
                edits.append(Edit(starts[i], starts[i] + len(ln) - len(ln.lstrip()), "",
                                  "page-start-space", 1.0))
        for i in self.indent_lines:      # a paragraph's indentation: the break says it now
            if i not in self.block_at:
                ln = lines[i]
                edits.append(Edit(starts[i], starts[i] + len(ln) - len(ln.lstrip()), "",
                                  "paragraph-indent", 1.0))
        # between content lines
        block_at = self.block_at
        for x in sorted(gaps):
            a, b = content[x], content[x + 1]
            sep = gaps[x].sep
            if b - a == 1:
                if sep == "\n":   # nothing between, nothing to add
                    continue
            elif b - a == 2 and sep == "\n\n" and not lines[a + 1] and a + 1 not in block_at:
                continue           # already a paragraph break: one empty line between
            self._gap_edits(edits, text, starts, a, b, gaps[x])
        last = content[-1]
        end_last = starts[last] + len(lines[last])
        # moved notes go to the end of their paragraph: the last line before a break
        inserts: dict[int, list[_Block]] = {}
        para_ends = sorted(x for x, g in gaps.items() if g.sep == "\n\n")
        para_ends.append(len(content) - 1)
        continued: dict[int, list[_Block]] = {}
        for b in blocks:
            if b.moved and b.follows is not None and b.follows.moved:
                root = b.follows
                while root.follows is not None and root.follows.moved:
                    root = root.follows
                continued.setdefault(id(root), []).append(b)
        for b in blocks:
            if not b.moved or (b.follows is not None and b.follows.moved):
                continue
            k = bisect.bisect_right(content, b.last)
            target = last
            if k < len(content):
                target = content[para_ends[bisect.bisect_left(para_ends, k)]]
            inserts.setdefault(target, []).append(b)
        for target, bs in inserts.items():
            pos = starts[target] + len(lines[target])
            after = "".join("\n\n" + b.note + "".join("\n" + c.note for c in continued.get(id(b), ()))
                            for b in bs)
            bs = bs + [c for b in bs for c in continued.get(id(b), ())]
            edits.append(Edit(pos, pos, after, bs[0].rule, min(b.confidence for b in bs),
                              note="moved here from raw line(s) "
                                   + ", ".join(f"{b.first + 1}-{b.last + 1}" for b in bs)))
        self._tail(edits, text, starts, last, end_last)
        return edits

    def _block_edit(self, edits: list[Edit], text: str, s: int, e: int, b: _Block) -> None:
        note = b.note
        if b.moved:
            note = "moved to the end of the paragraph"
        edits.append(Edit(s, e, "", b.rule, b.confidence, b.status, note=note))

    def _gap_edits(self, edits: list[Edit], text: str, starts: list[int], a: int, b: int,
                   gap: _Gap) -> None:
        """Edits turning the lines between content lines a and b into gap.sep.

        a == -1: the start of the text (nothing may stay).  The newline that ends line a is
        kept; each removed block is one edit (with a blank line next to it, so that a queued
        block keeps blank lines around it); the other blank lines are deleted but for the one
        a paragraph break needs (inserted when there is none)."""
        lines, blank = self.lines, self.blank
        first = a + 1
        units = list(range(first, b))
        need = 1 if gap.sep == "\n\n" else 0
        reserve = None
        if need:
            for k in units:
                if blank[k]:
                    reserve = k
                    break
        absorbed: set[int] = set()
        block_spans: list[tuple[int, int, _Block]] = []
        insert_at = None
        k = first
        while k < b:
            if k not in self.block_at:
                k += 1
                continue
            blk = self.block_at[k]
            f, l = k, min(blk.last, b - 1)
            lo, hi = f, l
            after = l + 1 < b and blank[l + 1] and l + 1 != reserve
            before = f - 1 > a and blank[f - 1] and f - 1 not in absorbed
            if not need:
                # queued, the block stands between blank lines: take one on each side
                if after:
                    hi = l + 1
                if before:
                    lo = f - 1
            elif after:
                hi = l + 1
            elif before and f - 1 != reserve:
                lo = f - 1
            elif before:
                # the only blank line is before the block: the block takes it and the
                # paragraph break is made after the block instead
                lo = f - 1
                reserve = None
                insert_at = starts[l + 1]
            absorbed.update(range(lo, hi + 1))
            block_spans.append((lo, hi, blk))
            k = l + 1
        # blank lines to delete: contiguous runs outside blocks and the reserve
        dele: list[int] = [k for k in units if blank[k] and k not in absorbed and k != reserve]
        runs: list[list[int]] = []
        for k in dele:
            if runs and runs[-1][-1] == k - 1:
                runs[-1].append(k)
            else:
                runs.append([k])
        rule = gap.rule
        if rule in ("line", "paragraph-break", "running-head", "page-number", "footnote-move",
                    "caption-move"):
            rule = "blank-run"
        if a < 0:
            rule = "leading-blank"
        for r in runs:
            s = starts[r[0]]
            e = starts[r[-1]] + len(lines[r[-1]]) + 1
            edits.append(Edit(s, e, "", rule, gap.confidence))
        for lo, hi, blk in block_spans:
            s = starts[lo]
            e = starts[hi] + len(lines[hi]) + 1
            self._block_edit(edits, text, s, e, blk)
        if reserve is not None and lines[reserve]:   # a blank line made of spaces
            edits.append(Edit(starts[reserve], starts[reserve] + len(lines[reserve]), "",
                              "blank-run"))
        if need and reserve is None:
            pos = starts[b] if insert_at is None else insert_at
            edits.append(Edit(pos, pos, "\n", gap.rule, gap.confidence))

    def _tail(self, edits: list[Edit], text: str, starts: list[int], last: int,
              end_last: int) -> None:
        """After the last content line: exactly one newline.  Each following line is taken
        with the newline before it: removed blocks as their own edits, blank lines deleted,
        the newline of the text's final empty line kept (or one added)."""
        lines = self.lines
        k = last + 1
        run_start = None
        while k < self.n:
            final_empty = k == self.n - 1 and lines[k] == ""
            if final_empty:
                break
            blk = self.block_at.get(k)
            if blk is not None:
                s0 = starts[k] - 1
                if run_start is not None:
                    # the block takes the blank line before it: queued, it stays a paragraph
                    s0 = starts[k - 1] - 1
                    if s0 > run_start:
                        edits.append(Edit(run_start, s0, "", "trailing-blank"))
                    run_start = None
                self._block_edit(edits, text, s0, starts[blk.last] + len(lines[blk.last]), blk)
                k = blk.last + 1
                continue
            if run_start is None:
                run_start = starts[k] - 1
            k += 1
        end = starts[self.n - 1] - 1 if lines[-1] == "" and self.n - 1 > last else len(text)
        if run_start is not None and end > run_start:
            edits.append(Edit(run_start, end, "", "trailing-blank"))
        if not (lines[-1] == "" and self.n - 1 > last):
            for e in edits:
                if e.start == e.end == len(text):   # a note moved to the very end
                    e.after += "\n"
                    break
            else:
                edits.append(Edit(len(text), len(text), "\n", "final-newline"))

    def _clear(self, edits: list[Edit], text: str, starts: list[int], first: int, pos: int,
               rule: str) -> None:
        """Delete everything from offset ``pos`` (the start of line ``first``) to the end of
        the text: removed blocks as their own edits, the rest as layout."""
        k = first
        while k < self.n and pos < len(text):
            blk = self.block_at.get(k)
            e = min(len(text), starts[k] + len(self.lines[k]) + 1)
            if blk is not None:
                e = min(len(text), starts[blk.last] + len(self.lines[blk.last]) + 1)
                self._block_edit(edits, text, starts[k], e, blk)
                k = blk.last + 1
            else:
                j = k
                while j + 1 < self.n and (j + 1) not in self.block_at:
                    j += 1
                e = min(len(text), starts[j] + len(self.lines[j]) + 1)
                if e > starts[k]:
                    edits.append(Edit(starts[k], e, "", rule))
                k = j + 1
