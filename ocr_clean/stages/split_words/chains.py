"""The chains of letter runs one space apart where a join is possible (:class:`Chains`, a part
of the stage): found for the whole book at once (``_live``), then worked through piece by
piece (``_chain``) into the stretches a join can reach."""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import compress, count, repeat
from operator import add, and_, eq, ne, not_

from ...ledger import Edit
from .scanners import SEP, APOSTROPHES, CLITICS, spaced_pair


class Chains:
    """The part of :class:`~.stage.SplitWords` that finds where a join is possible."""

    def _words(self, text: str, chain: re.Pattern, letters: re.Pattern) -> list[Edit]:
        """Joins inside each chain of letter runs one space apart that holds a weak piece.

        Fast because few chains are worked through piece by piece (``_chain``): which distinct
        pieces of the chains are weak is told once (``_weak``), ``_live`` finds, with maps over
        all the weak pieces of the book at once, the few chains where a join is possible, and
        only the pieces of those are scored (``_classify``)."""
        matches = list(chain.finditer(text))
        reach = max(1, self.config["max_group"] - 1)
        # the pieces of all chains in one list, the chains apart by SEP, reach of them at each end
        ends = " ".join([SEP] * reach)
        flat = f"{ends} {f' {SEP} '.join(map(re.Match.group, matches))} {ends}".split()
        pieces = set(flat)
        pieces.discard(SEP)
        live = [matches[k] for k in self._live(flat, reach, self._weak(pieces))]
        toks = [m.group().split() for m in live]
        # only the pieces of these chains need a score
        self._classify(set().union(*toks).difference(self._piece))
        edits: list[Edit] = []
        for m, t in zip(live, toks):
            self._chain(text, m, t, letters, edits)
        return edits

    def _live(self, flat: list[str], reach: int, weak: set[str]) -> list[int]:
        """The indices of the chains where a join is possible, in order (``flat``: the pieces
        of all chains, apart by one ``SEP`` and ``reach`` of them at each end; ``weak``: those
        of them that are no word of their own).

        A superset of the chains where ``_groups`` finds a group: one holding a weak piece and
        (a) a group of it and its neighbours, at most ``max_group`` pieces, whose join is a word
        of English, of the book or of the user (the first test of ``_groups``), or (b) the piece
        is a prefix (``un forgotten``), or (c) it is letter-spaced with a neighbour (only then can
        a group be longer).  Every weak piece of the book is tested at once, one kind of group
        at a time, with maps and set lookups (a join across ``SEP`` is no word): no Python loop
        over the chains or their pieces."""
        # one pass over flat finds the weak pieces and the SEP
        marks = dict.fromkeys(weak, True)
        marks[SEP] = True
        where = list(compress(count(), map(marks.get, flat)))
        is_sep = list(map(eq, map(flat.__getitem__, where), repeat(SEP)))
        at = list(compress(where, map(not_, is_sep)))
        size = self.config["max_group"]
        near = {d: list(map(flat.__getitem__, map(add, at, repeat(d)))) for d in range(-reach, reach + 1)}
        lex = self.lexicon
        tests = [lex.english.__contains__, self.book.lower.__contains__]
        if lex.user_lower:
            tests.append(lex.user_lower.__contains__)
        # letter-spaced with a neighbour: only a weak piece in capitals or of one letter can be
        # (spaced_pair), so only those are tested
        spaceable = {t for t in weak if len(t) == 1 or t.isupper()}
        hit = {i for i, t, a, b in compress(zip(at, near[0], near[-1], near[1]), map(spaceable.__contains__, near[0]))
               if spaced_pair(t, a) or spaced_pair(t, b)}
        hit.update(compress(at, map(self.prefixes.__contains__, map(str.lower, near[0]))))
        # A group s..e around a weak piece (s <= 0 <= e) is looked up only when it stays in the
        # chain (right[e], left[-s]: no SEP) and holds no weak piece before this one (left[-s]:
        # it is looked up from that one): each group once, none across chains.
        left, right = [repeat(True)], [repeat(True)]
        for d in range(1, reach + 1):
            left.append(list(map(and_, left[-1], map(not_, map(marks.get, near[-d])))))
            right.append(list(map(and_, right[-1], map(ne, near[d], repeat(SEP)))))
        # the joins of pieces s..e, each built from the one of s+1..e: groups[e] holds those of
        # the current s
        groups = {0: near[0]}
        for e in range(1, size):
            groups[e] = list(map(add, groups[e - 1], near[e]))
        for s in range(0, -size, -1):
            if s < 0:
                groups = {e: list(map(add, near[s], groups[e])) for e in range(0, s + size)}
            for e, joined in groups.items():
                if e - s >= 1:
                    inside = list(map(and_, left[-s], right[e]))
                    joined = list(compress(joined, inside))
                    pieces_at = list(compress(at, inside))
                    low = list(map(str.lower, joined))
                    for known in tests:
                        hit.update(compress(pieces_at, map(known, low)))
                    if lex.protected:
                        hit.update(compress(pieces_at, map(lex.protected.__contains__, joined)))
        # the chain of a piece: the number of SEP before it, less the reach in front
        seps = list(compress(where, is_sep))
        return sorted({bisect_right(seps, i) - reach for i in hit})

    def _chain(self, text: str, m: re.Match, toks: list[str], letters: re.Pattern, edits: list[Edit]) -> None:
        """The joins of one chain (``m``, its pieces ``toks``), added to ``edits``."""
        cfg = self.config
        caps_r, low_r = cfg["max_caps_group"] - 1, cfg["max_group"] - 1
        tlen = len(text)
        info = list(map(self.piece, toks))
        n = len(toks)
        strong = [x[0] for x in info]
        start_ok = [True] * n
        end_ok = [True] * n
        s0 = m.start()
        if s0 > 0:
            c = text[s0 - 1]
            clitic = toks[0].lower() in CLITICS
            if c.isdigit() or c == "." or (c in APOSTROPHES and clitic):
                start_ok[0] = False       # "weren 't", "Landau 's", "develop1l1ents"
            elif c == " " and s0 > 1 and ((text[s0 - 2] in APOSTROPHES and clitic)
                                          or (text[s0 - 2] == "-" and s0 > 2 and text[s0 - 3].islower())):
                start_ok[0] = False       # "Trotsky' s and", "di- recti on": other stages' work
        if m.end() < tlen and (text[m.end()].isdigit()
                               or (text[m.end()] == "-" and toks[-1].lower() in self.prefixes)):
            end_ok[-1] = False            # "a re-election" is no "are-election"
        # a piece at the edge that can join nothing seeds no island
        if not start_ok[0]:
            strong[0] = True
        if not end_ok[-1]:
            strong[-1] = True
        # the stretches that a group holding a weak piece could reach, overlapping ones merged
        # (so that the edits of two stretches can never overlap)
        stretches: list[list[int]] = []
        j = -1
        for i in [k for k, s in enumerate(strong) if not s]:
            if i <= j:
                continue      # inside the stretch before
            last = j = i
            while j + 1 < n:
                reach = caps_r if spaced_pair(toks[last], toks[j + 1]) else low_r
                if j + 1 - last > reach:
                    break
                j += 1
                if not strong[j]:
                    last = j
            b = i
            while b > 0:
                reach = caps_r if spaced_pair(toks[i], toks[b - 1]) else low_r
                if i - (b - 1) > reach:
                    break
                b -= 1
            if stretches and b <= stretches[-1][1]:
                stretches[-1][1] = j
            else:
                stretches.append([b, j])
        runs = None     # (start, end, piece) of each piece, found when a join is proposed
        for b, j in stretches:
            groups = self._groups(toks, b, j + 1, start_ok, end_ok, strong, info)
            if groups:
                if runs is None:
                    runs = [(r.start(), r.end(), r.group()) for r in letters.finditer(text, m.start(), m.end())]
                edits.extend(self._island(text, runs, b, j + 1, [x[1] for x in info], groups))
