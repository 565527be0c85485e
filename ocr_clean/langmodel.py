"""English word-pair statistics for context: which word fits between its neighbours.

Unigram frequencies come from wordfreq (:class:`ocr_clean.lexicon.Lexicon`); word pairs come
from the tables that ship inside the ``wordsegment`` package (Apache-2.0, counts of the Google
Web Trillion Word Corpus: 333k words, 286k pairs with a count of at least 100,000).  Both are
read from the installed packages, never downloaded; the pairs are cached on disk as ``marshal``
(keyed by the package file's size and time), read in about a tenth of a second.

The model answers one question: ``logp(prev, word)``, the log10 probability of ``word``
after ``prev``: the pair's share of ``prev``'s uses when the table holds the pair; otherwise a
backed-off unigram probability, capped by what the table's threshold says about a pair it does
not hold (after a frequent word, an absent pair is rare; after a rare word, absence says nothing).
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import marshal
import math
import sys
from pathlib import Path

from .lexicon import marshal_cached

BACKOFF = 0.4            # weight of the unigram estimate when the pair is not in the table
FLOOR = 1e-9             # probability of a word no list knows
UNSEEN = math.log10(1 / 28.0)   # a letter trigram whose two first letters no word shows
_log10 = math.log10


class LanguageDataError(RuntimeError):
    """The word-pair tables cannot be read (the package is missing or broken)."""


def _wordsegment_dir() -> Path:
    spec = importlib.util.find_spec("wordsegment")
    if spec is None or not spec.origin:
        raise LanguageDataError("the 'wordsegment' package (English word pairs) is not installed: "
                        "pip install wordsegment")
    return Path(spec.origin).parent


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, int], dict[str, int], int, int]:
    """(counts of the words that start a pair, pair counts 'a b', total words, least pair count)."""
    d = _wordsegment_dir()
    uni_path, bi_path = d / "unigrams.txt", d / "bigrams.txt"
    try:
        st1, st2 = uni_path.stat(), bi_path.stat()
    except OSError as exc:
        raise LanguageDataError(f"wordsegment's word tables are missing ({exc.filename})") from None
    tag = hashlib.blake2b(f"{st1.st_size}-{st1.st_mtime_ns}-{st2.st_size}-{st2.st_mtime_ns}|"
                          f"{sys.version_info[:2]}|{marshal.version}".encode(), digest_size=8).hexdigest()
    return marshal_cached(f"pairs-{tag}.marshal", lambda: _read_tables(uni_path, bi_path),
                          lambda got: isinstance(got, tuple) and len(got) == 4)


def _read_tables(uni_path: Path, bi_path: Path) -> tuple[dict[str, int], dict[str, int], int, int]:
    """wordsegment's tables read from its text files (what :func:`_tables` caches)."""
    pairs: dict[str, int] = {}
    with open(bi_path, encoding="utf-8") as fh:
        for line in fh:
            key, _, n = line.rstrip("\n").rpartition("\t")
            if key.count(" ") == 1:
                pairs[key] = pairs.get(key, 0) + int(n)
    firsts = {k.split(" ", 1)[0] for k in pairs}
    counts: dict[str, int] = {}
    total = 0
    with open(uni_path, encoding="utf-8") as fh:
        for line in fh:
            w, _, n = line.rstrip("\n").partition("\t")
            k = int(n)
            total += k
            if w in firsts:
                counts[w] = k
    least = min(pairs.values()) if pairs else 1
    return counts, pairs, total, least


