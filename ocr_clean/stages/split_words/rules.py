"""The decisions of split_words (:class:`Decisions`, a part of the stage): which groups of
pieces may join, the best segmentation of a stretch and the margin of each join, pairs of
real words, split years."""
from __future__ import annotations

import collections
import math
import re

from ...languages import stretch_rule
from ...ledger import APPLIED, QUEUED, Edit
from ...rules import rule
from .scanners import WORD_AFTER, WORD_BEFORE, NOT_BEFORE_NUMBER, YEAR, YEARS_ALONE, case_ok, pair_matches


class Decisions:
    """The part of :class:`~.stage.SplitWords` that decides the joins."""

    def _groups(self, toks, lo, hi, start_ok, end_ok, strong, info):
        """Every joinable group (a, b, score, sure) of pieces inside toks[lo:hi]
        (``info``: the pieces' (strong, score kept) as ``piece`` gives them)."""
        cfg = self.config
        max_group, max_caps_group = cfg["max_group"], cfg["max_caps_group"]
        # the test word() starts with, here so that most joins (no word) cost no call
        lex, book_lower = self.lexicon, self.book.lower
        english, user_lower, protected = lex.english, lex.user_lower, lex.protected
        out = []
        # a group holds a weak piece: none starts after the last one
        last_weak = max(k for k in range(lo, hi) if not strong[k])
        for a in range(lo, last_weak + 1):
            if not start_ok[a]:
                continue
            first = joined = toks[a]
            weak = not strong[a]
            caps = first.isupper()
            letters = len(first) == 1
            for b in range(a + 1, hi):
                t = toks[b]
                joined += t
                weak = weak or not strong[b]
                caps = caps and t.isupper()
                letters = letters and len(t) == 1
                g = b + 1 - a
                if g > max_group and not (caps or letters):
                    break
                if g > max_caps_group:
                    break
                if not weak or not end_ok[b]:
                    continue
                low = joined.lower()
                if low in english or low in book_lower or low in user_lower or joined in protected:
                    sc = self.word(joined)
                else:
                    sc = None
                if sc is None:
                    if g == 2 and first.lower() in self.prefixes and strong[b] and len(t) > 3 \
                            and not strong[a] and t.islower() and case_ok(joined):
                        sc = info[b][1] + math.log(cfg["prefix_factor"])   # un forgotten
                    else:
                        continue
                pen = cfg["caps_penalty"] if caps or letters else cfg["join_penalty"]
                # a lone letter next to real words ("points b and c", "r am" for "I am"):
                # the letter may be a symbol or a misread word; join only what the book writes often
                lone = all(strong[k] or len(toks[k]) == 1 for k in range(a, b + 1))
                sure = not lone or self.book_count(joined) >= cfg["letter_join_book"]
                if sure and b + 1 < len(toks):
                    nxt = toks[b + 1]
                    # a prefix at the end ("a re examination"): it may belong to the next word
                    if t.lower() in self.prefixes and strong[b + 1] and nxt.islower() and len(nxt) > 3:
                        sure = False
                    # a word + a lone letter, before a fragment ("Menshevik s tatistician")
                    elif g == 2 and len(t) == 1 and strong[a] and len(first) > 2 and not strong[b + 1] \
                            and len(nxt) > 2 \
                            and self.lexicon.freq(nxt) < cfg["rare_freq"] and self.book.count(nxt) < 2:
                        sure = False
                out.append((a, b + 1, sc - pen * (g - 1), sure))
        return out

    def _best(self, lo, hi, keep, groups, banned=None):
        """Best segmentation of runs[lo:hi]: (score, chosen groups)."""
        by_end: dict[int, list] = {}
        for g in groups:
            if g is not banned:
                by_end.setdefault(g[1], []).append(g)
        best = [0.0] * (hi - lo + 1)
        back: list = [None] * (hi - lo + 1)
        for k in range(lo + 1, hi + 1):
            best[k - lo] = best[k - 1 - lo] + keep[k - 1]
            for g in by_end.get(k, ()):
                sc = best[g[0] - lo] + g[2]
                if sc > best[k - lo]:
                    best[k - lo] = sc
                    back[k - lo] = g
        chosen = []
        k = hi
        while k > lo:
            g = back[k - lo]
            if g is None:
                k -= 1
            else:
                chosen.append(g)
                k = g[0]
        return best[-1], chosen[::-1]

    def _island(self, text, runs, lo, hi, keep, groups) -> list[Edit]:
        """The joins of the best segmentation of runs[lo:hi] among ``groups``, each scored by
        its margin over the best segmentation without it."""
        cfg = self.config
        top, chosen = self._best(lo, hi, keep, groups)
        edits = []
        for g in chosen:
            alt_score, alt = self._best(lo, hi, keep, groups, banned=g)
            margin = top - alt_score
            if margin < cfg["queue_margin"]:
                continue
            a, b, _sc, sure = g
            start, end = runs[a][0], runs[b - 1][1]
            pieces = [r[2] for r in runs[a:b]]
            joined = "".join(pieces)
            conf, status = split_word(margin, sure, cfg["apply_margin"])
            cands = [joined]
            # the runner-up's reading of the same stretch, when it differs
            alt_text = self._render(text, runs, alt, start, end)
            if alt_text not in cands:
                cands.append(alt_text)
            before = text[start:end]
            if before not in cands:
                cands.append(before)
            edits.append(Edit(start, end, joined, "letter-spaced" if letter_spaced(pieces) else "split-word", conf,
                              status, tuple(cands), note=f"margin {margin:.1f}"))
        return edits

    @staticmethod
    def _render(text, runs, chosen, start, end):
        """text[start:end] with the groups of ``chosen`` that lie inside it joined."""
        parts, pos = [], start
        for a, b, *_ in chosen:
            s, e = runs[a][0], runs[b - 1][1]
            if s >= start and e <= end:
                parts += [text[pos:s], "".join(r[2] for r in runs[a:b])]
                pos = e
        parts.append(text[pos:end])
        return "".join(parts)

    def _pair_candidates(self) -> dict[tuple[str, str], str]:
        """The pairs of words of their own (lower case) that make a word (``it self``) the
        book writes ``pair_queue_count`` times (4 letters or more) and ``pair_queue_ratio``
        times more often than the pair, each with that word.

        Only the pairs the book writes are looked at, and those that make a word it writes
        that often are all in ``joins`` (a few hundred): no need to cut every frequent
        word of the book in two."""
        cfg = self.config
        book_lower = self.book.lower
        cands: dict[tuple[str, str], str] = {}
        for (a, b), pair in self.joins.items():
            w = a + b
            k = book_lower.get(w, 0)
            if k < cfg["pair_queue_count"] or len(w) < 4 or not w.isalpha():
                continue
            if k >= cfg["pair_queue_ratio"] * pair and self.piece(a)[0] and self.piece(b)[0]:
                cands[(a, b)] = w
        return cands

    def _pairs(self, text: str, done: list[Edit]) -> list[Edit]:
        """Two real words that also make a word (``it self``): queued, never applied, when the
        book writes the word ``pair_queue_count`` times and the pair hardly ever.  (The order
        of the candidates makes no difference to the matches: at most one pair of the
        alternation can match at a place, as the pairs are letters only, between lookarounds.)"""
        book = self.book
        cands = self._pair_candidates()
        if not cands:
            return []
        pat = re.compile(r"(?<![\w'\u2019])(?:%s)(?![\w'\u2019])" % "|".join(
            re.escape(a) + " " + re.escape(b) for a, b in cands), re.IGNORECASE)
        spans = [(e.start, e.end) for e in done]
        found = []      # (match, a, b, the word before, the word after)
        for m in pair_matches(pat, text, [a + " " + b for a, b in cands]):
            a, b = m.group().split(" ")
            if case_ok(a + b) and not any(m.start() < y and x < m.end() for x, y in spans):
                found.append((m, a, b, *self._neighbours(text, m.start(), m.end())))
        # the word pairs the decisions ask about, counted together
        self.count_pairs([p for _, a, b, before, after in found
                          for p in ((a, b), (before, a), (before, a + b), (b, after), (a + b, after)) if all(p)])
        out = []
        for m, a, b, before, after in found:
            joined = a + b
            whole, pair = book.count(joined), self.pair(a, b)
            if self._context_splits(a, b, joined, before, after):
                continue
            out.append(Edit(m.start(), m.end(), joined, "split-word-pair", self.config["pair_confidence"], QUEUED,
                            (joined, m.group()),
                            note=f"book: {joined!r} {whole}x, {m.group()!r} {pair}x"))
        return out

    def _neighbours(self, text: str, start: int, end: int) -> tuple[str, str]:
        """The word before the pair ``text[start:end]`` (within ``pair_context_reach``) and
        the word after it; "" where there is none."""
        lm = WORD_BEFORE.search(text, max(0, start - self.config["pair_context_reach"]), start)
        rm = WORD_AFTER.match(text, end)
        return (lm.group(1) if lm is not None else ""), (rm.group(1) if rm is not None else "")

    def _context_splits(self, a: str, b: str, joined: str, before: str, after: str) -> bool:
        """The words around the pair read it as two words (``dealt with in``, ``effort to
        ward off``): :func:`split_word_pair` on the book's counts of the word ``before`` with
        ``a`` and with the joined word (and of ``b`` and the joined word with the word ``after``)."""
        pair = self.pair
        left = (pair(before, a) - 1, pair(before, joined)) if before else None
        right = (pair(b, after) - 1, pair(joined, after)) if after else None
        return not split_word_pair(left, right, self.config["pair_context_uses"])

    def _numbers(self, text: str, matches) -> list[Edit]:
        """Split years among ``matches`` (those of ``SPLIT_NUMBER`` in ``text``).  The book's
        uses of each year standing alone are counted for all the years asked at once, by one
        search for any of them (a year is four characters)."""
        years = []      # (match, its pieces that make the year, the year)
        for m in matches:
            if m.start() > 0 and (text[m.start() - 1] in NOT_BEFORE_NUMBER or text[m.start() - 1].isalnum()):
                continue
            year = split_year(m.group().split(" "))
            if year is not None:
                years.append((m, *year))
        if not years:
            return []
        alone = YEARS_ALONE.format("|".join(sorted({re.escape(y) for _, _, y in years})))
        counts = collections.Counter(re.findall(alone, text))
        out = []
        for m, parts, joined in years:
            if counts[joined] < self.config["min_year_count"]:
                continue
            end = m.start() + len(" ".join(parts))
            out.append(Edit(m.start(), end, joined, "split-number", self.config["year_confidence"], APPLIED,
                            (joined, text[m.start():end]), note=f"book writes {joined} {counts[joined]}x"))
        return out


