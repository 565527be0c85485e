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
from dataclasses import dataclass, field
from pathlib import Path

from .lexicon import dictionaries_dir, read_table
# the indexes the walk and the words stage search (the stage imports them from here)
from .wordindex import ANY_KID, DeleteIndex, NearIndex, PrefixIndex, letter_bit  # noqa: F401

LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class Confusion:
    seen: str
    printed: str
    cost: float
    family: str
    capitals: bool = False          # the row holds only in a token set in capitals


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
        case = row[4] if len(row) > 4 else ""
        if case not in ("", "capitals"):
            raise ValueError(f"{path}: a row's fifth column is empty or 'capitals', not {case!r}: {row!r}")
        out.append(Confusion(row[0], row[1], float(row[2]), row[3], case == "capitals"))
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
    _site_memo: dict = field(default_factory=dict, repr=False)
    _rewrite_memo: dict = field(default_factory=dict, repr=False)
    _reach: int = field(default=1, repr=False)
    capitals: bool = field(default=False, init=False)   # holds the rows of tokens set in capitals

    def __post_init__(self) -> None:
        by: dict[str, list[Confusion]] = {}
        for c in self.confusions:
            by.setdefault(c.seen[:1], []).append(c)
        self._by_start = by
        self._reach = max((len(c.seen) for c in self.confusions), default=1)
        self.capitals = any(c.capitals for c in self.confusions)

    @classmethod
    def load(cls, path: Path | None = None, capitals: bool = False, **kw) -> "ErrorModel":
        """The model of the table at ``path`` (the package's by default): the rows for small
        letters, and with ``capitals`` also those that hold in a token set in capitals."""
        return cls([c for c in load_confusions(path) if capitals or not c.capitals], **kw)

    def candidates(self, tok: str, children: "PrefixIndex", words, *, max_cost: float | None = None,
                   max_generic: int | None = None, shift: float = 0.0) -> tuple[list[Candidate], bool]:
        """The words of ``words`` that ``tok`` (lower case) may be a misreading of, cheapest
        first, and whether the walk was cut short by ``max_steps``.  ``children`` is the
        :class:`PrefixIndex` of the words of ``words`` (every start of one, the empty string
        included, and the letters that may follow it).  ``shift`` is added to the cost of every
        confusion used (a noisy text makes each likelier, a clean one less; never below 0.1).

        The walk is depth-first over (position in the token, start of a word, generic edits
        used), a state expanded again only when reached more cheaply; a start of a word is a
        node of the index's trie of ints (:meth:`PrefixIndex.expand`), so a step builds no string.
        """
        limit = self.max_cost if max_cost is None else max_cost
        gen_max = self.max_generic if max_generic is None else max_generic
        generic = max(0.1, self.generic + shift)
        places = self._sites(tok, shift)
        if gen_max <= 0:
            best, cut = _walk_exact(tok, places, children, words, limit, self.max_steps)
        else:
            best, cut = _walk_generic(tok, [p[0] for p in places], children, words, limit, self.max_steps,
                                      gen_max, generic)
        return _ranked(best), cut

    def _sites(self, tok: str, shift: float) -> list[tuple]:
        """What the walk needs to know of each position of ``tok``: (the confusions whose seen
        letters stand there, the bits of their first printed letters, those bits and the
        token's letter's, the least shifted cost among those confusions).  A confusion is (seen length, first printed letter, the other printed letters,
        shifted cost, (family,), its first printed letter's bit or ANY_KID).  All of it depends
        on the token's next letters only (a seen is at most ``_reach`` long): it is kept by
        those letters and the shift, and shared by every token.  (A confusion dearer than the
        walk's limit is in it too: the walk never takes it, as each step checks the cost.)"""
        key = round(shift, 2)
        got = self._site_memo.get(key)
        if got is None or len(got[0]) > 100000:
            by_start = self._shifted(shift)
            entries = {ch: [(c.seen, (len(c.seen), c.printed[:1], c.printed[1:], c_cost, (c.family,),
                                      letter_bit(c.printed[0]) if c.printed else ANY_KID))
                            for c, c_cost in cs] for ch, cs in by_start.items()}
            got = self._site_memo[key] = ({}, entries)
        memo, entries = got
        reach = self._reach
        out = []
        for i in range(len(tok)):
            window = tok[i:i + reach]
            place = memo.get(window)
            if place is None:
                here = tuple(e for seen, e in entries.get(window[0], ()) if window.startswith(seen))
                bits = 0
                for e in here:
                    bits |= e[5]
                least = min((e[3] for e in here), default=math.inf)
                place = memo[window] = (here, bits, bits | letter_bit(window[0]), least)
            out.append(place)
        return out

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
        memo = self._rewrite_memo.get(max_cost)
        if memo is None:
            if len(self._rewrite_memo) > 100:
                self._rewrite_memo.clear()
            memo = self._rewrite_memo[max_cost] = {}
        reach = self._reach
        for i in range(len(tok)):
            window = tok[i:i + reach]
            here = memo.get(window)
            if here is None:                # the confusions seen at the start of these letters
                here = memo[window] = tuple((len(c.seen), c.printed, c.cost, (c.family,))
                                            for c in self._by_start.get(window[0], ())
                                            if c.cost <= max_cost and window.startswith(c.seen))
            for k, printed, cost, family in here:
                w = tok[:i] + printed + tok[i + k:]
                if w != tok and w in words:
                    old = best.get(w)
                    if old is None or cost < old[0]:
                        best[w] = (cost, family)
        return _ranked(best)


