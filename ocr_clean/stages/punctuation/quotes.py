"""The double quotes of a paragraph: their roles (opening, closing, unclear), the support the
quotes around give a role (quotes alternate), misread quote glyphs and spaced quotes.

The decisions are the rules ``quote-glyph`` and ``quote-space`` (:mod:`.rules`); this module
reads the paragraph's quote structure for them.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from .patterns import CLOSE_FOLLOW, OPENER_CHARS, QUOTE_GLYPHS, ROMAN, STRAY_BEFORE, WORD_AFTER, _flip, _Q
from .rules import (glyph_prefix_confidence, glyph_suffix_confidence, quote_glyph, quote_space)
from .scanners import _rstripped, _spaces_after, _spaces_before


def classify(p: str, i: int, j: int) -> str | None:
    """The role of the quote ``p[i:j]`` from its neighbours alone: "O", "C" or None.

    >>> classify('he said "yes" to', 8, 9), classify('he said "yes" to', 12, 13), classify('a " b', 2, 3)
    ('O', 'C', None)
    """
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


def support_from(seq: list[_Q], back: int, fwd: int, role: str) -> tuple[int, int]:
    """The evidence of the quotes around a quote with ``role``: walking back from ``seq[back]``
    and forward from ``seq[fwd]``, the first quote with a clear role agrees (2) or disagrees
    (-1) with the alternation; reaching the paragraph's edge agrees (1) or not (0).

    >>> support_from([_Q(0, 1, "O"), _Q(9, 10, None)], 0, 2, "C")
    (2, 1)
    """
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


class QuoteSeq:
    """The real quotes of a paragraph and the glyphs read as quotes so far, in order of
    position: each question is a bisection, not a pass over all (a paragraph of many quotes
    would otherwise take time growing with their square)."""

    def __init__(self, real: list[_Q]) -> None:
        self.real = real
        self.real_pos = [q.pos for q in real]
        self.seq_all: list[_Q] = list(real)
        self.seq_pos: list[int] = list(self.real_pos)
        self.glyphs: list[tuple] = []           # (quote, edit start, edit end, reading, conf, note, evidence)
        self.glyph_pos: list[int] = []
        self.glyph_spans: list[tuple[int, int]] = []
        self.longest = 0                        # the longest glyph span kept

    def keep(self, got: tuple) -> None:
        self.glyphs.append(got)
        q = got[0]
        self.longest = max(self.longest, q.end - q.pos)
        k = bisect_right(self.seq_pos, q.pos)      # after the quotes at its place (as sorted() kept them)
        self.seq_pos.insert(k, q.pos)
        self.seq_all.insert(k, q)
        k = bisect_right(self.glyph_pos, q.pos)
        self.glyph_pos.insert(k, q.pos)
        self.glyph_spans.insert(k, (q.pos, q.end))

    def support(self, q: _Q, role: str) -> tuple[int, int]:
        """The support of ``q`` having ``role`` among the real quotes and the glyphs kept so far."""
        k = bisect_right(self.seq_pos, q.pos)
        return support_from(self.seq_all, k - 1, k, role)

    def in_glyph(self, s: int) -> bool:
        """Is ``s`` inside a glyph kept so far (``pos <= s < end``)?"""
        k = bisect_right(self.glyph_pos, s) - 1
        while k >= 0:
            a, b = self.glyph_spans[k]
            if a <= s < b:
                return True
            if s - a >= self.longest:
                return False
            k -= 1
        return False

    def next_quote_dist(self, pos: int) -> int:
        k = bisect_right(self.real_pos, pos)
        return self.real_pos[k] - pos if k < len(self.real_pos) else 10 ** 9


class Quotes:
    """The quote methods of :class:`~.stage.Punctuation` (a mixin)."""

    def _quotes(self, p: str, off: int, ctx, prefixes, suffixes, tokens, add) -> None:
        """Spaced and misread double quotes; ``prefixes`` / ``suffixes`` / ``tokens`` are the
        paragraph's matches of ``re_prefix`` (those kept) / ``re_suffix`` / ``re_token`` (text offsets)."""
        opening, closing = ctx.get("quote_glyph", QUOTE_GLYPHS["straight"])
        if opening == '"':
            real = [_Q(m.start(), m.end(), classify(p, m.start(), m.end())) for m in re.finditer('"', p)]
        else:   # the text's own opening and closing quotes say their role
            roles = {opening: "O", closing: "C"}
            real = [_Q(m.start(), m.end(), roles.get(m.group()) or classify(p, m.start(), m.end()))
                    for m in re.finditer(f'["{opening}{closing}]', p)]
        qs = QuoteSeq(real)
        self._glyph_prefixes(p, off, ctx, prefixes, qs)
        self._glyph_suffixes(off, suffixes, qs)
        # a quote accepted may make the next one fit: a few passes until nothing changes
        pending = tokens
        for _pass in range(3):
            found = False
            rest = []
            for m in pending:
                got = self._glyph_token(p, off, m, qs)
                if got is None:
                    rest.append(m)
                else:
                    qs.keep(got)
                    found = True
            pending = rest
            if not found or not pending:
                break
        for q, a, b, after_txt, conf, note, ev in qs.glyphs:
            if (opening, closing) != ('"', '"'):
                after_txt = after_txt.replace('"', opening if q.role == "O" else closing)
            add(10, a, b, after_txt, quote_glyph.rule.name, conf, candidates=(after_txt, p[a:b]),
                note=f"misread quote {note}", evidence=ev)
        self._spaced_quotes(p, qs, add)

    def _glyph_prefixes(self, p: str, off: int, ctx, prefixes, qs: QuoteSeq) -> None:
        """Glued prefixes: ``liThe``, ``IINew``."""
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
            support = qs.support(q, "O")
            ev = {"glyph": g, "glyph_confidence": conf, "role": "opening", "support": support}
            conf = glyph_prefix_confidence(conf, *support, self.config)
            qs.keep((q, ms, ms + len(g), '"', conf, f"{g}+{core}", ev))

    def _glyph_suffixes(self, off: int, suffixes, qs: QuoteSeq) -> None:
        """Glued suffixes after punctuation: ``party./I``, ``?/1``."""
        for m in suffixes:
            g = m.group(1)
            ms, me = m.start() - off, m.end() - off
            q = _Q(ms, me, "C")
            support = qs.support(q, "C")
            conf = glyph_suffix_confidence(self.pat.quote_suffix[g], *support, self.config)
            if conf is not None:
                ev = {"glyph": g, "glyph_confidence": self.pat.quote_suffix[g], "role": "closing", "support": support}
                qs.keep((q, ms, me, '"', conf, g, ev))

    def _glyph_token(self, p: str, off: int, m, qs: QuoteSeq):
        """A standalone glyph (``/I deception"``, ``II``) read as an opening or closing quote."""
        cfg = self.config
        g = m.group(1)
        s, e = m.start(1) - off, m.end(1) - off
        if qs.in_glyph(s):
            return None
        # (the words around are read in place: a copy of the paragraph before or after each
        # token would make a long paragraph's time grow with its square)
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
            back, fwd = qs.support(q, "O")
            span = cfg["roman_max_span"] if ROMAN.fullmatch(g) else cfg["quote_glyph_max_span"]
            if back >= 1 and fwd == 2 and qs.next_quote_dist(s) <= span:
                options.append((back + fwd, q, s, j, '"'))
        # closing: after a word or a mark, then space/end/mark
        if s and p[s - 1] == " " and (s < 2 or p[s - 2] != " "):
            q = _Q(s, e, "C")
            back, fwd = qs.support(q, "C")
            if back == 2 and fwd >= 1 and not (ROMAN.fullmatch(g) and prev_word[-1:].isalnum()):
                options.append((back + fwd, q, s - 1, e, '"'))
        got = quote_glyph(options, self.pat.quote_token[g], roman, cfg)
        if got is None:
            return None
        (score, q, a, b, after_txt), conf = got
        ev = {"glyph": g, "glyph_confidence": self.pat.quote_token[g],
              "role": "opening" if q.role == "O" else "closing", "support": score, "roman": roman}
        return (q, a, b, after_txt, conf, g, ev)

    def _spaced_quotes(self, p: str, qs: QuoteSeq, add) -> None:
        """Spaced quotes: ``" democratic``, ``deception "``, among the real quotes and the
        glyphs the policy would apply."""
        real_ids = {id(q) for q in qs.real}
        seq = sorted([*qs.real, *(g[0] for g in qs.glyphs if self.would_apply(g[4]))], key=lambda x: x.pos)
        n = len(p)
        name = quote_space.rule.name
        for k, q in enumerate(seq):
            i = q.pos
            if q.role == "C" and id(q) in real_ids and 1 < i < n - 1 and p[i - 1] == " " \
                    and p[i - 2] not in " ." and p[i + 1] in STRAY_BEFORE:
                # `socialists "-is`: a closing quote with a stray space before it
                sc = support_from(seq, k - 1, k + 1, "C")
                if min(sc) >= 1 and max(sc) == 2:
                    add(20, _spaces_before(p, i), i, "", name, self.config["quote_space_confidence"],
                        note="closing quote", evidence={"support_close": sc})
                continue
            if q.role is not None or id(q) not in real_ids:
                continue
            if not (0 < i < n - 1 and p[i - 1] == " " and p[i + 1] == " "):
                continue
            fix = quote_space(p, i, support_from(seq, k - 1, k + 1, "O"), support_from(seq, k - 1, k + 1, "C"),
                              _spaces_before(p, i), _spaces_after(p, i + 1), k, self.config)
            if fix is not None:
                add(20, fix.start, fix.end, fix.after, name, fix.confidence, candidates=fix.candidates,
                    note=fix.note, status=fix.status, evidence=fix.evidence)
