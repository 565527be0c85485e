"""The book's own evidence for dehyphenate (:class:`BookCounts`): its words, compounds and
habits with prefixes and suffixes, counted on unbroken text."""
from __future__ import annotations

import bisect
import collections
import math
import operator
from itertools import compress

from ...lexicon import beyond_ascii
from .scanners import RUN, char_at, char_before, utf8_of, word_char, count_tokens

_SEARCHES = 256    # BookVocab.separate searches before it counts every pair at once


def zipf(freq: float) -> float:
    return math.log10(freq * 1e9) if freq > 0 else 0.0


class BookCounts:
    """The book's own evidence, counted on unbroken text (case folded).

    ``words``: every word, also as a part of a compound (``leninists`` in
    ``Bolshevik-Leninists``); ``solo``: words used on their own, not in a compound;
    ``pairs``: adjacent parts of hyphenated compounds (``("five", "year")``), and
    ``pair_types_*``: for each first (last) part, the distinct partners it is
    hyphenated with, which tells how the book treats a prefix (suffix).
    """

    def __init__(self, text: str, fragments: collections.Counter) -> None:
        """``fragments``: how often each token is a half of a broken word (no evidence)."""
        self.text, self.utf8 = text, utf8_of(text)
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
        matches of ``a b`` in the lowered text with no word character (:func:`word_char`) next
        to them, each searched from the end of the one before (from the next character after
        a match that is not two words: ``over-all over`` in ``over-all over-all over`` is found
        once, at its second place).

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
            if RUN.fullmatch(la) and RUN.fullmatch(lb) and (la + lb).isascii():
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
            if (i == 0 or not word_char(char_before(low, i))) and (
                    j == len(low) or not word_char(char_at(low, j))):
                n += 1
                i = low.find(needle, j)
            else:                       # not two words there ("over-all over-all over"): the
                i = low.find(needle, i + 1)     # next match may start inside this one
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
            for m in RUN.finditer(low):
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