def _ranked(best: dict[str, tuple[float, tuple[str, ...]]]) -> list[Candidate]:
    out = [Candidate(w, c, f) for w, (c, f) in best.items()]
    out.sort(key=lambda c: (c.cost, c.word))
    return out


def _walk_exact(tok: str, places, index: "PrefixIndex", words, limit: float, max_steps: int):
    """The walk of :meth:`ErrorModel.candidates` without generic edits: each step copies the
    token's letter or applies a confusion standing there (``places``: see
    :meth:`ErrorModel._sites`).  Returns (best, cut): word -> (cost, families) of the first
    cheapest path to it.

    A state that can do nothing (none of its start's next letters is one it could read at
    its place in the token, and no confusion there deletes) is counted as the step it would
    take but never stacked; such a state changes nothing else, so the walk stays the plain
    depth-first walk of :func:`_walk_generic`, step for step.  If the steps pass
    ``max_steps``, that walk is run instead, to be cut where it is cut.  A state whose start
    no confusion's first letter may follow (by the bits) tries none; one that no confusion
    here or after is cheap enough for copies the rest of the token (:func:`_copy_tail`)."""
    n, width = len(tok), len(tok) + 1
    kids_of, expand, text, masks = index._kids, index.expand, index._text, index._mask
    sites, site_bits, need, tail = (list(column) for column in zip(*places)) if places else ([], [], [], [])
    need.append(-1)                 # the letters a state could read at each place: at the end, any
    for j in range(n - 2, -1, -1):  # the least a confusion costs at a place or any after it
        if tail[j + 1] < tail[j]:
            tail[j] = tail[j + 1]
    best: dict[str, tuple[float, tuple[str, ...]]] = {}
    seen: dict[int, float] = {}
    get = seen.get
    stack: list[tuple[int, int, float, tuple[str, ...]]] = [(0, 0, 0.0, ())]
    pop, push = stack.pop, stack.append
    steps = 0
    while stack and steps < max_steps:
        steps += 1
        i, node, cost, fams = pop()
        key = node * width + i
        old = get(key)
        if old is not None and old <= cost:
            continue
        seen[key] = cost
        kids = kids_of[node]
        if kids is None:
            kids = expand(node)
        if i == n:
            if fams:
                _better(best, text[node], words, cost, fams)
            continue
        if cost + tail[i] > limit:          # no confusion cheap enough here or after: copy the rest
            steps = _copy_tail(tok, i, kids, cost, fams, index, need, seen, best, words, steps, max_steps)
            continue
        nxt = kids.get(tok[i])
        if nxt is not None:
            m = masks[nxt]
            if m is None:
                expand(nxt)
                m = masks[nxt]
            if m & need[i + 1]:
                push((i + 1, nxt, cost, fams))
            else:
                steps += 1
        if not masks[node] & site_bits[i]:         # no confusion here reads a letter that may follow
            continue
        for k, first, rest, c_cost, family, _ in sites[i]:
            if c_cost + cost <= limit:
                if first:
                    to = kids.get(first)
                    if to is None:
                        continue
                    if rest:
                        to = _follow(to, rest, kids_of, expand)
                        if to is None:
                            continue
                else:
                    to = node
                m = masks[to]
                if m is None:
                    expand(to)
                    m = masks[to]
                if m & need[i + k]:
                    push((i + k, to, cost + c_cost, fams + family))
                else:
                    steps += 1
    if stack or steps > max_steps:                  # (states left: the next step would pass the cap)
        return _walk_generic(tok, sites, index, words, limit, max_steps, 0, 0.0)
    return best, False


