"""The decisions: how sure each placed marker is (applied, applied for a person to confirm,
or queued), which out-of-order marker is taken back, and where a misread mark hid a full
stop.  Each is a small named function; the Edit's ``rule`` names how the marker was read
(``marker-clean``, ``marker-spaced``, ``marker-glyph``, ``marker-position``), the note
says which of these decisions set its confidence.
"""
from __future__ import annotations

import collections
import re

from ...ledger import APPLIED, QUEUED
from ...note_numbers import Cand

# (a one-letter word too: "leadershipY A correct" lost its full stop before "A")
NEXT_CAPITAL = re.compile(r" ([A-Z][a-z]*)\b")
_AFTER_WORD_CAP = re.compile(r"([A-Z](?<=[a-z,;] [A-Z])[a-z]*)\b")   # after a small word, ",", ";"
_CAP_WORD = re.compile(r"([A-Z](?<!\w[A-Z])[a-z]*)\b")                # at a word start


def marker_decision(c: Cand, by_n: dict[int, Cand], extra: list[Cand], late: bool,
                    cfg: dict) -> tuple[str, float, str]:
    """(status, confidence, note) of the marker ``c`` of the chain ``by_n`` (number -> reading).

    A firm reading is applied (at 0.8 when it cost more than one glyph); a place with no
    mark at all (suggested by the note's words) is queued; a tail read by position only
    is decided by :func:`pinned_by_neighbours`; an out-of-order marker is at most 0.8.

    >>> c = Cand(10, 12, 7, 0.0, "marker-clean")
    >>> marker_decision(c, {7: c}, [], False, {})
    ('applied', 1.0, 'marker 7')
    >>> marker_decision(Cand(10, 10, 7, 2.5, "marker-position", "", True), {}, [], False, {})[:2]
    ('queued', 0.3)
    """
    status, conf, note = APPLIED, 1.0, f"marker {c.n}"
    if c.wild and c.start == c.end:
        status, conf = QUEUED, 0.3
        note += ": no mark in the scan; placed where the words of the note occur"
    elif c.wild:
        status, conf, why = pinned_by_neighbours(c, by_n, extra, cfg)
        note += why
    elif c.cost > 1.0:
        conf = 0.8
    if late:
        note += ": out of order (page-foot note)"
        conf = min(conf, 0.8)
    return status, conf, note


def _run_around(c: Cand, by_n: dict[int, Cand]) -> tuple[int, int]:
    """The numbers a..b placed by position (a mark, not an empty place) around ``c``."""
    a = c.n
    while a - 1 in by_n and by_n[a - 1].wild and by_n[a - 1].start < by_n[a - 1].end:
        a -= 1
    b = c.n
    while b + 1 in by_n and by_n[b + 1].wild and by_n[b + 1].start < by_n[b + 1].end:
        b += 1
    return a, b


def pinned_by_neighbours(c: Cand, by_n: dict[int, Cand], extra: list[Cand],
                         cfg: dict) -> tuple[str, float, str]:
    """A marker read by position only is applied when order alone pins it: its run of k
    missing numbers lies between firm neighbours, and the stretch between them holds
    exactly k marks that could be those numbers.  A single reading of a legible tail is
    applied at ``position_confidence``; a run of several, or an illegible mark, at
    ``pinned_confidence`` (a person confirms them).  Otherwise it is queued at 0.5.

    >>> cfg = {"position_apply": True, "position_confidence": 0.7, "pinned_confidence": 0.6}
    >>> p, n = Cand(0, 5, 12, 0.0, "marker-clean"), Cand(50, 55, 14, 0.0, "marker-clean")
    >>> c = Cand(20, 22, 13, 1.6, "marker-position", "", True)
    >>> pinned_by_neighbours(c, {12: p, 13: c, 14: n}, [c], cfg)
    ('applied', 0.7, ': fits between firm neighbours')
    >>> rival = Cand(30, 32, 13, 1.6, "marker-position", "", True)
    >>> pinned_by_neighbours(c, {12: p, 13: c, 14: n}, [c, rival], cfg)
    ('queued', 0.5, ': by position; other candidates compete')
    """
    a, b = _run_around(c, by_n)
    prev, nxt = by_n.get(a - 1), by_n.get(b + 1)
    firm_both = prev is not None and nxt is not None and not prev.wild and not nxt.wild
    places = 0
    if firm_both:
        # the places of the scan that could hold a number of the run between the firm
        # neighbours (the place the note's words suggest is no rival: only a hint):
        # as many places as numbers, so order alone pins each number to its place
        # (two readings of one mark, "}O7" and its "O7", are one place)
        places = _marks(x for x in extra if a <= x.n <= b and x.start < x.end
                        and prev.end <= x.start < nxt.start)
    if not (firm_both and places == b - a + 1 and cfg["position_apply"]):
        return QUEUED, 0.5, ": by position; " + ("other candidates compete" if firm_both else "neighbours not firm")
    if b > a or c.loose:
        why = (f": {b - a + 1} marks for {b - a + 1} missing numbers between firm neighbours"
               if b > a else ": an illegible mark, the only one between firm neighbours"
               + ("; the word's misread I written l" if c.prefix[:1] == "l" and c.prefix.count("l") > 1 else ""))
        return APPLIED, cfg["pinned_confidence"], why
    conf = cfg["position_confidence"] if c.rule == "marker-position" else 0.8
    return APPLIED, conf, ": fits between firm neighbours"