# -- the rules: each kind of edit the stage makes ----------------------------------------------

@rule("split-word", stage="split_words",
      help="pieces of a word the scan split with a space are joined (Tro tsky -> Trotsky); a join whose "
           "margin over the best reading without it is small is queued")
def split_word(margin: float, sure: bool, apply_margin: float) -> tuple[float, str]:
    """(confidence, status) of a join from its margin (log) over the best reading without it:
    applied from ``apply_margin`` when nothing made it doubtful (``sure``), else queued.

    >>> split_word(4.0, True, 3.0), split_word(2.0, True, 3.0), split_word(4.0, False, 3.0)
    ((0.982, 'applied'), (0.865, 'queued'), (0.982, 'queued'))
    """
    conf = round(1.0 - math.exp(-margin), 3)
    return conf, APPLIED if margin >= apply_margin and sure else QUEUED


@rule("letter-spaced", stage="split_words",
      help="a word printed letter-spaced (T H E  O P P O S I T I O N) is joined: a split-word of single "
           "letters or capitals")
def letter_spaced(pieces: list[str]) -> bool:
    """Is a join of ``pieces`` a letter-spaced word (three or more pieces, two or more single
    letters, and capitals or all but one piece single letters)?

    >>> letter_spaced(["O", "P", "P", "OS", "ITI", "O", "N"]), letter_spaced(["Tro", "tsky"])
    (True, False)
    """
    singles = sum(len(p) == 1 for p in pieces)
    n = len(pieces)
    return n > 2 and singles >= 2 and ("".join(pieces).isupper() or singles >= n - 1)