class LanguageModel:
    """Word-pair probabilities over the unigram frequencies of a lexicon."""

    def __init__(self, freq) -> None:
        """``freq(word) -> float``: relative frequency of a lower-case word (0 when unknown)."""
        self.freq = freq
        self.first_counts, self.pairs, self.total, self.least = _tables()

    def p(self, word: str) -> float:
        return max(self.freq(word), FLOOR)

    def pair_count(self, prev: str, word: str) -> int:
        return self.pairs.get(prev + " " + word, 0)

    def cond(self, prev: str | None, word: str, p_word: float | None = None) -> float:
        """P(word | prev), lower-case words; ``p_word`` overrides the unigram estimate."""
        pw = self.p(word) if p_word is None else p_word
        if not prev:
            return pw
        c_prev = self.first_counts.get(prev)
        if not c_prev:                      # a word that starts no pair: the pair table says nothing
            return BACKOFF * pw
        n = self.pairs.get(prev + " " + word)
        if n is not None:
            return n / c_prev
        est = BACKOFF * pw
        return min(est, self.least / c_prev)

    def logp(self, prev: str | None, word: str, p_word: float | None = None) -> float:
        """log10 of :meth:`cond` (the words stage asks it for every reading it weighs: written
        out here, not through ``cond``, and with the unigram floor inline)."""
        if p_word is None:
            f = self.freq(word)
            p_word = FLOOR if FLOOR > f else f                 # max(f, FLOOR)
        if not prev:
            return _log10(p_word)
        c_prev = self.first_counts.get(prev)
        if not c_prev:
            return _log10(BACKOFF * p_word)
        n = self.pairs.get(prev + " " + word)
        if n is not None:
            return _log10(n / c_prev)
        est, most = BACKOFF * p_word, self.least / c_prev
        return _log10(most if most < est else est)         # min(est, most)


    def logp_between(self, prev: str | None, word: str, p_word: float, nxt: str | None) -> float:
        """``logp(prev, word, p_word) + logp(word, nxt)`` (the second 0 without ``nxt``), the
        same sums in one call: the words stage weighs every reading between its neighbours so."""
        first, pairs = self.first_counts, self.pairs
        if not prev:
            s = _log10(p_word)
        else:
            c_prev = first.get(prev)
            if not c_prev:
                s = _log10(BACKOFF * p_word)
            else:
                n = pairs.get(prev + " " + word)
                if n is not None:
                    s = _log10(n / c_prev)
                else:
                    est, most = BACKOFF * p_word, self.least / c_prev
                    s = _log10(most if most < est else est)
        if not nxt:
            return s + 0.0
        c_w = first.get(word)
        if not c_w:
            f = self.freq(nxt)
            return s + _log10(BACKOFF * (FLOOR if FLOOR > f else f))
        n = pairs.get(word + " " + nxt)
        if n is not None:
            return s + _log10(n / c_w)
        f = self.freq(nxt)
        est, most = BACKOFF * (FLOOR if FLOOR > f else f), self.least / c_w
        return s + _log10(most if most < est else est)


class CharModel:
    """How much a string looks like an English word: letter trigrams of the word forms of an
    English list (each form counted once, so names and rare words weigh as much as common
    ones), add-one smoothed, with the word's start and end as letters of their own.

        >>> cm = CharModel(["the", "then", "there", "other", "mother"])
        >>> cm.logp("ther") > cm.logp("tqxr")
        True

    A token no list knows is a name or a rare word as often as it is a misreading; one whose
    letters no English word strings together (``Beaoonsfield``, ``Lndgate``) is seldom a
    word at all.  Built once from the list and cached on disk beside the other tables."""

    def __init__(self, words, cache_key: str | None = None) -> None:
        self.tri, self.ctx = marshal_cached(f"chars-{cache_key}.marshal" if cache_key else None,
                                            lambda: self._count(words),
                                            lambda got: isinstance(got, tuple) and len(got) == 2)

    @staticmethod
    def _count(words) -> tuple[dict[str, float], dict[str, float]]:
        tri: dict[str, int] = {}
        ctx: dict[str, int] = {}
        for w in words:
            s = "^^" + w + "$"
            for i in range(len(s) - 2):
                t = s[i:i + 3]
                tri[t] = tri.get(t, 0) + 1
                c = t[:2]
                ctx[c] = ctx.get(c, 0) + 1
        v = 28.0                                      # 26 letters, the end, and one for the rest
        log_tri = {t: math.log10((n + 1) / (ctx[t[:2]] + v)) for t, n in tri.items()}
        log_ctx = {c: math.log10(1 / (n + v)) for c, n in ctx.items()}
        return log_tri, log_ctx

    def logp(self, word: str) -> float:
        """log10 of the string ``word`` (lower case) as a word form."""
        tri, ctx = self.tri.get, self.ctx.get
        s = "^^" + word + "$"
        total = 0.0
        for i in range(len(s) - 2):
            t = s[i:i + 3]
            p = tri(t)
            total += p if p is not None else ctx(t[:2], UNSEEN)
        return total
