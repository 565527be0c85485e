"""The punctuation stage: ties the parts together.

The scanners (:mod:`.scanners`) find the few places where a rule may apply, sorted into their
paragraphs; each paragraph's places go to the rules (:mod:`.rules`, the quotes through
:mod:`.quotes`), whose fixes become edits; of edits that clash, the one of the more important
rule is kept.  The confidence policy (``ocr_clean.policy``) decides applied or queued.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from ...ledger import Edit
from ...policy import SCORED
from ...profile import profile_of
from ..base import Stage, register
from .patterns import BANG_BOOK, PARA, QUOTE_GLYPHS, SPACED_QUOTE, SQ_CLOSE, SQ_OPEN, WORD_BEFORE, Patterns
from .quotes import Quotes
from .rules import (apostrophe_case, apostrophe_space, bracket_bang, bracket_mismatch, contraction_confidence,
                    double_space, edge_space, plural_confidence, space_after_open, space_before_punct)
from .scanners import Scanners, _matches_at, _non_overlapping


@register
class Punctuation(Scanners, Quotes, Stage):
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
        "doubt_confidence": 0.5,     # a reading a person should choose (below apply_threshold)
        "quote_doubt_confidence": 0.6,  # a reading the quotes around argue against
    }
    settings_help = {
        "apply_threshold": "edits at or above this confidence are applied, below are queued",
        "queue_threshold": "edits below apply_threshold are queued from this confidence, dropped below it",
        "quote_glyph_max_span": "an opening glyph quote must close within this many characters",
        "roman_max_span": "... and a roman-looking one (II) within this many",
        "min_book": "book count that makes a word known",
        "bracket_habit_ratio": "how much likelier one bracket kind must be to apply",
        "patterns": "a patterns table to read instead of dictionaries/punctuation.tsv (empty: that one)",
        "doubt_confidence": "confidence of a reading a person should choose (a mark glued to the next word, an unclear quote)",
        "quote_doubt_confidence": "confidence of a reading the quotes around argue against (a roman II, 't after an opening quote)",
    }

    def __init__(self, config=None, lexicon=None) -> None:
        super().__init__(config, lexicon)
        self.pat = Patterns.load(self.config.get("patterns"))
        self.compile_patterns()

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

    def _paragraph(self, p: str, off: int, ctx, found: dict[str, list]) -> list[Edit]:
        """The edits of one paragraph ``p`` (at ``off`` in the text), given the matches of
        the whole text's search that fall in it (text offsets) by kind."""
        cands: list[tuple[int, Edit]] = []   # (priority, edit in paragraph offsets)

        def add(prio: int, start: int, end: int, after: str, rule: str, conf: float,
                candidates=(), note="", status=None, evidence=None) -> None:
            conf = round(conf, 3)
            st = status or SCORED       # the confidence policy decides (ocr_clean.policy)
            cands.append((prio, Edit(start, end, after, rule, conf, st,
                                     tuple(candidates) or (after,), note, evidence=evidence or {})))

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
        cfg = self.config
        for m in before:
            mark = m.group(2)
            fix = space_before_punct(p, m.start(1) - off, m.end(1) - off, mark, m.end(2) - off,
                                     self.pat.close_punct.get(mark, 0.9), cfg)
            if fix is not None:
                add(30, fix.start, fix.end, fix.after, space_before_punct.rule.name, fix.confidence,
                    candidates=fix.candidates, note=fix.note, evidence=fix.evidence)
        for m in after_open:
            fix = space_after_open(p, m.start() - off, m.start(2) - off, m.end(2) - off,
                                   self.pat.open_punct.get(m.group(1), 0.9))
            if fix is not None:
                add(31, fix.start, fix.end, fix.after, space_after_open.rule.name, fix.confidence,
                    evidence=fix.evidence)
        for m in multi:
            fix = double_space(m.start() - off, m.end() - off, cfg)
            add(40, fix.start, fix.end, fix.after, double_space.rule.name, fix.confidence, evidence=fix.evidence)
        for fix in edge_space(p, cfg):
            add(41, fix.start, fix.end, fix.after, edge_space.rule.name, fix.confidence, evidence=fix.evidence)

    # -- apostrophes ---------------------------------------------------------------------
    def _apostrophes(self, p: str, off: int, contr, contr_s, case_s, plural_sp, add) -> None:
        """Split and miscased apostrophes: the arguments are the paragraph's matches of the
        four apostrophe patterns (text offsets; see ``_apostrophe_matches``)."""
        lex, cfg = self.lexicon, self.config
        name = apostrophe_space.rule.name

        def word_before(i: int) -> str:
            w = WORD_BEFORE.search(p, max(0, i - 60), i)
            return w.group() if w else ""

        for m in contr:
            ms = m.start() - off
            word, sfx = word_before(ms), m.group(2)
            need, conf = self.pat.contraction[sfx]
            if need and not word.lower().endswith(need):
                continue
            if sfx != "s" and (lex is None or not lex.is_english(f"{word}'{sfx}")):
                continue
            # an opening single quote just before makes this maybe a closing quote
            quote_before = SQ_OPEN.search(p, max(0, ms - 80), ms) is not None
            add(25, m.start(1) - off, m.end(1) - off, "", name, contraction_confidence(conf, quote_before, cfg),
                evidence={"suffix": sfx, "suffix_confidence": conf, "single_quote_before": quote_before})
        for m in contr_s:
            after, conf = apostrophe_space(word_before(m.start() - off), m.group(2),
                                           self.pat.contraction.get("s", ("", 0.9))[1], cfg)
            add(25, m.start(1) - off, m.end(2) - off, after, name, conf, evidence={"suffix": m.group(2)})
        for m in case_s:
            word = word_before(m.start() - off)
            conf = apostrophe_case(word, cfg)
            if conf is not None:
                add(26, m.start(1) - off, m.end(1) - off, "s", apostrophe_case.rule.name, conf,
                    evidence={"word_case": "capitalized" if word[:1].isupper() else "small"})
        for m in plural_sp:
            ms, me = m.start() - off, m.end() - off
            # `calls ' socialism'`: maybe an opening quote with a stray space after
            before = SQ_OPEN.search(p, max(0, ms - 80), ms) is not None
            after = SQ_CLOSE.search(p, me, me + 80) is not None
            add(25, m.start(1) - off, m.end(1) - off, "", name, plural_confidence(before, after, cfg),
                note="plural possessive", evidence={"single_quote_before": before, "single_quote_after": after})

    # -- brackets ------------------------------------------------------------------------
    def _brackets(self, p: str, ctx, add) -> None:
        """Mismatched bracket pairs and ``[ I ]``, in a paragraph that has an opening bracket."""
        stack: list[tuple[int, str]] = []
        habits = ctx["brackets"]
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
            shape = self._shape(content)
            best, conf = bracket_mismatch(shape, habits, self.config)
            ev = {"shape": shape, "round": habits.get(("(", shape), 0), "square": habits.get(("[", shape), 0)}
            note = (f"{o}...{c}: contents look '{shape}'; book has {shape} in ( ) {habits.get(('(', shape), 0)}x, "
                    f"in [ ] {habits.get(('[', shape), 0)}x")
            cand_best = best[0] + content + best[1]
            # only the misread end changes: the one that is not of the chosen kind
            if o != best[0]:
                add(5, j, j + 1, best[0], bracket_mismatch.rule.name, conf,
                    candidates=(best[0], o), note=note + f"; reads {cand_best[:60]}", evidence=ev)
            else:
                add(5, i, i + 1, best[1], bracket_mismatch.rule.name, conf,
                    candidates=(best[1], c), note=note + f"; reads {cand_best[-60:]}", evidence=ev)
        if not ctx["bang_ok"]:      # [ I ] for [!], in a text that writes [!] itself
            return
        for m in self.re_bang.finditer(p):
            o, inner, c = m.group(1), m.group(3), m.group(5)
            got = bracket_bang(o, inner, c, bool(m.group(2) or m.group(4)), self.pat.bracket_bang)
            if got is not None:
                add(6, m.start(), m.end(), got[0], bracket_bang.rule.name, got[1],
                    candidates=(got[0], o + inner + c), note="'!' read as 'I'",
                    evidence={"glyph": inner, "glyph_confidence": got[1], "text_writes_bang": True})
