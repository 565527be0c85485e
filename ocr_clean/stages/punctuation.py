"""Punctuation: stray spaces around marks, misread quotes, split apostrophes, bracket pairs.

Works on the text after ``dehyphenate`` (one paragraph a line, paragraphs separated by a
blank line); every paragraph is handled on its own.  The rules (each edit carries its
rule name):

* ``space-before-punct``: ``1931 .`` -> ``1931.``, ``a faction ?`` -> ``a faction?``,
  ``i .e.`` -> ``i.e.``; the spaced ellipsis ``. . .`` (house style) is never touched;
* ``space-after-open``: ``( Bolshevik-Leninists`` -> ``(Bolshevik-Leninists``;
* ``double-space``: runs of spaces inside a paragraph -> one space; ``edge-space``: spaces
  at a paragraph's start or end are dropped;
* ``quote-space``: a double quote with a stray space on both sides is opening or closing
  according to the paragraph's quote structure (quotes alternate; a quote glued to a word
  on one side is an anchor): ``" democratic`` -> ``"democratic``, ``deception "`` -> ``deception"``;
* ``quote-glyph``: a double quote misread as ``/I``, ``1/``, ``II``, ``li``... (patterns in
  ``ocr_clean/dictionaries/punctuation.tsv``), accepted only where the quote structure wants a quote,
  and for a glued prefix (``liThe``) only when the rest is a known word.  ``World War II``
  and words like ``like`` are left alone by construction; a roman-numeral reading (``II``
  after a capitalised word) is only ever queued;
* ``apostrophe-space``: ``weren 't`` -> ``weren't``, ``Landau 's`` -> ``Landau's``,
  ``Trotsky' S`` -> ``Trotsky's``, ``Workers ' and`` -> ``Workers' and``;
  ``apostrophe-case``: ``Trotsky'S`` -> ``Trotsky's`` (not in an all-capitals word);
* ``bracket-mismatch``: a pair opened with ``(`` and closed with ``]`` (or the reverse) is
  made one kind of bracket, the kind the book itself uses for contents of that shape;
  queued unless the book's habit is clear;
* ``bracket-bang``: ``[ I ]`` -> ``[!]`` where the book itself writes bracketed ``!``.

Digits glued after words or punctuation (footnote markers) and a lone ``'`` after a word
(possibly a misread marker) are left for the footnotes stage.

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
from dataclasses import dataclass, field

from ..ledger import APPLIED, QUEUED, Edit
from ..lexicon import data_file, read_table
from ..policy import SCORED
from ..profile import profile_of
from ..rules import rule
from .base import Stage, register

# (opening, closing) double quote of each quote habit of ocr_clean.profile
QUOTE_GLYPHS = {"straight": ('"', '"'), "curly": ("\u201c", "\u201d"), "low-high": ("\u201e", "\u201c"),
                "none": ('"', '"')}
PARA = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]*)*")
OPENER_CHARS = "([{-\u2014/"
CLOSE_FOLLOW = ".,;:?!)]}-*'\u2014"
# a quote between a space and one of these may be a closing quote with a stray space before
STRAY_BEFORE = ",.;:?!)]-*\u2014"
# the real quotes that may have a stray space: a space before, a space or STRAY_BEFORE after
# (a literal first character, so that ``re`` skips to each quote at C speed)
SPACED_QUOTE = re.compile('"(?<= ")(?=[ ' + re.escape(STRAY_BEFORE) + "])")
ROMAN = re.compile(r"[IVXLC]+")
AFTER_MARK = frozenset(" \n\"'\u2019\u201d)]-\u2014,;:.?!*/")
SQ_CLOSE = re.compile(r"(?<=[a-z.,?!])['\u2019](?![\w'\u2019])(?<!s')")
LETTERS = re.compile(r"[A-Za-z]+")
DIGIT = re.compile(r"\d")
WORD_BEFORE = re.compile(r"[A-Za-z]+$")
WORD_AFTER = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
SQ_OPEN = re.compile(r"(?<![\w'\u2019 ])['\u2019](?!(?:s|t|d|ll|re|ve|m)\b)(?=[A-Za-z])|(?<= )['\u2019](?=[A-Za-z]{2})(?!(?:s|t|d|ll|re|ve|m)\b)")
APOSTROPHES = "'\u2019"
# a bracketed "!" (``[!]``, ``( ! )``): whether the book writes them; one pattern per opening
# bracket, so that each starts with a literal character
BANG_BOOK = (re.compile(r"\[ *!(?: *!)* *[\])]"), re.compile(r"\( *!(?: *!)* *[\])]"))
# a pair of brackets of one kind around short contents (the book's bracket habits)
BRACKET_PAIRS = (re.compile(r"\(([^()\[\]\n]{2,200})\)"), re.compile(r"\[([^()\[\]\n]{2,200})\]"))


@dataclass
class Patterns:
    close_punct: dict[str, float] = field(default_factory=dict)
    open_punct: dict[str, float] = field(default_factory=dict)
    quote_token: dict[str, float] = field(default_factory=dict)
    quote_prefix: dict[str, tuple[float, bool]] = field(default_factory=dict)
    quote_suffix: dict[str, float] = field(default_factory=dict)
    contraction: dict[str, tuple[str, float]] = field(default_factory=dict)
    bracket_bang: dict[str, tuple[str, float]] = field(default_factory=dict)

    @classmethod
    def load(cls, path=None) -> "Patterns":
        path = path or data_file("punctuation.tsv")
        p = cls()
        for row in read_table(path):
            row = row + [""] * (5 - len(row))
            kind, pat, reading, conf, note = row[:5]
            c = float(conf) if conf.strip() else 0.9
            if kind == "close_punct":
                p.close_punct[pat] = c
            elif kind == "open_punct":
                p.open_punct[pat] = c
            elif kind == "quote_token":
                p.quote_token[pat] = c
            elif kind == "quote_prefix":
                p.quote_prefix[pat] = (c, "upper" in note)
            elif kind == "quote_suffix":
                p.quote_suffix[pat] = c
            elif kind == "contraction":
                p.contraction[pat] = (reading, c)
            elif kind == "bracket_bang":
                p.bracket_bang[pat] = (reading, c)
        return p


def _alt(pats) -> str:
    return "|".join(re.escape(x) for x in sorted(pats, key=len, reverse=True)) or r"(?!)"


def _alt_behind(pats, look: str, cls: str) -> str:
    """``_alt(pats)`` preceded by the one-character look-behind ``(?<{look}{cls})`` (``look`` is
    ``=`` or ``!``), written after each pattern as ``x(?<{look}{cls}x)``: the same matches, but
    the pattern starts with literal characters, which the ``re`` engine looks for at C speed
    instead of trying the look-behind at every position of the text."""
    return "|".join(f"{re.escape(x)}(?<{look}{cls}{re.escape(x)})"
                    for x in sorted(pats, key=len, reverse=True)) or r"(?!)"


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


def _flip(r: str) -> str:
    return "C" if r == "O" else "O"


@dataclass
class _Q:
    """A double quote in a paragraph: position, length, role ("O"/"C"/None when unclear)."""

    pos: int
    end: int
    role: str | None
    strong: bool = True


@register
class Punctuation(Stage):
    name = "punctuation"
    data_files = ("punctuation.tsv",)
    description = ("Stray spaces before punctuation and inside brackets, misread and spaced "
                   "quotes, split apostrophes, mismatched bracket pairs.")
    defaults = {
        "apply_threshold": 0.8,      # edits at or above are applied, below are queued
        "queue_threshold": 0.0,      # ...from this confidence (0: every edit below is queued)
        "quote_glyph_max_span": 400,  # an opening glyph quote must close within this many chars
        "roman_max_span": 120,       # ... and a roman-looking one (II) within this many
        "min_book": 2,               # book count that makes a word known
        "bracket_habit_ratio": 3.0,  # how much likelier one bracket kind must be to apply
        "patterns": "",              # a patterns table instead of the shipped one
    }
    settings_help = {
        "apply_threshold": "edits at or above this confidence are applied, below are queued",
        "queue_threshold": "edits below apply_threshold are queued from this confidence, dropped below it",
        "quote_glyph_max_span": "an opening glyph quote must close within this many characters",
        "roman_max_span": "... and a roman-looking one (II) within this many",
        "min_book": "book count that makes a word known",
        "bracket_habit_ratio": "how much likelier one bracket kind must be to apply",
        "patterns": "a patterns table to read instead of dictionaries/punctuation.tsv (empty: that one)",
    }

    def __init__(self, config=None, lexicon=None) -> None:
        super().__init__(config, lexicon)
        self.pat = Patterns.load(self.config.get("patterns"))
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

    # -- helpers -------------------------------------------------------------------------
    def _known(self, word: str, ctx) -> bool:
        """Known to English or the user's words, else used often enough in the book."""
        lex = self.lexicon
        if lex is None:
            return False
        if lex.is_known(word, None):
            return True
        return ctx["book"].count(word) >= self.config["min_book"]

    # -- entry point ---------------------------------------------------------------------
    def propose(self, text: str, doc) -> list[Edit]:
        # the places of the opening marks and brackets, each found once for all the patterns
        # that begin with one (a search for two or more different first characters is slow
        # in ``re``)
        firsts = {x[:1] for x in self.pat.open_punct}
        at = {c: [m.start() for m in re.finditer(re.escape(c), text)] for c in {"(", "[", *firsts}}
        ctx = {
            "book": self.book_vocab(text, doc) if self.lexicon is not None else None,
            "bang_ok": any(b.search(text) for b in BANG_BOOK),
            "brackets": self._bracket_habits(text, at),
            # the double quote glyphs the text prints (the scan profile): a misread quote
            # is restored as the text prints its opening / closing quote
            "quote_glyph": QUOTE_GLYPHS.get(profile_of(text, doc).quotes.value, QUOTE_GLYPHS["straight"]),
        }
        spans = [m.span() for m in PARA.finditer(text)]
        starts = [s for s, _e in spans]
        # what each paragraph has that a rule looks at: {paragraph: {kind: [matches]}}
        found: dict[int, dict[str, list]] = {}

        def put(kind: str, matches) -> None:
            for m in matches:
                k = bisect_right(starts, m.start()) - 1
                found.setdefault(k, {}).setdefault(kind, []).append(m)

        # a paragraph's quotes need a look only when one may have a stray space, or a
        # glyph may be a quote
        put("quote", SPACED_QUOTE.finditer(text))
        glyph_at = self._glyph_starts(text)
        qp = self.pat.quote_prefix
        put("prefix", [m for m in _matches_at(self.re_prefix, text, glyph_at(qp))
                       if not qp[m.group(1)][1] or m.group(2)[0].isupper()])
        put("suffix", _matches_at(self.re_suffix, text, glyph_at(self.pat.quote_suffix)))
        put("token", _matches_at(self.re_token, text, glyph_at(self.pat.quote_token)))
        for kind, matches in self._apostrophe_matches(text).items():
            put(kind, matches)
        # a mismatched pair has a square bracket; a bracketed "I" read as "!" has a space
        # inside its brackets
        for k in {bisect_right(starts, i) - 1 for i in at["["]}:
            found.setdefault(k, {})["bracket"] = []
        for c in ("\\]",) + (("\\( ", "\\)(?<= \\))") if ctx["bang_ok"] else ()):
            put("bracket", re.finditer(c, text))
        runs = self._space_runs(text)
        put("before", _matches_at(self.re_before, text, runs))
        # the opening marks are rare: the pattern is tried only where one of them begins
        put("after_open", _matches_at(self.re_after_open, text,
                                      sorted(i for c in firsts for i in at[c])))
        put("multi", _matches_at(self.re_multi, text, runs))
        for k, (s, e) in enumerate(spans):
            if text[s] == " " or text[e - 1] == " ":
                found.setdefault(k, {})["edge"] = []
        out: list[Edit] = []
        for k in sorted(found):
            s, e = spans[k]
            out.extend(self._paragraph(text[s:e], s, ctx, found[k]))
        return out

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

    def _paragraph(self, p: str, off: int, ctx, found: dict[str, list]) -> list[Edit]:
        """The edits of one paragraph ``p`` (at ``off`` in the text), given the matches of
        the whole text's search that fall in it (text offsets) by kind."""
        cands: list[tuple[int, Edit]] = []   # (priority, edit in paragraph offsets)

        def add(prio: int, start: int, end: int, after: str, rule: str, conf: float,
                candidates=(), note="", status=None) -> None:
            conf = round(conf, 3)
            st = status or SCORED       # the confidence policy decides (ocr_clean.policy)
            cands.append((prio, Edit(start, end, after, rule, conf, st,
                                     tuple(candidates) or (after,), note)))

        get = found.get
        if "quote" in found or "prefix" in found or "suffix" in found or "token" in found:
            self._quotes(p, off, ctx, get("prefix", ()), get("suffix", ()), get("token", ()), add)
        if "contr" in found or "contr_s" in found or "case_s" in found or "plural_sp" in found:
            self._apostrophes(p, off, get("contr", ()), get("contr_s", ()), get("case_s", ()),
                              get("plural_sp", ()), add)
        if "bracket" in found:
            self._brackets(p, ctx, add)
        self._spaces(p, off, get("before", ()), get("after_open", ()), get("multi", ()), add)
        # keep the best non-overlapping edits (lower priority number wins)
        cands.sort(key=lambda t: (t[0], t[1].start))
        out = []
        for e in _non_overlapping(cands):
            e.start += off
            e.end += off
            out.append(e)
        return out

    # -- spacing -------------------------------------------------------------------------
    def _spaces(self, p: str, off: int, before, after_open, multi, add) -> None:
        """Stray spaces: ``before`` / ``after_open`` / ``multi`` are the paragraph's matches
        of ``re_before`` / ``re_after_open`` / ``re_multi`` (text offsets)."""
        n = len(p)
        for m in before:
            s, e = m.start(1) - off, m.end(1) - off
            mark = m.group(2)
            j = m.end(2) - off
            nxt = p[j] if j < n else ""
            prev = p[s - 1]
            if mark == ".":
                if p[j:j + 2] == " ." or prev == ".":
                    continue            # a spaced ellipsis: house style
                if nxt.isdigit() and prev.isdigit():
                    # "13 .7, and" / "8 .6 million": a decimal; "1930 .7 The" may be a
                    # footnote marker after a full stop: queued
                    dm = re.match(r"\d{1,3}(?=,| [a-z%])", p[j:])
                    if dm:
                        add(30, s, e, "", "space-before-punct", 0.85, note="decimal point")
                    else:
                        add(30, s, e, "", "space-before-punct", 0.5, note="decimal point or full stop?")
                    continue
            if mark == ":" and prev.isdigit() and nxt.isdigit():
                continue
            if mark == ")" and prev in "-\u2013\u2014":
                continue                # "(1890- )": an open date range, printed so
            if nxt.isalpha():
                # "i .e." / "L .D.": a letter then its full stop is an abbreviation; else
                # ("it .was") it is unclear which side the mark belongs to: queued
                if not (mark == "." and p[j + 1:j + 2] == "."):
                    # the item spans the space and the mark, so each reading is one choice:
                    # a full stop before a lower-case word is mostly a speck ("it .was" ->
                    # "it was"); else the mark belongs to the word before ("word ,next")
                    mend = m.end(2) - off
                    readings = [" ", mark + " ", mark] if mark == "." and nxt.islower() \
                        else [mark + " ", " ", mark]
                    add(30, s, mend, readings[0], "space-before-punct", 0.5, candidates=readings,
                        note="mark glued to the next word: " + ("a speck?" if readings[0] == " "
                                                                 else "moved to the word before?"))
                    continue
            elif nxt and not nxt.isdigit() and nxt not in AFTER_MARK:
                continue                # ":(-": not a plain mark; another stage's glyph
            add(30, s, e, "", "space-before-punct", self.pat.close_punct.get(mark, 0.9))
        for m in after_open:
            s, e = m.start(2) - off, m.end(2) - off
            prev = p[m.start() - off - 1] if m.start() > off else ""
            if prev.isalnum():
                continue                # "however( it": the mark itself may be misread
            nxt = p[e] if e < n else ""
            if nxt in ")]":
                continue
            add(31, s, e, "", "space-after-open", self.pat.open_punct.get(m.group(1), 0.9))
        for m in multi:
            add(40, m.start() - off, m.end() - off, " ", "double-space", 0.99)
        lead = len(p) - len(p.lstrip(" "))
        if lead:
            add(41, 0, lead, "", "edge-space", 0.99)
        trail = len(p) - len(p.rstrip(" "))
        if trail and trail < len(p):
            add(41, len(p) - trail, len(p), "", "edge-space", 0.99)

    # -- quotes --------------------------------------------------------------------------
    @staticmethod
    def _classify(p: str, i: int, j: int) -> str | None:
        a = p[i - 1] if i > 0 else ""
        b = p[j] if j < len(p) else ""
        lsp = a in ("", " ", "\n")
        rsp = b in ("", " ", "\n")
        if lsp and not rsp and a != "" and b in ",.;:?!)]-*\u2014":
            return "C"                  # `word "-is`, `word " ?`: a closing quote, stray space
        if lsp and rsp:
            if a == "":
                return "O"              # a paragraph that starts with a quote opens it
            if b == "":
                return "C"
            return None
        if (lsp or a in OPENER_CHARS) and not rsp:
            if b.isalnum() or b in "'([\u2019":
                return "O"
            return None
        if not lsp and (rsp or b in CLOSE_FOLLOW or b.isdigit() or b == '"'):
            if a.isalnum() or a in ".,?!;:)]'\u2019*":
                return "C"
        return None

    @staticmethod
    def _support(seq: list[_Q], k: int, role: str) -> tuple[int, int]:
        """Evidence for quote ``k`` having ``role``: (backward, forward), each 2 = a
        quote with a clear role agrees, 1 = the paragraph edge agrees, 0 = the edge
        disagrees, -1 = a clear quote disagrees."""
        return _support_from(seq, k - 1, k + 1, role)

    def _quotes(self, p: str, off: int, ctx, prefixes, suffixes, tokens, add) -> None:
        """Spaced and misread double quotes; ``prefixes`` / ``suffixes`` / ``tokens`` are the
        paragraph's matches of ``re_prefix`` (those kept) / ``re_suffix`` / ``re_token`` (text offsets)."""
        opening, closing = ctx.get("quote_glyph", QUOTE_GLYPHS["straight"])
        if opening == '"':
            real = [_Q(m.start(), m.end(), self._classify(p, m.start(), m.end()))
                    for m in re.finditer('"', p)]
        else:   # the text's own opening and closing quotes say their role
            roles = {opening: "O", closing: "C"}
            real = [_Q(m.start(), m.end(), roles.get(m.group()) or self._classify(p, m.start(), m.end()))
                    for m in re.finditer(f'["{opening}{closing}]', p)]
        real_pos = [q.pos for q in real]
        real_ids = {id(q) for q in real}
        glyphs: list[tuple[_Q, int, int, str, float, str]] = []   # quote, edit span, note
        # the real quotes and the glyphs kept so far, in order of position (kept as glyphs are
        # found), and the glyphs' spans: each question is a bisection, not a pass over all
        # (a paragraph of many quotes would otherwise take time growing with their square)
        seq_all: list[_Q] = list(real)
        seq_pos: list[int] = list(real_pos)
        glyph_pos: list[int] = []
        glyph_spans: list[tuple[int, int]] = []
        longest = [0]                       # the longest glyph span kept

        def keep(got) -> None:
            glyphs.append(got)
            q = got[0]
            longest[0] = max(longest[0], q.end - q.pos)
            k = bisect_right(seq_pos, q.pos)      # after the quotes at its place (as sorted() kept them)
            seq_pos.insert(k, q.pos)
            seq_all.insert(k, q)
            k = bisect_right(glyph_pos, q.pos)
            glyph_pos.insert(k, q.pos)
            glyph_spans.insert(k, (q.pos, q.end))

        def support_with(q: _Q, role: str) -> tuple[int, int]:
            """``_support`` of ``q`` among the real quotes and the glyphs kept so far."""
            return _support_beside(seq_all, bisect_right(seq_pos, q.pos), role)

        def in_glyph(s: int) -> bool:
            """Is ``s`` inside a glyph kept so far (``pos <= s < end``)?"""
            k = bisect_right(glyph_pos, s) - 1
            while k >= 0:
                a, b = glyph_spans[k]
                if a <= s < b:
                    return True
                if s - a >= longest[0]:
                    return False
                k -= 1
            return False


        def next_quote_dist(pos: int) -> int:
            k = bisect_right(real_pos, pos)
            return real_pos[k] - pos if k < len(real_pos) else 10 ** 9

        # glued prefixes: liThe, IINew
        for m in prefixes:
            g, rest = m.group(1), m.group(2)
            ms, me = m.start() - off, m.end() - off
            conf, upper = self.pat.quote_prefix[g]
            core = rest.rstrip("'\u2019-")
            if not core:
                continue
            whole = g + rest
            if ROMAN.fullmatch(whole.rstrip("'\u2019-")):
                continue                # a roman numeral (III), not a quote
            if len(core) > 1 and not self._known(core, ctx):
                continue
            if len(core) == 1 and not (core.isupper() and p[me:me + 1] in (" ", ".")):
                continue
            if not upper and ctx["book"] is not None \
                    and ctx["book"].count(whole.rstrip("'\u2019-"), fold=False) >= 3:
                continue            # the book spells it that way on purpose
            q = _Q(ms, ms + len(g), "O")
            back, fwd = support_with(q, "O")
            if back < 0 or fwd < 0:
                conf = min(conf, 0.6)
            elif fwd < 2:
                conf = conf - 0.05
            keep((q, ms, ms + len(g), '"', conf, f"{g}+{core}"))

        # glued suffixes after punctuation: party./I, ?/1
        for m in suffixes:
            g = m.group(1)
            ms, me = m.start() - off, m.end() - off
            conf = self.pat.quote_suffix[g]
            q = _Q(ms, me, "C")
            back, fwd = support_with(q, "C")
            if back < 1 or fwd < 0:
                continue
            if back < 2:
                conf -= 0.1
            keep((q, ms, me, '"', conf, g))

        # standalone tokens: /I deception", etc. II
        def try_token(m):
            g = m.group(1)
            s, e = m.start(1) - off, m.end(1) - off
            if in_glyph(s):
                return None
            base = self.pat.quote_token[g]
            # (the words around are read in place: a copy of the paragraph before or after
            # each token would make a long paragraph's time grow with its square)
            end_before = _rstripped(p, s)       # p[:s].rstrip() ends here
            prev_word = p[p.rfind(" ", 0, end_before) + 1:end_before] if s else ""
            j = e
            while j < len(p) and p[j] == " ":
                j += 1                          # p[e:j]: the spaces after the token
            nxt_word = WORD_AFTER.match(p, j)
            # a roman numeral follows a name: a capitalised word not opening a sentence
            end_prev = _rstripped(p, end_before - len(prev_word)) if prev_word else 0
            roman = bool(ROMAN.fullmatch(g)) and prev_word[:1].isupper() and prev_word.isalpha() \
                and end_prev > 0 and p[end_prev - 1] not in ".?!:\""
            options = []
            # opening: a space then a word follows
            if j > e and nxt_word:
                q = _Q(s, e, "O")
                back, fwd = support_with(q, "O")
                span = self.config["roman_max_span"] if ROMAN.fullmatch(g) else self.config["quote_glyph_max_span"]
                if back >= 1 and fwd == 2 and next_quote_dist(s) <= span:
                    options.append((back + fwd, q, s, j, '"'))
            # closing: after a word or a mark, then space/end/mark
            if s and p[s - 1] == " " and (s < 2 or p[s - 2] != " "):
                q = _Q(s, e, "C")
                back, fwd = support_with(q, "C")
                if back == 2 and fwd >= 1 and not (ROMAN.fullmatch(g) and prev_word[-1:].isalnum()):
                    options.append((back + fwd, q, s - 1, e, '"'))
            if not options:
                return None
            options.sort(key=lambda o: -o[0])
            if len(options) > 1 and options[0][0] == options[1][0]:
                return None
            score, q, a, b, after_txt = options[0]
            conf = base - (0.05 if score < 4 else 0.0)
            if roman:
                conf = min(conf, 0.6)
            return (q, a, b, after_txt, conf, g)

        # a quote accepted may make the next one fit: a few passes until nothing changes
        pending = tokens
        for _pass in range(3):
            found = False
            rest = []
            for m in pending:
                got = try_token(m)
                if got is None:
                    rest.append(m)
                else:
                    keep(got)
                    found = True
            pending = rest
            if not found or not pending:
                break

        for q, a, b, after_txt, conf, note in glyphs:
            if (opening, closing) != ('"', '"'):
                after_txt = after_txt.replace('"', opening if q.role == "O" else closing)
            add(10, a, b, after_txt, "quote-glyph", conf, candidates=(after_txt, p[a:b]),
                note=f"misread quote {note}")

        # spaced quotes: " democratic / deception "
        seq = sorted([*real, *(g[0] for g in glyphs if self.would_apply(g[4]))],
                     key=lambda x: x.pos)
        n = len(p)
        for k, q in enumerate(seq):
            i = q.pos
            if q.role == "C" and id(q) in real_ids and 1 < i < n - 1 and p[i - 1] == " " \
                    and p[i - 2] not in " ." and p[i + 1] in STRAY_BEFORE:
                # `socialists "-is`: a closing quote with a stray space before it
                sc = self._support(seq, k, "C")
                if min(sc) >= 1 and max(sc) == 2:
                    ls = _spaces_before(p, i)
                    add(20, ls, i, "", "quote-space", 0.9, note="closing quote")
                continue
            if q.role is not None or id(q) not in real_ids:
                continue
            if not (0 < i < n - 1 and p[i - 1] == " " and p[i + 1] == " "):
                continue
            so = self._support(seq, k, "O")
            sc = self._support(seq, k, "C")
            o_ok = min(so) >= 1 and max(so) == 2
            c_ok = min(sc) >= 1 and max(sc) == 2
            # opening: the space after goes; closing: the space before goes
            ls = _spaces_before(p, i)
            re_ = _spaces_after(p, i + 1)
            if o_ok and not c_ok:
                conf = 0.95 if min(so) == 2 else 0.9
                add(20, i + 1, re_, "", "quote-space", conf, note="opening quote")
            elif c_ok and not o_ok:
                conf = 0.95 if min(sc) == 2 else 0.9
                add(20, ls, i, "", "quote-space", conf, note="closing quote")
            elif not o_ok and not c_ok and p[ls - 1:ls] in (":", "(", "["):
                # `tells us: " In the fall`: after a colon a quote opens (the quotation
                # may run on into the next paragraphs, so no closing quote is seen)
                add(20, i + 1, re_, "", "quote-space", 0.85, note="opening quote after ':'")
            elif p[re_:re_ + 1] in STRAY_BEFORE and p[re_:re_ + 1] not in "\"'":
                # `on ! " ?`: a mark follows, so the quote closes (the mark's own space goes
                # with the mark's rule)
                add(20, ls, i, "", "quote-space", 0.5, note="closing quote before a mark?")
            else:
                # unclear: a guess here is more often wrong than right, so the item keeps the
                # raw text by default and offers both readings over the whole span (spaces,
                # quote, spaces); the likelier first: closing after a mark that ends a
                # quotation (`foe !  " It`), else as the paragraph's quote count suggests
                # (stray double spaces around it become one, as elsewhere: that much is sure)
                closing = p[:ls].rstrip(" ")[-1:] in ".!?," or k % 2 == 1
                q_ = p[i]
                keep = " " + q_ + " "
                readings = [q_ + " ", " " + q_] if closing else [" " + q_, q_ + " "]
                add(20, ls, re_, keep, "quote-space", 0.5, candidates=[keep, *readings],
                    note="opening or closing? (kept apart unless you choose)",
                    status=QUEUED if p[ls:re_] == keep else APPLIED)

    # -- apostrophes ---------------------------------------------------------------------
    def _apostrophes(self, p: str, off: int, contr, contr_s, case_s, plural_sp, add) -> None:
        """Split and miscased apostrophes: the arguments are the paragraph's matches of the
        four apostrophe patterns (text offsets; see ``_apostrophe_matches``)."""
        lex = self.lexicon

        def word_before(i: int) -> str:
            w = WORD_BEFORE.search(p, max(0, i - 60), i)
            return w.group() if w else ""

        for m in contr:
            ms = m.start() - off
            word, sfx = word_before(ms), m.group(2)
            need, conf = self.pat.contraction[sfx]
            if need and not word.lower().endswith(need):
                continue
            if sfx != "s":
                if lex is None or not lex.is_english(f"{word}'{sfx}"):
                    continue
            # an opening single quote just before makes this maybe a closing quote
            if SQ_OPEN.search(p, max(0, ms - 80), ms):
                conf = min(conf, 0.6)
            add(25, m.start(1) - off, m.end(1) - off, "", "apostrophe-space", conf)
        for m in contr_s:
            word = word_before(m.start() - off)
            conf = self.pat.contraction.get("s", ("", 0.9))[1]
            if word.isupper() and len(word) > 1 and m.group(2) == "S":
                after = "'S"
            else:
                after = "'s"
            add(25, m.start(1) - off, m.end(2) - off, after, "apostrophe-space", conf - 0.05)
        for m in case_s:
            word = word_before(m.start() - off)
            if word.isupper() or not any(c.islower() for c in word):
                continue
            add(26, m.start(1) - off, m.end(1) - off, "s", "apostrophe-case", 0.9)
        for m in plural_sp:
            ms, me = m.start() - off, m.end() - off
            conf = 0.85
            if SQ_OPEN.search(p, max(0, ms - 80), ms):
                conf = 0.6
            elif SQ_CLOSE.search(p, me, me + 80):
                conf = 0.6      # `calls ' socialism'`: maybe an opening quote, stray space after
            add(25, m.start(1) - off, m.end(1) - off, "", "apostrophe-space", conf, note="plural possessive")

    # -- brackets ------------------------------------------------------------------------
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

    def _brackets(self, p: str, ctx, add) -> None:
        """Mismatched bracket pairs and ``[ I ]``, in a paragraph that has an opening bracket."""
        stack: list[tuple[int, str]] = []
        for m in re.finditer(r"[()\[\]]", p):
            c, i = m.group(), m.start()
            if c in "([":
                stack.append((i, c))
                continue
            if not stack:
                continue
            j, o = stack.pop()
            if (o == "(") == (c == ")"):
                continue
            content = p[j + 1:i]
            if "\n" in content or len(content) > 300 or not re.search(r"[A-Za-z]{2}", content):
                continue
            habits = ctx["brackets"]
            shape = self._shape(content)
            tot_r = sum(v for (k, _s), v in habits.items() if k == "(") or 1
            tot_s = sum(v for (k, _s), v in habits.items() if k == "[") or 1
            pr = (habits.get(("(", shape), 0) + 0.5) / tot_r
            ps = (habits.get(("[", shape), 0) + 0.5) / tot_s
            # which kind of bracket the book uses for contents of this shape (the two
            # misreadings, "[" for "(" and ")" for "]", are taken as equally likely)
            ls, lr = ps, pr
            square = ("[", "]")
            round_ = ("(", ")")
            best, other = (square, round_) if ls >= lr else (round_, square)
            ratio = max(ls, lr) / max(min(ls, lr), 1e-9)
            conf = 0.85 if ratio >= self.config["bracket_habit_ratio"] else 0.55
            note = f"{o}...{c}: contents look '{shape}'; book has {shape} in ( ) {habits.get(('(', shape), 0)}x, in [ ] {habits.get(('[', shape), 0)}x"
            cand_best = best[0] + content + best[1]
            cand_other = other[0] + content + other[1]
            # only the misread end changes: the one that is not of the chosen kind
            if o != best[0]:
                add(5, j, j + 1, best[0], "bracket-mismatch", conf,
                    candidates=(best[0], o), note=note + f"; reads {cand_best[:60]}")
            else:
                add(5, i, i + 1, best[1], "bracket-mismatch", conf,
                    candidates=(best[1], c), note=note + f"; reads {cand_best[-60:]}")
        # [ I ] for [!]
        if not ctx["bang_ok"]:
            return
        for m in self.re_bang.finditer(p):
            o, inner, c = m.group(1), m.group(3), m.group(5)
            got = bracket_bang(o, inner, c, bool(m.group(2) or m.group(4)), self.pat.bracket_bang)
            if got is not None:
                add(6, m.start(), m.end(), got[0], bracket_bang.rule.name, got[1],
                    candidates=(got[0], o + inner + c), note="'!' read as 'I'")


