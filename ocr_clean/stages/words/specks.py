"""words: lone strokes between two words, a speck of dirt or a column rule the OCR read as a
thin letter (``the I country``, ``after i the``), dropped where the two words read far better
side by side than with the stroke between them."""
from __future__ import annotations

import bisect
import re

from ...ledger import Edit
from ...policy import SCORED, status_for
from .rules import stray_mark


_SENTENCE_END = frozenset(".!?")


def _capital_stroke(between: str, before: str, after: str) -> bool:
    """May a capital stroke (``I``, ``J``) between the words ``before`` and ``after`` (with
    ``between`` before it) be a speck?  Only before a capitalized word, and after a sentence's
    end or a word in small letters (``living. I The``, ``MOTION. I By``): the pronoun stands
    before a word in small letters (``had I been``, ``were I to``, ``War I and``: no pair
    says it from a speck), and after a capitalized word it is a numeral (``Chapter I``).

    >>> _capital_stroke(". ", "living", "The"), _capital_stroke(" ", "were", "to")
    (True, False)
    >>> _capital_stroke(" ", "Chapter", "The"), _capital_stroke(". ", "MOTION", "By")
    (False, True)
    """
    if not after[:1].isupper():
        return False
    return before.islower() or any(ch in _SENTENCE_END for ch in between)


class _Specks:
    """The speck-finding part of a run (mixed into :class:`~ocr_clean.stages.words.run._Run`)."""

    def decide_specks(self) -> list:
        """The lone strokes of the text (one of ``speck_glyphs`` with a space or a line end on
        each side, not a line of its own, between two tokens of letters) read as specks: an edit
        for each that drops it with one space beside it.  Found by one search of the text, not
        token by token (a book holds few of them)."""
        glyphs = self.cfg["speck_glyphs"]
        if not glyphs:
            return []
        text, toks, groups = self.text, self.toks, self.groups
        out = []
        for m in re.finditer(r"(?:(?<= )|(?<=\n)(?=.[ ]))[%s](?=[ \n])" % re.escape(glyphs), text):
            start = m.start()
            k = bisect.bisect_left(toks.starts, start)
            if not 0 < k < len(groups) - 1 or toks.starts[k] != start:
                continue                              # (not a token of its own, or at the text's edge)
            g = groups[k]
            before, after = groups[k - 1], groups[k + 1]
            if not (before.isalpha() and after.isalpha()):
                continue
            if g.isupper() and not _capital_stroke(text[toks.starts[k - 1] + len(before):start], before, after):
                continue
            prev = before.lower() if self._adjacent(toks[k - 1], toks[k]) else None
            nxt = after.lower() if self._adjacent(toks[k], toks[k + 1]) else None
            if nxt is None:
                continue                              # (the word after is what the stroke is weighed by)
            e = self._speck(start, g, prev, nxt)
            if e is not None:
                out.append(e)
        return out

    def _speck(self, start: int, glyph: str, prev, nxt):
        """The edit that drops the stroke ``glyph`` at ``start`` between ``prev`` and ``nxt``
        (lower case; ``prev`` None after a mark or at a line's start), or None."""
        cfg, lm = self.cfg, self.lm
        low = glyph.lower()
        if (prev is not None and not self.freq(prev)) or not self.freq(nxt):
            return None                               # the words beside it must be words to judge by
        p_next = self._p_word(nxt)                    # (the text's counts in, on both sides alike)
        keep = lm.logp(prev, low, self._p_word(low)) + lm.logp(low, nxt, p_next)
        cost = max(0.1, cfg["speck_capital_cost" if glyph.isupper() else "speck_cost"] + self.shift)
        dropped = lm.logp(prev, nxt, p_next) - cost
        conf = stray_mark(keep, dropped, cfg["speck_margin"])
        if conf is None or status_for(SCORED, conf, self.stage.thresholds) is None:
            return None
        text = self.text
        end = start + 1
        if text[end] == " ":
            end += 1                                  # the stroke and the space after it
        else:
            start -= 1                                # at a line's end: the space before it
        margin = dropped - keep
        note = (f"a lone {glyph!r} between {prev or '-'} and {nxt}: {prev or '-'} {nxt} {dropped:.1f} "
                f"(a speck costs {cost:.1f}) vs with it {keep:.1f}; margin {margin:.1f}")
        evidence = {"glyph": glyph, "context": f"{prev or '-'} _ {nxt}", "cost": round(cost, 2),
                    "noise": round(self.noise, 4),
                    "scores": {"dropped": round(dropped, 2), f"{glyph} (kept)": round(keep, 2)},
                    "margin": round(margin, 2)}
        kept = () if self.stage.would_apply(conf) else (text[start:end],)
        return Edit(start, end, "", stray_mark.rule.name, round(conf, 4), SCORED, ("",) + kept, note,
                    evidence=evidence)