@rule("split-word-pair", stage="split_words",
      help="two real words that also make a word the book writes far more often (it self) are queued, "
           "never applied, unless the words around read them as two",
      settings={"pair_confidence": (0.5, "confidence of a queued join of two real words"),
                "pair_context_reach": (40, "characters searched back for the word before a pair"),
                "pair_context_uses": (2, "a neighbour written this often with a half, never with the "
                                         "joined word, reads the pair as two words")})
def split_word_pair(before: tuple[int, int] | None, after: tuple[int, int] | None, least: int) -> bool:
    """Is the join offered?  Not when a neighbour reads the pair as two words: the book writes
    the word before with the first half (``before[0]``, this use left out) at least ``least``
    times and never with the joined word (``before[1]``), or the second half with the word
    after likewise (``after``).

    >>> split_word_pair((5, 0), None, 2), split_word_pair((5, 1), (0, 0), 2), split_word_pair(None, None, 2)
    (False, True, True)
    """
    for with_half, with_joined in (x for x in (before, after) if x is not None):
        if with_half >= least and with_joined == 0:
            return False
    return True


@rule("split-number", stage="split_words",
      help="a year the scan split (1 930, 193 1) is joined when the book writes it whole often enough",
      settings={"year_confidence": (0.95, "confidence of a split year joined")})
def split_year(parts: list[str]) -> tuple[list[str], str] | None:
    """The first pieces of a split number that make four digits, and the year they make
    (1500-2099: "1 000" may be how a number is printed); None if they make no year.

    >>> split_year(["1", "930"]), split_year(["193", "1", "20"]), split_year(["1", "000"])
    ((['1', '930'], '1930'), (['193', '1'], '1931'), None)
    """
    k, size = 0, 0
    while k < len(parts) and size < 4:
        size += len(parts[k])
        k += 1
    if size != 4:
        return None
    joined = "".join(parts[:k])
    return (parts[:k], joined) if YEAR.fullmatch(joined) else None


# a place inside a stretch another language reads far better than English (ocr_clean.languages)
foreign_stretch = stretch_rule("split_words", help="a join inside a sentence another language reads far better than English (un pays is no "
                                               "misread unpays) is withheld, its rejection in the ledger")