@rule("bracket-bang", stage="punctuation",
      help="a bracketed '!' misread as 'I' ('[ I ]') becomes '[!]', in a text that writes '[!]' itself")
def bracket_bang(opening: str, inner: str, closing: str, spaced: bool,
                 table: dict[str, tuple[str, float]]) -> tuple[str, float] | None:
    """The reading and confidence of a bracketed misread ``!`` (``inner``, a pattern of the
    ``bracket_bang`` rows of punctuation.tsv), or None: the brackets must be one kind, and
    a space inside them shows the mark stood alone (``[I]`` may be a roman one).

    >>> bracket_bang("[", "I", "]", True, {"I": ("!", 0.9)})
    ('[!]', 0.9)
    >>> bracket_bang("[", "I", "]", False, {"I": ("!", 0.9)}) is None
    True
    >>> bracket_bang("(", "I", "]", True, {"I": ("!", 0.9)}) is None
    True
    """
    if not spaced or (opening == "(") != (closing == ")"):
        return None
    reading, conf = table[inner]
    return opening + reading + closing, conf


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


def _support_beside(seq: list[_Q], k: int, role: str) -> tuple[int, int]:
    """:meth:`Punctuation._support` of a quote with ``role`` put into ``seq`` at index ``k``
    (``seq`` without it: the quotes before it are ``seq[:k]``, those after ``seq[k:]``)."""
    return _support_from(seq, k - 1, k, role)


def _support_from(seq: list[_Q], back: int, fwd: int, role: str) -> tuple[int, int]:
    """The evidence of the quotes around a quote with ``role``: walking back from ``seq[back]``
    and forward from ``seq[fwd]``, the first quote with a clear role agrees (2) or disagrees
    (-1) with the alternation; reaching the paragraph's edge agrees (1) or not (0)."""
    res = []
    for step, first in ((-1, back), (1, fwd)):
        exp = _flip(role)
        i = first
        val = None
        while 0 <= i < len(seq):
            q = seq[i]
            if q.role is not None:
                val = 2 if q.role == exp else -1
                break
            exp = _flip(exp)
            i += step
        if val is None:    # reached the edge: before the first quote / after the last we are outside
            edge = "C" if step == -1 else "O"
            val = 1 if exp == edge else 0
        res.append(val)
    return res[0], res[1]
