"""What the book knows: is a token's word one of the book's (or English) words, and which
letter a misread mark swallowed (``InternationaV``: the book's ``International``)."""
from __future__ import annotations

import re

from ...lexicon import BookVocab

LETTER = r"[^\W\d_]"
HAS_LETTER = re.compile(LETTER)


class _Known:
    """Is a word the book's (or English) word; which letter a glyph swallowed."""

    def __init__(self, lexicon, text: str, vocab: BookVocab | None = None) -> None:
        self.lexicon = lexicon
        self.text = text
        # the book's words as written (their distinct forms serve _tokens_to_read), and their
        # counts case folded (only the word counts: no word pairs are needed here)
        vocab = vocab if vocab is not None else BookVocab.from_text(text)
        self.written = vocab.counts
        self.counts = vocab.lower
        self._swallowed: dict[str, str] = {}

    def count(self, w: str) -> int:
        return self.counts.get(w.lower(), 0)

    def known(self, w: str) -> bool:
        if not w or not HAS_LETTER.search(w):
            return False
        if self.count(w) >= 2:
            return True
        if self.lexicon is None:
            return False
        return self.lexicon.is_english(w) or w in self.lexicon.protected

    def common(self, w: str) -> bool:
        """Used in the book, or a common English word (not a rare form such as "stronge")."""
        if self.count(w) >= 2:
            return True
        return self.lexicon is not None and self.lexicon.freq(w) >= 1e-6

    def swallowed(self, stem: str) -> str:
        """A letter the tail swallowed: ``Internationa`` + l -> the book's ``International``.

        The word with the letter must be the book's (used at least 3 times and 5 times
        as often as the stem alone) and a real word: English, or a name (capitalized).
        A frequent misreading such as ``frOln`` (from) is neither.  (Once per distinct stem.)
        """
        hit = self._swallowed.get(stem)
        if hit is None:
            hit = self._swallowed[stem] = self._swallowed_letter(stem)
        return hit

    def _swallowed_letter(self, stem: str) -> str:
        if not stem or not stem[-1].isalpha():
            return ""
        base = self.count(stem)
        best, best_n = "", 0
        for c in "lrtyeinsaodhcmu":
            k = self.count(stem + c)
            if k > best_n:
                best, best_n = c, k
        if best_n >= 3 and best_n >= 5 * base:
            word = stem + best
            english = self.lexicon is not None and self.lexicon.is_english(word)
            if english or (word[0].isupper() and word[1:].islower()):
                return best
        if self.lexicon is not None and base == 0 and self.lexicon.freq(stem) < 1e-7:
            # too few uses in the book to tell: a common English word with the letter
            scored = sorted(((self.lexicon.freq(stem + c), c) for c in "lrtyeinsaodhcmu"), reverse=True)
            if scored[0][0] >= 1e-6 and scored[0][0] >= 5 * scored[1][0]:
                return scored[0][1]
        return ""
