"""Finding, fast: the places of the text where a rule of the punctuation stage may apply.

Speed: the patterns that find where a rule applies are searched once over the whole text,
and written so that each starts with a literal character (a look-behind comes after the first
character, not before it), which lets the ``re`` engine skip ahead at C speed instead of trying
the pattern at every position (a search for one of several first characters is several times
slower in ``re`` than one for a single character).  Most patterns are not searched at all but
tried only at a few candidate places (``_matches_at``) found by such searches of a
literal: the apostrophes, the opening brackets, the rare characters of the misread-quote
glyphs (``_glyph_starts``), the runs of spaces before a mark or two long (``_space_runs``).
The matches are sorted into their paragraphs and only the paragraphs that have one are
visited; the quotes and brackets of a paragraph are looked at only where one of them may need
an edit (a quote with a space before it, a square bracket).  (None of the patterns crosses a
paragraph break, and a look-around that meets the break's newline decides as it does at the
paragraph's edge, so the matches are those of a search paragraph by paragraph.)  The few word
counts the glyph rule needs come from the document's vocabulary, counted once for all the
stages (``Stage.book_vocab``).
"""
from __future__ import annotations

import re
from bisect import bisect_right

from ...ledger import Edit
from .patterns import APOSTROPHES, BRACKET_PAIRS, DIGIT, LETTERS, _alt, _alt_behind


def _matches_at(pattern: re.Pattern, text: str, starts) -> list[re.Match]:
    """The matches ``pattern.finditer(text)`` gives, found by trying ``pattern`` only at
    ``starts`` (ascending, and including every place where a match can begin) instead of at
    every position.  ``pattern`` never matches an empty string."""
    out = []
    end = 0
    for i in starts:
        if i >= end:
            m = pattern.match(text, i)
            if m:
                out.append(m)
                end = m.end()
    return out


class Scanners:
    """The stage's finders (a mixin of :class:`~.stage.Punctuation`: ``self.pat`` is its
    :class:`~.patterns.Patterns`)."""

    def compile_patterns(self) -> None:
        """The search patterns of the stage's glyph and mark table."""
        p = self.pat
        # each pattern starts with a literal character (see the module's docstring)
        cp = _alt(p.close_punct)
        self.re_before = re.compile(r"( (?<=[^\s(\[{] ) *)(" + cp + ")")
        self.re_after_open = re.compile(r"(" + _alt(p.open_punct) + r")( +)(?=\S)")
        self.re_multi = re.compile(r"  (?<=\S  ) *(?=\S)")
        # a space followed by a space or a closing mark (see ``_space_runs``)
        self.re_space_next = re.compile(
            " [ " + "".join(re.escape(x[:1]) for x in sorted(p.close_punct)) + "]")
        self.re_token = re.compile(r"(" + _alt_behind(p.quote_token, "!", r"\S") + r")(?!\S)")
        self.re_prefix = re.compile(r"(" + _alt_behind(p.quote_prefix, "!", r"[^\s(\[\-\u2014]")
                                    + r")([A-Za-z][A-Za-z'\u2019-]*)")
        self.re_suffix = re.compile(r"(" + _alt_behind(p.quote_suffix, "=", r"[.,?!;:]")
                                    + r")(?=\s|$|[,.;:)\]])")
        sfx = _alt(p.contraction)
        self.re_contr = re.compile(r"( (?<=[A-Za-z] ) *)['\u2019](" + sfx + r")(?![\w'\u2019-])")
        self.re_contr_s = re.compile(r"(['\u2019](?<=[A-Za-z]['\u2019]) +)([sS])(?![\w'\u2019.-])")
        self.re_case_s = re.compile(r"['\u2019](?<=[A-Za-z]['\u2019])(S)(?![\w'\u2019])")
        self.re_plural_sp = re.compile(r"( (?<=[A-Za-z]s ) *)(['\u2019])(?= +[A-Za-z])")
        self.re_bang = re.compile(r"([\[(])( *)(" + _alt(p.bracket_bang) + r")( *)([\])])")

    def _glyph_starts(self, text: str):
        """A function giving, for a set of quote glyphs (``/I``, ``li``...), the sorted places
        where one of them may begin (a few more do no harm: ``_matches_at`` tries its pattern
        there).  Each glyph is found by its first character that is no letter or digit (``/``:
        rare in prose), searched alone, which ``re`` does at C speed; a glyph of letters and
        digits only (``II``, ``li``) is searched whole, and only where no letter, digit or
        ``_`` is just before it (``\\w``), since every glyph pattern wants a space, a mark
        or the text's start there (this leaves out the ``li`` inside words, most of them;
        and an occurrence overlapping a found one, as in ``III``, has a glyph character
        before it, so it is never wanted).  One search per such character or glyph serves all the glyph
        patterns, instead of a search of each pattern over the whole text."""
        anchors: dict[str, list[tuple[str, int]]] = {}   # searched pattern: [(glyph, offset)]
        glyphs = {*self.pat.quote_prefix, *self.pat.quote_suffix, *self.pat.quote_token}
        for g in glyphs:
            k = next((i for i, c in enumerate(g) if not c.isalnum()), None)
            if k is None:
                a = re.escape(g)
                anchors.setdefault(rf"{a}(?<!\w{a})", []).append((g, 0))
            else:
                anchors.setdefault(re.escape(g[k]), []).append((g, k))
        at: dict[str, list[int]] = {g: [] for g in glyphs}
        for a, users in anchors.items():
            hits = [m.start() for m in re.finditer(a, text)]
            for g, k in users:
                at[g].extend(h - k for h in hits if h >= k)
        return lambda pats: sorted({i for g in pats for i in at[g]})

    def _space_runs(self, text: str) -> list[int]:
        """Places that include the start of every run of spaces that is two or more long or
        ends at a closing mark: the only places where ``re_before`` and ``re_multi`` can
        match (both begin with a run of spaces after a character that is no space).  Found
        by one search for a space followed by a space or a mark (a literal first character,
        and the search reaches each run's start before anything in it), instead of two
        patterns with look-behinds tried at every space; the few places inside a run that
        it gives too do no harm."""
        return [m.start() for m in self.re_space_next.finditer(text)]

    def _apostrophe_matches(self, text: str) -> dict[str, list[re.Match]]:
        """The matches of the four apostrophe patterns, each tried only where it can begin:
        at an apostrophe, or at the spaces just before one (apostrophes are few)."""
        at = sorted(m.start() for c in APOSTROPHES for m in re.finditer(c, text))
        spaced = []                     # where the run of spaces before an apostrophe starts
        for a in at:
            s = a
            while s and text[s - 1] == " ":
                s -= 1
            if s < a:
                spaced.append(s)
        return {"contr": _matches_at(self.re_contr, text, spaced),
                "contr_s": _matches_at(self.re_contr_s, text, at),
                "case_s": _matches_at(self.re_case_s, text, at),
                "plural_sp": _matches_at(self.re_plural_sp, text, spaced)}

    @staticmethod
    def _shape(content: str) -> str:
        """A coarse shape of a bracket's contents: title, cite (has digits), lower, mixed."""
        words = LETTERS.findall(content)
        if not words:
            return "none"
        if DIGIT.search(content):
            return "cite"
        long_words = [w for w in words if len(w) > 3]
        long_caps = sum(1 for w in long_words if w[0].isupper())
        if len(words) >= 3 and content.lstrip()[:1].isupper() and long_words \
                and long_caps / len(long_words) >= 0.6 and '"' not in content:
            return "title"
        if not any(w[0].isupper() for w in words):
            return "lower"
        return "mixed"

    def _bracket_habits(self, text: str, at: dict[str, list[int]]) -> dict:
        """How often the book puts contents of each shape in ( ) and in [ ]; ``at`` has the
        places of the opening brackets of the text, where alone the pairs are looked for."""
        counts: dict[tuple[str, str], int] = {}
        for kind, pairs in zip("([", BRACKET_PAIRS):
            for m in _matches_at(pairs, text, at[kind]):
                shape = self._shape(m.group(1))
                counts[(kind, shape)] = counts.get((kind, shape), 0) + 1
        return counts


