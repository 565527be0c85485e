"""The indexes of a vocabulary that the candidate search of :mod:`ocr_clean.errmodel` walks
and looks up: the starts of its words as a trie of ints (:class:`PrefixIndex`), its words
filed by their one-letter deletions (:class:`DeleteIndex`) and by length and first or last
letter (:class:`NearIndex`).  Nothing here knows a text, a stage or the error model."""
from __future__ import annotations

import threading
from bisect import bisect_left

ANY_KID = 1 << 62           # in every node's mask: a position where a confusion deletes meets every node


def letter_bit(ch: str) -> int:
    """A letter's bit in the 62-bit masks of the walk (two letters may share one: a mask
    only ever says "perhaps" or "surely not")."""
    return 1 << (ord(ch) % 62)


class DeleteIndex:
    """The words of a vocabulary one letter away from a token (a letter misread, added or
    lost), found SymSpell's way: every word is filed under each of its one-letter deletions,
    so a token's neighbours are a handful of look-ups instead of a search.  Built on first use."""

    def __init__(self, words) -> None:
        self.words = set(words)
        idx: dict[str, object] = {}
        for w in self.words:
            for i in range(len(w)):
                d = w[:i] + w[i + 1:]
                v = idx.get(d)
                if v is None:
                    idx[d] = w
                elif isinstance(v, str):
                    if v != w:
                        idx[d] = [v, w]
                elif w not in v:
                    v.append(w)
        self._idx = idx

    def _filed(self, key: str) -> list[str]:
        v = self._idx.get(key)
        return [] if v is None else [v] if isinstance(v, str) else v

    def grown(self, tok: str) -> list[str]:
        """The words that ``tok`` is with one letter lost (``th`` from ``the``).

        >>> DeleteIndex(["the", "was", "his", "of"]).grown("th")
        ['the']
        """
        return sorted(self._filed(tok))

    def neighbours(self, tok: str) -> list[str]:
        """The words one substitution, insertion or deletion away from ``tok``."""
        out = set()
        n = len(tok)
        for w in self._filed(tok):              # the OCR lost a letter
            out.add(w)
        words, filed = self.words, self._idx.get
        for i in range(n):
            d = tok[:i] + tok[i + 1:]
            if d in words:                       # the OCR added a letter
                out.add(d)
            v = filed(d)
            if v is None:
                continue
            # a letter misread: a word of the token's length that, without its letter i, is the
            # token without its letter i (a word one letter from the token is filed so under
            # the place where they differ)
            for w in ((v,) if isinstance(v, str) else v):
                if len(w) == n and w[:i] + w[i + 1:] == d:
                    out.add(w)
        out.discard(tok)
        return sorted(out)


class NearIndex:
    """The words of a vocabulary within two letters of a token (misread, added or lost) that
    share its first or its last letter: the readings a walk by the families alone cannot reach
    when a confusion and a letter outside them meet in one token (``polios`` for ``police``).
    Words are filed by length and first letter, and by length and last letter; a token is
    compared (rapidfuzz, in C) with the few thousand words of its six files only.

    With ``by_ends=False`` the words are filed by length alone and a token is compared with
    every word two letters longer or shorter at most (for a small vocabulary, such as
    English's commonest words, where a misread first and last letter are worth finding).

    >>> NearIndex(["police", "polite", "palace", "railway"]).near("polios")
    ['police', 'polite']
    >>> NearIndex(["from", "and", "when"]).near("trmn"), NearIndex(["from", "and", "when"], by_ends=False).near("trmn")
    ([], ['from'])
    """

    def __init__(self, words, by_ends: bool = True) -> None:
        files: dict[tuple, list[str]] = {}
        for w in words:
            n = len(w)
            if by_ends:
                files.setdefault((n, w[0], 0), []).append(w)
                files.setdefault((n, w[-1], 1), []).append(w)
            else:
                files.setdefault((n, "", 2), []).append(w)
        self._files = files
        self._by_ends = by_ends

    def near(self, tok: str, most: int = 2) -> list[str]:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        n = len(tok)
        out: set[str] = set()
        for k in range(n - most + 1, n + most):
            for key in ((k, tok[0], 0), (k, tok[-1], 1)) if self._by_ends else ((k, "", 2),):
                pool = self._files.get(key)
                if pool:
                    for w, _, _ in process.extract(tok, pool, scorer=Levenshtein.distance,
                                                   score_cutoff=most, limit=None):
                        out.add(w)
        out.discard(tok)
        return sorted(out)


class PrefixIndex:
    """The starts of the words of a vocabulary, and the letters that may follow each: what
    the walk of :meth:`ErrorModel.candidates` asks at every step.  Built lazily from the
    sorted words, so a process pays only for the starts its tokens reach: as a trie of ints
    for the walk (:meth:`expand`: a node's children found by bisection in its slice of the
    words), and by the start's string for :meth:`get` and ``in``."""

    def __init__(self, words, presorted: bool = False) -> None:
        self.words = list(words) if presorted else sorted(words)
        self._follow: dict[str, str] = {}
        # the starts as a trie of ints, grown as the walks ask: node 0 is the empty start;
        # _text[node] is its start, _span[node] the words that begin so (a slice of
        # ``words``), _kids[node] its {letter: node} (None until asked for)
        self._text: list[str] = [""]
        self._span: list[tuple[int, int] | None] = [(0, len(self.words))]
        self._kids: list[dict[str, int] | None] = [None]
        self._mask: list[int | None] = [None]    # ANY_KID | the letter_bit of each kid, once expanded
        self._lock = threading.Lock()

    def expand(self, node: int) -> dict[str, int]:
        """The children of ``node`` in the trie, {letter: node}, made on first use from the
        node's slice of the sorted words (under a lock: a node's number must name the same
        start in every thread)."""
        with self._lock:
            kids = self._kids[node]
            if kids is None:
                words, text, span, all_kids = self.words, self._text, self._span, self._kids
                prefix = text[node]
                k = len(prefix)
                lo, hi = span[node]
                span[node] = None                               # (not needed again)
                while lo < hi and len(words[lo]) == k:          # the start itself is a word
                    lo += 1
                kids = {}
                mask = ANY_KID
                while lo < hi:
                    ch = words[lo][k]
                    nxt = bisect_left(words, prefix + chr(ord(ch) + 1), lo, hi)
                    kids[ch] = len(text)
                    mask |= letter_bit(ch)
                    text.append(prefix + ch)
                    span.append((lo, nxt))
                    all_kids.append(None)
                    self._mask.append(None)
                    lo = nxt
                self._mask[node] = mask
                all_kids[node] = kids
            return kids

    def get(self, prefix: str, default: str = "") -> str:
        got = self._follow.get(prefix)
        if got is None:
            got = self._follow[prefix] = self._letters_after(prefix)
        return got if got else default

    def __contains__(self, prefix: str) -> bool:
        words = self.words
        i = bisect_left(words, prefix)
        return i < len(words) and words[i].startswith(prefix)

    def _letters_after(self, prefix: str) -> str:
        words, k = self.words, len(prefix)
        i = bisect_left(words, prefix)
        n = len(words)
        out = []
        while i < n and words[i].startswith(prefix):
            w = words[i]
            if len(w) == k:
                i += 1
                continue
            ch = w[k]
            out.append(ch)
            i = bisect_left(words, prefix + chr(ord(ch) + 1), i)
        return "".join(out)
