"""The glyph map and the tail decoder: how the scan misreads a superscript note number.

A tail is what follows a word in a token (``organized.s``: ``s``).  It is read with the
glyph map (``ocr_clean/dictionaries/footnote_glyphs.tsv``: ``s`` -> 5, ``oo`` -> 00, each
at a cost); a capital or a rare symbol (``ocr_clean/dictionaries/footnote_unreadable.tsv``)
stands for digits the scan could not read (a wildcard: 0-2 digits inside a run, ``Y7``; the
whole number when a capital is the whole tail, ``handY``), tried later only against the
numbers the chain misses.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ...lexicon import DataFileError, data_file, read_table



@lru_cache(maxsize=4)
def load_unreadable(path: str | None = None) -> dict[str, tuple[str, str]]:
    """The glyphs that may stand for digits the scan could not read (capitals and rare
    symbols, never ordinary punctuation): glyph -> (regex inside a run, regex alone)."""
    p = Path(path) if path else data_file("footnote_unreadable.tsv")
    out: dict[str, tuple[str, str]] = {}
    for r in read_table(p):
        if len(r) < 3 or not r[0]:
            raise DataFileError(f"{p}: a row needs glyphs, in_run and alone: {r!r}")
        for ch in r[0]:
            out[ch] = (r[1], r[2])
    return out


@lru_cache(maxsize=4)
def load_glyphs(path: str | None = None) -> tuple[tuple[str, str, float, str], ...]:
    """Rows (glyph, digits, cost, swallowed letter) of the glyph map."""
    p = Path(path) if path else data_file("footnote_glyphs.tsv")
    rows = []
    for r in read_table(p):
        if len(r) < 3 or not r[0]:
            continue
        rows.append((r[0], r[1], float(r[2]), r[3] if len(r) > 3 else ""))
    return tuple(rows)


class TailDecoder:
    """Decode the tail of a token (what follows the word) into note numbers with a cost.

    A tail read wholly from digits and the glyph map gives numbers; a tail with an
    unreadable glyph gives patterns (``P47`` -> ``\\d{0,2}47``) that are only tried
    against the numbers missing from the sequence, in the stretch of text where they
    are missing.
    """

    def __init__(self, glyphs, wild_cost: float = 1.0, max_n: int = 999,
                 unreadable: dict[str, tuple[str, str]] | None = None) -> None:
        self.glyphs = glyphs
        self.wild_cost = wild_cost
        self.max_n = max_n
        self.unreadable = load_unreadable() if unreadable is None else unreadable
        self.chars = set("0123456789") | {c for g, *_ in glyphs for c in g} | set(self.unreadable)
        # the characters the glyph map reads as a digit by themselves ("l", "o", "s", "!")
        self.digit_glyphs = {g for g, *_ in glyphs if len(g) == 1}
        # the glyphs that start with each character, in the map's order: the only ones that can
        # be read where that character stands
        self._by_first: dict[str, list] = {}
        for row in glyphs:
            self._by_first.setdefault(row[0][:1], []).append(row)
        # per distinct tail: its parses, its firm readings, its wildcard readings
        self._cache: dict = {}
        self._decoded: dict = {}
        self._wild: dict = {}

    def parses(self, tail: str) -> list[tuple[str, float, str, bool]]:
        """All readings: (digits or regex, cost, swallowed letter, has a wildcard)."""
        hit = self._cache.get(tail)
        if hit is not None:
            return hit
        out: list[tuple[str, float, str, bool]] = []
        unreadable = self.unreadable.get
        by_first = self._by_first.get if "" not in self._by_first else (lambda c, d: self.glyphs)

        def walk(i: int, pat: str, cost: float, letter: str, wild: int) -> None:
            if len(out) > 64:
                return
            if i == len(tail):
                out.append((pat, cost, letter, wild > 0))
                return
            c = tail[i]
            if c.isdigit():
                walk(i + 1, pat + c, cost, letter, wild)
                return
            for g, d, gc, gl in by_first(c, ()):
                if tail.startswith(g, i) and (not gl or i == 0):
                    walk(i + len(g), pat + d, cost + gc, gl or letter, wild)
            u = unreadable(c)
            if u is not None and wild < 2:
                # the whole tail one such glyph: the whole number read as one mark ("handY")
                walk(i + 1, pat + u[len(tail) == 1], cost + self.wild_cost, letter, wild + 1)

        walk(0, "", 0.0, "", 0)
        del walk              # the closure refers to itself: break the cycle (freed at once)
        self._cache[tail] = out
        return out

    def decode(self, tail: str) -> list[tuple[int, float, str]]:
        """Firm readings [(n, cost, swallowed letter)], one per n, best first (a shared list:
        not to be changed)."""
        hit = self._decoded.get(tail)
        if hit is not None:
            return hit
        best: dict[int, tuple[float, str]] = {}
        for pat, cost, letter, wild in self.parses(tail):
            if wild or not pat or pat[0] == "0" or len(pat) > 3:
                continue
            n = int(pat)
            if 1 <= n <= self.max_n and (n not in best or cost < best[n][0]):
                best[n] = (cost, letter)
        out = self._decoded[tail] = sorted(((n, c, l) for n, (c, l) in best.items()), key=lambda x: x[1])
        return out

    def wild(self, tail: str) -> list[tuple[str, float, str]]:
        """Readings with an unreadable glyph: [(pattern, cost, swallowed letter)] (a shared list:
        not to be changed).  The pattern is a regex's source: compiled (by ``re``'s cache)
        only if the tail is ever tried against a missing number, which few are."""
        hit = self._wild.get(tail)
        if hit is None:
            hit = self._wild[tail] = [(p, c, l) for p, c, l, w in self.parses(tail) if w]
        return hit