def _marks(cands) -> int:
    """How many marks of the scan the readings ``cands`` are: readings that overlap read
    one mark (the whole tail "}O7" and its end "O7").

    >>> _marks([Cand(10, 13, 107, 1.2, "marker-glyph"), Cand(11, 13, 107, 1.2, "marker-glyph"),
    ...         Cand(40, 41, 107, 1.6, "marker-position")])
    2
    """
    count, reach = 0, -1
    for s, e in sorted((c.start, c.end) for c in cands):
        if s >= reach:
            count += 1
        reach = max(reach, e) if s < reach else e
    return count


def take_back_out_of_order(chain: list[Cand], cands: list[Cand], window: int) -> tuple[list[Cand], list[Cand]]:
    """A clean marker left out because a page-foot note put it after its successor is taken
    back when it falls among its neighbours (within ``window`` numbers either side).

    >>> chain = [Cand(0, 2, 54, 0, "marker-clean"), Cand(10, 12, 56, 0, "marker-clean"),
    ...          Cand(30, 32, 57, 0, "marker-clean")]
    >>> chain2, late = take_back_out_of_order(chain, chain + [Cand(20, 22, 55, 0, "marker-clean")], 3)
    >>> [c.n for c in chain2], [c.n for c in late]
    ([54, 56, 55, 57], [55])
    """
    have = {c.n for c in chain}
    pos = {c.n: c for c in chain}
    taken = [(c.start, c.end) for c in chain]
    extra = []
    for c in cands:
        if c.n in have or c.rule != "marker-clean":
            continue
        below = [pos[m].start for m in range(c.n - window, c.n) if m in pos]
        above = [pos[m].end for m in range(c.n + 1, c.n + window + 1) if m in pos]
        lo, hi = (min(below), max(above)) if below and above else (None, None)
        if lo is None or hi is None or not lo <= c.start <= hi:
            continue
        if any(a < c.end and c.start < b for a, b in taken):
            continue
        extra.append(c)
        have.add(c.n)
        taken.append((c.start, c.end))
    return sorted(chain + extra, key=lambda c: c.start), extra


def lost_full_stop(text: str, start: int, end: int, starters: "SentenceStarters") -> str | None:
    """The word after a misread mark glued to a word, when that word only ever starts a
    sentence in this book: the mark swallowed the full stop before it ("occupationY This").

    >>> s = SentenceStarters("This a. This b. This c. This d. This e. and Marx, Marx, Marx, Marx said Marx.", 0.05)
    >>> lost_full_stop("the occupationY This became", 14, 15, s)
    'This'
    >>> lost_full_stop("said by leaderY Marx and", 14, 15, s) is None
    True
    """
    m = NEXT_CAPITAL.match(text, end)
    if m and start > 0 and text[start - 1].isalpha() and m.group(1) in starters:
        return m.group(1)
    return None


class SentenceStarters:
    """``w in starters``: is w one of _sentence_starters(body, share)?  Asked about a few words
    only, each is counted alone (two quick searches for the word itself); past 8 words,
    the whole set is counted at once."""

    def __init__(self, body: str, share: float) -> None:
        self.body, self.share = body, share
        self.known: dict[str, bool] = {}
        self.all: set[str] | None = None

    def __contains__(self, w: str) -> bool:
        if self.all is not None:
            return w in self.all
        hit = self.known.get(w)
        if hit is None:
            if len(self.known) >= 8 or not _CAP_WORD.fullmatch(w):
                self.all = _sentence_starters(self.body, self.share)
                return w in self.all
            e = re.escape(w)
            # the matches of _CAP_WORD and of _AFTER_WORD_CAP that are w
            total = len(re.findall(rf"{e}\b(?<!\w{e})", self.body))
            inside = len(re.findall(rf"{e}\b(?<=[a-z,;] {e})", self.body))
            hit = self.known[w] = total >= 5 and inside <= self.share * total
        return hit


def _sentence_starters(body: str, share: float) -> set[str]:
    """Capitalised words the book (almost) never writes inside a sentence: only after
    a full stop, a line start or a quote (``This``, ``All``), unlike names (``Trotsky``).

    >>> sorted(_sentence_starters("This a. This b. This c. This d. This e. and Marx, Marx, Marx, Marx said Marx.", 0.05))
    ['This']
    """
    total = collections.Counter(_CAP_WORD.findall(body))
    inside = collections.Counter(_AFTER_WORD_CAP.findall(body))
    return {w for w, n in total.items() if n >= 5 and inside[w] <= share * n}
