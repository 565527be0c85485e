"""The general OCR error model: weighted n:m character confusions, and the candidate words
they reach from a token.

A rule says that the OCR shows ``seen`` where ``printed`` was printed, at a cost (``-log10``
of its odds, from ``dictionaries/ocr_errors.tsv``).  Any other single letter substituted,
added or lost costs ``generic`` (at most ``max_generic`` of those a word).  The candidates of a
token are the words of a vocabulary that a walk over the token reaches within ``max_cost``:
the walk copies the token's letters, applies a rule where its ``seen`` stands, or spends a
generic edit, and follows only paths that are the start of some word of the vocabulary (a set
of prefixes), so it stays small however long the token is (the work is also capped per token).

Nothing here knows a text or a stage: :class:`ErrorModel` is data plus the walk.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from .lexicon import dictionaries_dir, read_table

LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class Confusion:
    seen: str
    printed: str
    cost: float
    family: str


@dataclass(slots=True)
class Candidate:
    """A word a token may be a misreading of."""

    word: str                       # lower case
    cost: float                     # -log10 P(token | word)
    families: tuple[str, ...]       # the confusions used, in order ("generic" for the others)


def load_confusions(path: Path | None = None) -> list[Confusion]:
    path = path or dictionaries_dir() / "ocr_errors.tsv"
    if not path.is_file():
        raise FileNotFoundError(f"the OCR error model {path} is missing")
    out = []
    for row in read_table(path):
        if len(row) < 4:
            raise ValueError(f"{path}: a row needs seen, printed, cost and family: {row!r}")
        out.append(Confusion(row[0], row[1], float(row[2]), row[3]))
    return out


@dataclass
class ErrorModel:
    confusions: list[Confusion]
    generic: float = 3.0            # cost of any other letter substituted, added or lost
    max_generic: int = 1
    max_cost: float = 5.5
    max_steps: int = 20000          # walk steps per token (a cap: a token past it is not searched)
    _by_start: dict[str, list[Confusion]] = field(default_factory=dict, repr=False)
    _shifts: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by: dict[str, list[Confusion]] = {}
        for c in self.confusions:
            by.setdefault(c.seen[:1], []).append(c)
        self._by_start = by

    @classmethod
    def load(cls, path: Path | None = None, **kw) -> "ErrorModel":
        return cls(load_confusions(path), **kw)

    def candidates(self, tok: str, children: "PrefixIndex", words, *, max_cost: float | None = None,
                   max_generic: int | None = None, shift: float = 0.0) -> tuple[list[Candidate], bool]:
        """The words of ``words`` that ``tok`` (lower case) may be a misreading of, cheapest
        first, and whether the walk was cut short by ``max_steps``.  ``children`` maps every
        start of a word of ``words`` (the empty string included) to the letters that may
        follow it (:class:`PrefixIndex`).  ``shift`` is added to the cost of every confusion
        used (a noisy text makes each likelier, a clean one less; never below 0.1)."""
        limit = self.max_cost if max_cost is None else max_cost
        gen_max = self.max_generic if max_generic is None else max_generic
        generic = max(0.1, self.generic + shift)
        by_start = self._shifted(shift)
        n = len(tok)
        # the confusions whose seen letters stand at each position of the token, found once
        at = [[(len(c.seen), c.printed, c_cost, c.family) for c, c_cost in by_start.get(ch, ())
               if c_cost <= limit and tok.startswith(c.seen, i)] for i, ch in enumerate(tok)]
        best: dict[str, tuple[float, tuple[str, ...]]] = {}
        steps = 0
        # depth-first: (position in tok, candidate so far, cost, generic edits used, families)
        stack: list[tuple[int, str, float, int, tuple[str, ...]]] = [(0, "", 0.0, 0, ())]
        get = children.get
        known = children._follow                    # the starts already asked for (most, once warm)
        seen: dict[tuple[int, str, int], float] = {}
        while stack:
            steps += 1
            if steps > self.max_steps:
                return _ranked(best), True
            i, cand, cost, g, fams = stack.pop()
            state = (i, cand, g)
            old_cost = seen.get(state)
            if old_cost is not None and old_cost <= cost:
                continue
            seen[state] = cost
            follow = known.get(cand)
            if follow is None:
                follow = get(cand, "")
            spend = g < gen_max and cost + generic <= limit
            if i == n:
                if fams and cand in words:
                    old = best.get(cand)
                    if old is None or cost < old[0]:
                        best[cand] = (cost, fams)
                if spend:                                   # a letter lost at the end
                    c2, fam2 = cost + generic, fams + ("generic",)
                    for letter in follow:
                        nc = cand + letter
                        if nc in words:
                            old = best.get(nc)
                            if old is None or c2 < old[0]:
                                best[nc] = (c2, fam2)
                continue
            ch = tok[i]
            if ch in follow:
                stack.append((i + 1, cand + ch, cost, g, fams))
            for k, p, c_cost, family in at[i]:
                if c_cost + cost <= limit:
                    if not p:
                        stack.append((i + k, cand, cost + c_cost, g, fams + (family,)))
                    elif p[0] in follow and (len(p) == 1 or p[-1] in get(cand + p[:-1], "")):
                        stack.append((i + k, cand + p, cost + c_cost, g, fams + (family,)))
            if spend:
                c2, fam2 = cost + generic, fams + ("generic",)
                stack.append((i + 1, cand, c2, g + 1, fam2))              # a letter added by the OCR
                for letter in follow:
                    if letter != ch:
                        nc = cand + letter
                        stack.append((i + 1, nc, c2, g + 1, fam2))        # a letter misread
                        stack.append((i, nc, c2, g + 1, fam2))            # a letter lost
        return _ranked(best), False


    def _shifted(self, shift: float) -> dict[str, list[tuple[Confusion, float]]]:
        """The confusions by the first letter they are seen at, each with its cost shifted."""
        key = round(shift, 2)
        got = self._shifts.get(key)
        if got is None:
            got = self._shifts[key] = {ch: [(c, max(0.1, c.cost + shift)) for c in cs]
                                       for ch, cs in self._by_start.items()}
        return got

    def rewrites(self, tok: str, words, max_cost: float) -> list[Candidate]:
        """The words of ``words`` that one confusion of the model turns ``tok`` into (the cheap
        search of a token that is itself a common word: no walk, one look-up per site)."""
        best: dict[str, tuple[float, tuple[str, ...]]] = {}
        for i, ch in enumerate(tok):
            for c in self._by_start.get(ch, ()):
                if c.cost <= max_cost and tok.startswith(c.seen, i):
                    w = tok[:i] + c.printed + tok[i + len(c.seen):]
                    if w != tok and w in words:
                        old = best.get(w)
                        if old is None or c.cost < old[0]:
                            best[w] = (c.cost, (c.family,))
        return _ranked(best)


def _ranked(best: dict[str, tuple[float, tuple[str, ...]]]) -> list[Candidate]:
    out = [Candidate(w, c, f) for w, (c, f) in best.items()]
    out.sort(key=lambda c: (c.cost, c.word))
    return out


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
        for i in range(n):
            d = tok[:i] + tok[i + 1:]
            if d in self.words:                  # the OCR added a letter
                out.add(d)
            for w in self._filed(d):             # a letter misread (same place)
                if len(w) == n and sum(a != b for a, b in zip(w, tok)) == 1:
                    out.add(w)
        out.discard(tok)
        return sorted(out)


class NearIndex:
    """The words of a vocabulary within two letters of a token (misread, added or lost) that
    share its first or its last letter: the readings a walk by the families alone cannot reach
    when a confusion and a letter outside them meet in one token (``polios`` for ``police``).
    Words are filed by length and first letter, and by length and last letter; a token is
    compared (rapidfuzz, in C) with the few thousand words of its six files only.

    >>> NearIndex(["police", "polite", "palace", "railway"]).near("polios")
    ['police', 'polite']
    """

    def __init__(self, words) -> None:
        files: dict[tuple, list[str]] = {}
        for w in words:
            n = len(w)
            files.setdefault((n, w[0], 0), []).append(w)
            files.setdefault((n, w[-1], 1), []).append(w)
        self._files = files

    def near(self, tok: str, most: int = 2) -> list[str]:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        n = len(tok)
        out: set[str] = set()
        for k in range(n - most + 1, n + most):
            for key in ((k, tok[0], 0), (k, tok[-1], 1)):
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
    sorted words (a start is looked up by bisection the first time it is asked for, then
    remembered), so a process pays only for the starts its tokens reach."""

    def __init__(self, words, presorted: bool = False) -> None:
        self.words = list(words) if presorted else sorted(words)
        self._follow: dict[str, str] = {}

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


def odds(cost: float) -> float:
    return math.pow(10.0, -cost)