def _clash(a: int, b: int, s: int, e: int) -> bool:
    """Do the spans (a, b) and (s, e) clash: overlap, or a point inside (or at an end of) the other?"""
    return s < b and a < e or (s == e and a <= s <= b) or (a == b and s <= a <= e)


def _non_overlapping(cands: list[tuple[int, Edit]]) -> list[Edit]:
    """The edits of ``cands`` (sorted by priority, then start) that clash with none kept before
    them, in that order: each edit is checked against the few kept spans that can reach it
    (found by bisection), not against every one kept so far, so a paragraph of any length
    is done in time n log n.  Kept spans never clash, so in order of start their ends do not
    go back: the ones reaching an edit are the last ones starting at or before its end."""
    kept_starts: list[int] = []     # spans kept at earlier priorities, in order of start
    kept_ends: list[int] = []
    out: list[Edit] = []
    k = 0
    while k < len(cands):
        prio = cands[k][0]
        new: list[tuple[int, int]] = []      # spans kept at this priority (in order of start)
        while k < len(cands) and cands[k][0] == prio:
            e = cands[k][1]
            k += 1
            s, t = e.start, e.end
            i = bisect_right(kept_starts, t) - 1
            clash = False
            while i >= 0 and kept_ends[i] >= s:
                if _clash(kept_starts[i], kept_ends[i], s, t):
                    clash = True
                    break
                i -= 1
            j = len(new) - 1
            while not clash and j >= 0 and new[j][1] >= s:
                if _clash(new[j][0], new[j][1], s, t):
                    clash = True
                j -= 1
            if clash:
                continue
            new.append((s, t))
            out.append(e)
        if new:
            merged = sorted([*zip(kept_starts, kept_ends), *new])
            kept_starts = [x for x, _ in merged]
            kept_ends = [y for _, y in merged]
    return out


def _rstripped(p: str, s: int) -> int:
    """Where ``p[:s].rstrip()`` ends, found without copying ``p[:s]``."""
    while s > 0 and p[s - 1].isspace():
        s -= 1
    return s


def _spaces_before(p: str, i: int) -> int:
    """Where ``p[:i].rstrip(" ")`` ends."""
    while i > 0 and p[i - 1] == " ":
        i -= 1
    return i


def _spaces_after(p: str, i: int) -> int:
    """Where the spaces from ``i`` end (``i`` plus the length ``p[i:].lstrip(" ")`` lost)."""
    while i < len(p) and p[i] == " ":
        i += 1
    return i