def _copy_tail(tok: str, i: int, kids: dict, cost: float, fams: tuple, index: "PrefixIndex", need: list,
               seen: dict, best: dict, words, steps: int, max_steps: int) -> int:
    """What :func:`_walk_exact` does from a state at place ``i`` (its children ``kids``) where
    no confusion is cheap enough for what is left of the limit, here or after: it only copies
    the token's letters, each copy popped as soon as it is pushed.  Done in place: the same
    steps counted (returned), the same states marked ``seen``, the word at the end kept."""
    n, width = len(tok), len(tok) + 1
    kids_of, expand, masks = index._kids, index.expand, index._mask
    while True:
        nxt = kids.get(tok[i])
        if nxt is None:
            return steps
        m = masks[nxt]
        if m is None:
            expand(nxt)
            m = masks[nxt]
        steps += 1                      # (the copy's step: stacked and popped next, or counted only)
        if not m & need[i + 1] or steps > max_steps:
            return steps
        i += 1
        key = nxt * width + i
        old = seen.get(key)
        if old is not None and old <= cost:
            return steps
        seen[key] = cost
        kids = kids_of[nxt]
        if kids is None:
            kids = expand(nxt)
        if i == n:
            if fams:
                _better(best, index._text[nxt], words, cost, fams)
            return steps


def _walk_generic(tok: str, sites, index: "PrefixIndex", words, limit: float, max_steps: int,
                  gen_max: int, generic: float):
    """The walk of :meth:`ErrorModel.candidates` that may also spend up to ``gen_max``
    generic edits (a letter misread, added or lost, each at ``generic``)."""
    n = len(tok)
    width, depth = n + 1, gen_max + 1
    kids_of, expand, text = index._kids, index.expand, index._text
    best: dict[str, tuple[float, tuple[str, ...]]] = {}
    seen: dict[int, float] = {}
    stack: list[tuple[int, int, float, int, tuple[str, ...]]] = [(0, 0, 0.0, 0, ())]
    pop, push = stack.pop, stack.append
    steps = 0
    while stack:
        steps += 1
        if steps > max_steps:
            return best, True
        i, node, cost, g, fams = pop()
        key = (node * width + i) * depth + g
        old = seen.get(key)
        if old is not None and old <= cost:
            continue
        seen[key] = cost
        kids = kids_of[node]
        if kids is None:
            kids = expand(node)
        spend = g < gen_max and cost + generic <= limit
        if i == n:
            if fams:
                _better(best, text[node], words, cost, fams)
            if spend:                                       # a letter lost at the end
                c2, fam2 = cost + generic, fams + ("generic",)
                for child in kids.values():
                    _better(best, text[child], words, c2, fam2)
            continue
        ch = tok[i]
        nxt = kids.get(ch)
        if nxt is not None:
            push((i + 1, nxt, cost, g, fams))
        for k, first, rest, c_cost, family, _ in sites[i]:
            if c_cost + cost <= limit:
                if first:
                    to = kids.get(first)
                    if to is not None and rest:
                        to = _follow(to, rest, kids_of, expand)
                    if to is None:
                        continue
                else:
                    to = node
                push((i + k, to, cost + c_cost, g, fams + family))
        if spend:
            c2, g2, fam2 = cost + generic, g + 1, fams + ("generic",)
            push((i + 1, node, c2, g2, fam2))                    # a letter added by the OCR
            for letter, child in kids.items():
                if letter != ch:
                    push((i + 1, child, c2, g2, fam2))          # a letter misread
                    push((i, child, c2, g2, fam2))              # a letter lost
    return best, False


def _follow(to: int, letters: str, kids_of: list, expand) -> int | None:
    """The node reached from node ``to`` by ``letters``, None when no word starts so."""
    for letter in letters:
        more = kids_of[to]
        if more is None:
            more = expand(to)
        to = more.get(letter)
        if to is None:
            return None
    return to


def _better(best: dict, cand: str, words, cost: float, fams: tuple[str, ...]) -> None:
    """Keep ``cand`` at ``cost`` when it is a word and no cheaper path reached it yet."""
    if cand in words:
        old = best.get(cand)
        if old is None or cost < old[0]:
            best[cand] = (cost, fams)


def odds(cost: float) -> float:
    return math.pow(10.0, -cost)
