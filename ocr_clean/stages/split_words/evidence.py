"""The evidence of split_words: the book's counts (the document's ``BookVocab``, its pairs
counted as the lexicon counts them), the lists of short words and prefixes, and the score of a
piece kept as it is or of a joined word (:class:`Evidence`, a part of the stage)."""
from __future__ import annotations

import math
from functools import lru_cache
from itertools import compress, repeat
from operator import lt, or_, sub

from ...lexicon import data_file, read_word_list
from .scanners import case_ok


@lru_cache(maxsize=4)
def prefix_list(path: str) -> frozenset:
    return frozenset(w.lower() for w in read_word_list(data_file(path)))


@lru_cache(maxsize=4)
def short_word_lists(path: str) -> tuple[frozenset, frozenset]:
    words = read_word_list(data_file(path))
    one = frozenset(w for w in words if len(w) == 1)
    two = frozenset(w.lower() for w in words if len(w) == 2)
    return one, two


class Evidence:
    """The part of :class:`~.stage.SplitWords` that weighs pieces and joined words."""

    # -- the evidence ----------------------------------------------------------------------
    def _prepare(self, text: str, doc=None) -> None:
        cfg = self.config
        # pairs of pieces are asked about when they make a word the book writes known_book + 1
        # times (the split uses) or pair_queue_count times (the pairs): those pairs are counted
        # at once (``joins``, every use of such a pair); the few others asked about when
        # deciding a pair of words are counted together (``_pair_counts``), never every pair
        self.book = book = self.book_vocab(text, doc)
        min_joined = min(cfg["known_book"] + 1, cfg["pair_queue_count"])
        self.joinable = {w for w, k in book.lower.items() if k >= min_joined}
        self.joins = book.pairs_joining(self.joinable)
        self._pair_counts: dict[tuple[str, str], int] = {}
        # book frequencies mean little in a short text: count it as at least min_book_tokens long
        self.n = max(self.book.total, cfg["min_book_tokens"])
        self.one, self.two = short_word_lists(cfg["short_words"])
        self.prefixes = prefix_list(cfg["prefixes"])
        self._english = self.lexicon.english
        self._piece: dict[str, tuple[bool, float]] = {}
        self._word: dict[str, float | None] = {}
        self._split_uses: dict[str, int] = {}

    def pair(self, a: str, b: str) -> int:
        """Uses of the word pair ``a b`` in the book (case folded), as ``BookVocab.pair``."""
        a, b = a.lower(), b.lower()
        if a + b in self.joinable:
            return self.joins.get((a, b), 0)     # every use of such a pair is in joins
        got = self._pair_counts.get((a, b))
        if got is None:
            got = self._pair_counts[a, b] = self.book.pair_counts([(a, b)])[a, b]
        return got

    def count_pairs(self, pairs) -> None:
        """Count the word pairs ``pairs`` (as written) at once, for :meth:`pair` to answer."""
        wanted = {(a.lower(), b.lower()) for a, b in pairs}
        self._pair_counts.update(self.book.pair_counts(wanted.difference(self._pair_counts)))

    def book_count(self, word: str) -> int:
        """Uses of ``word`` whole in the book, in a compatible case.

        A lower-case word counts its lower-case uses only (``ram`` is not the name ``Ram``);
        a Capitalized one its own and the lower-case form's; CAPITALS count every form.
        """
        counts = self.book.counts
        if word.islower():
            return counts.get(word, 0)
        if word.isupper():
            return self.book.count(word)
        return counts.get(word, 0) + counts.get(word.lower(), 0)

    def piece(self, tok: str) -> tuple[bool, float]:
        """(is a word of its own, log score of the piece kept as it is)."""
        hit = self._piece.get(tok)
        if hit is None:
            self._classify((tok,))
            hit = self._piece[tok]
        return hit

    def _freqs(self, lows):
        """The English frequency (``lexicon.freq``) of each of ``lows`` (lower-case pieces)."""
        return map(self._english.get, map(str.lower, lows), repeat(0.0))

    def _uses(self, lows):
        """The book's uses of each of ``lows`` (lower-case pieces), less those where it sits
        next to a piece it makes a word with (at least 0)."""
        return map(max, map(sub, map(self.book.lower.get, lows, repeat(0)),
                            map(self._split_uses.get, lows, repeat(0))), repeat(0))

    def _weak(self, toks) -> set[str]:
        """Those of ``toks`` (distinct pieces) that are no word of their own: the one place
        that says which piece is a word of its own.  Only a test, no score, as the stage asks
        it of every distinct piece of the book's chains at once; the pieces of three letters
        or more common in English (words of their own) are set aside with maps first."""
        cfg = self.config
        common_freq, rare_freq = cfg["common_freq"], cfg["rare_freq"]
        rare_book_count, book_word_count = cfg["rare_book_count"], cfg["book_word_count"]
        one, two = self.one, self.two
        toks = list(set(toks).difference(self.lexicon.protected))   # forms a person confirmed
        lows = list(map(str.lower, toks))
        efs = list(self._freqs(lows))
        rest = list(map(or_, map(lt, efs, repeat(common_freq)), map(lt, map(len, toks), repeat(3))))
        toks, lows, efs = list(compress(toks, rest)), list(compress(lows, rest)), compress(efs, rest)
        weak = set()
        for tok, low, ef, bc in zip(toks, lows, efs, self._uses(lows)):
            size = len(tok)
            if size > 2:
                if bc >= (rare_book_count if ef >= rare_freq or size > 4 else book_word_count):
                    continue
            elif size == 2:
                if low in two:
                    continue
            elif tok in one:
                continue
            weak.add(tok)
        return weak

    def _classify(self, toks) -> None:
        """``piece`` of each of ``toks`` (distinct pieces not yet seen) into ``self._piece``,
        the lists and settings looked up once for all of them."""
        cfg = self.config
        rare_freq, floor, weak_factor, n = cfg["rare_freq"], cfg["floor"], cfg["weak_factor"], self.n
        log, out = math.log, self._piece
        toks = list(toks)
        weak = self._weak(toks)
        lows = list(map(str.lower, toks))
        for tok, ef, bc in zip(toks, self._freqs(lows), self._uses(lows)):
            size = len(tok)
            p = max(ef, bc / n)
            if tok in weak and (size < 3 or ef < rare_freq):
                # not a word (a rare real word such as "sect" keeps its own frequency)
                p = p * weak_factor if size > 1 else 0.0
            out[tok] = (tok not in weak, log(max(p, floor)))

    def word(self, joined: str) -> float | None:
        """Log score of a joined word, or None when it is no known word.

        The book first: a word it writes whole ``known_book`` times is known.  Otherwise
        English, for words longer than ``short_join`` letters only (a short join such as
        ``r am`` -> ``ram`` is more often a misread letter next to a word).
        """
        if joined in self._word:
            return self._word[joined]
        cfg = self.config
        score = None
        low = joined.lower()
        lex = self.lexicon
        if (low in lex.english or low in self.book.lower or low in lex.user_lower
                or joined in lex.protected) and case_ok(joined):
            ef = self.lexicon.freq(joined)
            # less its uses as a piece of a longer word ("thei r" does not make "thei" a word)
            bc = max(0, self.book_count(joined) - self._split_uses.get(low, 0))
            user = joined.lower() in self.lexicon.user_lower or joined in self.lexicon.protected
            if bc >= cfg["known_book"] or user or (len(joined) > cfg["short_join"] and ef >= cfg["known_freq"]):
                score = math.log(max(ef, bc / self.n, cfg["floor"]))
        self._word[joined] = score
        return score

    def _count_split_uses(self) -> None:
        """How often each piece stands next to a piece it makes a book word with (``tsky``
        after ``Tro``): those uses are no evidence that the piece is a word of its own."""
        uses: dict[str, int] = {}
        counts = self.book.lower
        need = self.config["known_book"] + 1
        # joins holds every pair that makes such a word (all pairs do when need <= 0)
        for (a, b), k in (self.joins if need > 0 else self.book.bigrams).items():
            if counts.get(a + b, 0) >= need:
                uses[a] = uses.get(a, 0) + k
                uses[b] = uses.get(b, 0) + k
        self._split_uses = uses
