"""The noisy-channel model behind the ``confusion`` stage.

A scanned token ``t`` is either printed as it stands (the *keep* hypothesis) or is a
misreading of a word ``c``.  Candidates ``c`` are produced by rewriting ``t`` with the
scan's glyph confusions (data: ``ocr_clean/dictionaries/confusions.tsv``: ``ln`` -> ``m``,
``O`` -> ``o``, ``nn`` -> ``rm`` ...), kept only when they are words the book or English
spells that way, and scored::

    score(c)    = channel(t | c) x frequency(c) x context(c)
    score(keep) = shape(t) x length(t) x keep_weight x count(t)

* ``channel`` is the product of the weights of the rules used (each re-weighted by the
  scan's own confusion profile, learned from the sure fixes of a first pass) and a
  penalty for every letter whose case does not fit the word;
* ``frequency`` counts the book first (a word spelled right forty times elsewhere is
  strong evidence), then English (wordfreq) scaled to the book's length;
* ``context`` compares the neighbouring word pairs with what the book's own bigram
  counts lead one to expect;
* ``shape`` is low for a token no printed word looks like: digits or a lost glyph (U+FFFD)
  among letters, capitals inside a lower-case word; ``length``: a long form rarely lands on
  a word by chance.  (A known English word doubted as a real-word error is kept with its
  own frequency instead.)

The confidence of the best candidate is its share of the total score.  Nothing here
knows about one particular book: rules are data, vocabulary is counted at run time.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from .lexicon import data_file, read_table

LOST = "\ufffd"          # the replacement character: a glyph the OCR could not read
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class Rule:
    scan: str
    print: str
    weight: float
    end_only: bool = False

    @property
    def key(self) -> str:
        return f"{self.scan}>{self.print}"


@dataclass(frozen=True, slots=True)
class Reading:
    """One way of reading a token: the candidate (lower case) and how it was reached."""

    cand: str
    weight: float                  # product of rule weights (before the profile)
    rules: tuple[str, ...]         # keys of the rules used, in order
    kept: tuple[int, ...]          # token positions copied as they are (letters only)
    first_kept: bool               # the token's first character was kept as it is
    punct: bool = False            # a lost glyph at the end stands for a mark after the word


def load_rules(path: Path | None = None) -> list[Rule]:
    path = path or data_file("confusions.tsv")
    rules = []
    for row in read_table(path):
        if len(row) < 3:
            continue
        scan, prnt, weight = row[0], row[1], float(row[2])
        where = row[3].strip() if len(row) > 3 else "any"
        rules.append(Rule(scan, prnt, weight, where == "end"))
    return rules


class ConfusionModel:
    """Generate the readings of a token that the glyph rules reach."""

    def __init__(self, rules: list[Rule], *, max_rules: int = 4, max_paths: int = 4000,
                 lost_letter_weight: float = 0.3, lost_r_weight: float = 0.9,
                 lost_end_r_weight: float = 0.3, lost_mark_weight: float = 0.3) -> None:
        self.rules = rules
        self.by_first: dict[str, list[Rule]] = {}
        for r in rules:
            self.by_first.setdefault(r.scan[:1], []).append(r)
        # the same, as plain tuples for the walk: (scan, print, weight, end_only, key)
        self._by_first = {ch: [(r.scan, r.print, r.weight, r.end_only, r.key) for r in rs]
                          for ch, rs in self.by_first.items()}
        # the rules whose scan starts a window of the longest scan's width, in their order, as
        # (length, print, weight, end_only, key): worked out once per window seen, so a walk
        # finds a position's rules with one look-up instead of trying every rule of its letter
        self._width = max((len(r.scan) for r in rules), default=1)
        self._at: dict[str, tuple] = {}
        self.max_rules = max_rules
        # the strong confusions inside lower-case words: where a real word may hide a misread
        strong = sorted({r.scan for r in rules if r.weight >= 0.1 and r.scan.isalpha() and r.scan.islower()
                         and len(r.scan) >= 2}, key=len, reverse=True)
        self.strong = re.compile("|".join(re.escape(x) for x in strong) or "(?!)")
        self.max_paths = max_paths
        self.lost_letter_weight = lost_letter_weight
        self.lost_r_weight = lost_r_weight
        self.lost_end_r_weight = lost_end_r_weight
        self.lost_mark_weight = lost_mark_weight

    @classmethod
    def load(cls, path: Path | None = None, **kw) -> "ConfusionModel":
        return cls(load_rules(path), **kw)

    def readings(self, tok: str, is_word) -> list[Reading]:
        """Every reading of ``tok`` that ``is_word`` accepts (lower-case candidates).

        A depth-first walk over the token: at each site a glyph rule (or a lost glyph) may
        apply, between sites the letters are copied.  At most ``max_paths`` complete
        readings are tried, in the order of the walk.
        """
        out: dict[str, Reading] = {}
        n = len(tok)
        budget = self.max_paths
        max_rules = self.max_rules
        lost_letter_weight = self.lost_letter_weight
        lost_end_r_weight = self.lost_end_r_weight
        lost_mark_weight = self.lost_mark_weight
        lost_r_weight = self.lost_r_weight
        moves = self._moves(tok)
        advance = _advance(tok, moves)
        # the rules used on the way down the walk, as (key, start, end) in the token (a list
        # changed in place: a walk makes no tuples until a reading is kept); the positions
        # copied as they are, letters all, are the ones no rule used
        rules: list[tuple[str, int, int]] = []

        def accept(cand: str, w: float, punct: bool) -> None:
            """Keep a reading: its rules, and the positions no rule used."""
            taken = set()
            for _, a, b in rules:
                taken.update(range(a, b))
            kept = tuple(p for p in range(n) if p not in taken)
            out[cand] = Reading(cand, w, tuple(r[0] for r in rules), kept, bool(kept) and kept[0] == 0, punct)

        def rec(i: int, cand: str, w: float, punct: bool) -> None:
            nonlocal budget
            if budget <= 0:
                return
            step = advance[i]
            if step is None:
                return
            i, copy = step      # copy the letters up to the next site
            cand += copy
            if i == n:
                budget -= 1
                if cand and rules and is_word(cand):
                    old = out.get(cand)
                    if old is None or w > old.weight:
                        accept(cand, w, punct)
            elif tok[i] == LOST:
                if len(rules) < max_rules:
                    if i == n - 1:
                        rules.append(("\ufffd>r,", i, n))
                        rec(n, cand + "r", w * lost_end_r_weight, True)
                        # the lost glyph was the mark after the word itself (developed\ufffd The)
                        rules[-1] = ("\ufffd>,", i, n)
                        rec(n, cand, w * lost_mark_weight, True)
                        rules.pop()
                    rules.append(("\ufffd>?", i, i + 1))
                    w_letter = w * lost_letter_weight
                    for c in LETTERS:
                        rec(i + 1, cand + c, w_letter, False)
                    rules.pop()
            else:
                ch = tok[i]
                if ch.isalpha():
                    rec(i + 1, cand + ch.lower(), w, punct)
                if len(rules) < max_rules:
                    for end, prnt, weight, rule in moves.get(i, ()):
                        rules.append(rule)
                        rec(end, cand + prnt, w * weight, punct)
                        rules.pop()
                    # the end-of-word "r," read as l/I + lost glyph
                    if ch in "lI" and i == n - 2 and tok[-1] == LOST:
                        rules.append(("l\ufffd>r,", i, n))
                        rec(n, cand + "r", w * lost_r_weight, True)
                        rules.pop()

        rec(0, "", 1.0, False)
        del rec, accept     # the walk refers to itself: let go of it, and its objects are freed at once
        return sorted(out.values(), key=lambda p: -p.weight)

    def _moves(self, tok: str) -> dict[int, list]:
        """Where a rule can apply in ``tok`` (between such sites letters are copied):
        ``moves[i]``, the rules that apply at i, in their order, as (end, print, weight, (key, i, end))."""
        n = len(tok)
        by_first = self._by_first
        moves: dict[int, list] = {}
        at, width = self._at, self._width
        for i, ch in enumerate(tok):
            window = tok[i:i + width]
            here = at.get(window)
            if here is None:
                here = at[window] = tuple((len(scan), prnt, weight, end_only, key)
                                          for scan, prnt, weight, end_only, key in by_first.get(ch, ())
                                          if window.startswith(scan))
            if here:
                found = [(i + length, prnt, weight, (key, i, i + length))
                         for length, prnt, weight, end_only, key in here if not end_only or i + length == n]
                if found:
                    moves[i] = found
        return moves


def _advance(tok: str, moves: dict[int, list]) -> list[tuple[int, str] | None]:
    """``advance[i]``: from position i of ``tok``, the next site (a rule's, or a lost glyph's)
    and the letters copied up to it in lower case, or None when something other than a letter
    stands between (no reading goes through); worked out once for each position, from the end."""
    n = len(tok)
    advance: list[tuple[int, str] | None] = [(n, "")] * (n + 1)
    site = n
    lost_end = n >= 2 and tok[-1] == LOST
    for i in range(n - 1, -1, -1):
        ch = tok[i]
        if i in moves or ch == LOST or (lost_end and i == n - 2 and ch in "lI"):
            site = i
        chunk = tok[i:site]
        advance[i] = (site, chunk.lower()) if not chunk or chunk.isalpha() else None
    return advance


def case_anomalies(tok: str, path: Reading) -> int:
    """Kept letters whose case does not fit the word (capitals inside a lower-case word)."""
    kept = [tok[i] for i in path.kept if tok[i].isalpha()]
    if len(kept) >= 2 and all(c.isupper() for c in kept):
        return 0
    k = path.kept
    return sum(1 for i in k if tok[i].isupper() and i != 0)


def shape_odds(tok: str) -> float:
    """How plausible it is that a printed word looks like ``tok`` (1 = an ordinary word)."""
    if tok.isalpha() and (tok.islower() or (tok[0].isupper() and tok[1:].islower())):
        return 1.0      # small letters, or Capitalized: no digit, lost glyph or inner capital
    odds = 1.0
    has_alpha = any(c.isalpha() for c in tok)
    if has_alpha and any(c.isdigit() for c in tok):
        odds *= 0.01
    if LOST in tok:
        odds *= 0.03
    letters = [c for c in tok if c.isalpha()]
    if letters and not all(c.isupper() for c in letters):
        inner_caps = sum(1 for i, c in enumerate(tok) if i > 0 and c.isupper() and tok[i - 1].isalpha()
                         and not tok[i - 1].isupper())
        if len(tok) > 3 and tok[0].isupper() and tok[1].isupper() and tok[2].islower() and tok[3].islower():
            inner_caps += 1
        odds *= 0.1 ** min(inner_caps, 3)
    return odds


SAME_SHAPE = frozenset("CcOoSsVvWwXxZz")   # letters whose capital is the small letter, larger


def apply_case(tok: str, path: Reading, cand: str, *, sentence_start: bool, prefer_capital: bool,
               book_form: str | None = None, capital_common=True) -> str:
    """Give ``cand`` (lower case) the case pattern of the token it replaces.

    ``prefer_capital``: the book never writes this word small (a name);
    ``capital_common``: the book often capitalizes it inside sentences (Communist Party,
    Comrade X), so a capital that looks like its small letter (C, O, S ...) is believed;
    a bool, or a callable asked only when the answer matters.
    """
    def capital() -> str:
        if book_form and book_form.lower() == cand and book_form[:1].isupper():
            return book_form
        return cand[:1].upper() + cand[1:]

    kept = [tok[i] for i in path.kept if tok[i].isalpha()]
    if len(kept) >= 3 and all(c.isupper() for c in kept) and path.first_kept:
        return cand.upper()
    if path.first_kept:
        if tok[0].isupper():
            if tok[0] in SAME_SHAPE and not sentence_start and not prefer_capital:
                common = capital_common() if callable(capital_common) else capital_common
                if not common:
                    return cand
            return capital()
        return cand
    if sentence_start or prefer_capital:
        return capital()
    return cand


def context_factor(prev: str | None, nxt: str | None, cand: str, book, pairs=None, floor: float = 0.5,
                   cap: float = 6.0) -> float:
    """How much better ``cand`` fits between its neighbours than an average word pair.

    ``pairs``: the book's word pair counts, ``pairs[a, b]`` (lower case); ``book.bigrams`` when
    not given.  A caller that knows which pairs it will ask about can count only those."""
    if pairs is None:
        pairs = book.bigrams
    f = 1.0
    total = max(book.total, 1)
    cc = book.lower.get(cand, 0) + 1
    for a, b in ((prev, cand), (cand, nxt)):
        if not a or not b:
            continue
        other = a if b == cand else b
        n = pairs[a, b]
        if n == 0:
            continue
        expect = cc * (book.lower.get(other, 0) + 1) / total
        f *= math.sqrt((n + 1) / (expect + 1))
    return max(floor, min(cap, f))
