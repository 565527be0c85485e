"""Measuring the lines: their local width, and what each line's text is (short, a sentence end,
a heading in capitals, a line that continues into the next)."""
from __future__ import annotations

import bisect
import re

from .patterns import _AFTER_JUNK, _LETTER_ITEM, _SENT_END, _SOFT_END, _first_class


class _Measure:
    """What each line is: widths and the tests of its text (reads self.lines, self.strip, ...)."""

    # -- measuring ---------------------------------------------------------------------------
    def _lines_where(self, pattern: re.Pattern) -> list[int]:
        """The lines (indexes, ascending) where ``pattern``, which starts with the newline
        before a line and stays in that line, matches: one scan of the whole text at C speed,
        so that Python looks only at those few lines.  A match's newline is the one before
        its line's start; the first line (no newline before it) is tried on its own."""
        starts, text = self.starts, self.text
        first_end = text.find("\n")
        found = [0] if pattern.match("\n" + (text if first_end < 0 else text[:first_end])) else []
        found += [bisect.bisect_left(starts, m.start() + 1) for m in pattern.finditer(text)]
        return found

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
        got = self._end_memo[i]
        if got is None:
            got = self._end_memo[i] = bool(_SENT_END.search(self.strip[i]))
        return got

    def _soft_end(self, i: int) -> bool:
        got = self._soft_memo[i]
        if got is None:
            got = self._soft_memo[i] = bool(_SOFT_END.search(self.strip[i]))
        return got

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
        got = self._first_memo[i]
        if got is None:
            got = self._first_memo[i] = self._first_of(i)
        return got

    def _first_of(self, i: int) -> str:
        got = _first_class(self.strip[i])     # (most lines start with their letter: no pattern)
        if got is not None:                   # (and a letter item starts with junk)
            return got
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
        """A short line of capitalized words and numbers: a dateline, a signature, a name.
        (Asked of most lines twice, as the second line of a pair and then the first: kept.)"""
        got = self._capwords_memo[i]
        if got is None:
            got = self._capwords_memo[i] = self._capwords_of(i)
        return got

    def _capwords_of(self, i: int) -> bool:
        if not self._short(i, "very_short_ratio"):
            return False
        words = self.strip[i].split()          # (str.split and the pattern \S+ agree)
        if not words or len(words) > 6:
            return False
        for w in words:
            got = _first_class(w)
            if got is None:
                m = _AFTER_JUNK.match(w)
                got = "l" if m and m.group(1).islower() else "o"
            if got == "l":
                return False
        return words[-1].lower() not in self.t.joiners     # (not _ends_joiner(i))
