"""The paragraph decisions: one for each pair of consecutive content lines (the same line,
the same paragraph, or a new one), by small named tests."""
from __future__ import annotations

import bisect
import itertools
import re

from .patterns import (_ABBREV, _BLANK_RUN, _Block, _FIRST_CHAR, _first_class, _Gap, _LINE, _LIST_ITEM,
                       _LIST_ITEM_LINE, _PARAGRAPH)


# the short-line breaks, made once (a _Gap is never changed, only replaced)
_SHORT_85, _SHORT_80, _SHORT_75 = (_Gap("\n\n", "short-line-break", c) for c in (0.85, 0.8, 0.75))


class _Decisions:
    """Deciding the gap between each two content lines."""

    # -- paragraph decisions ----------------------------------------------------------------
    def _decide(self, content: list[int], blocks: list[_Block]) -> dict[int, _Gap]:
        """One decision for each pair of consecutive content lines: gaps[x] goes between
        content[x] and content[x + 1].

        Fast: most pairs are two lines next to each other in the scan, neither of them short,
        which _decide_one would always keep in one paragraph.  Those are found by one pass
        over the lines and left out of ``gaps`` (they stand for _Gap("\\n", "line") and
        need no edit); Python decides only the other pairs."""
        blank, strip = self.blank, self.strip
        kept_first = {b.first for b in blocks if b.kind == "note-kept"}
        kept_last = {b.last for b in blocks if b.kind == "note-kept"}
        # short by either measure (widths are not negative, so the larger ratio decides)
        ratio = max(self.config["short_ratio"], self.config["very_short_ratio"])
        look = [len(s) < ratio * w for s, w in zip(strip, self.width)]
        for k in kept_first | kept_last:
            look[k] = True
        todo = [x for x, a, b in zip(itertools.count(), content, content[1:])
                if b - a > 1 or look[a] or look[b]]
        gaps: dict[int, _Gap] = {}
        info: dict[int, tuple[int, list[_Block]]] = {}   # (blank lines, removed blocks)
        no_info = (0, [])                                # ... between adjacent lines
        block_at, indented, first, memo = self.block_at, self.indented, self._first, self._first_memo
        if 4 * len(todo) > len(content):
            known = _FIRST_CHAR.get
            memo[:] = [(known(s[:1]) or _first_class(s)) if m is None else m for s, m in zip(strip, memo)]
        for x in todo:
            a, b = content[x], content[x + 1]
            if b - a == 1 and (memo[b] or first(b)) == "l" and b not in indented \
                    and a not in kept_last and b not in kept_first:
                # next to each other, the second line goes on in lower case: one paragraph
                # (_decide_one's answer, _LINE, which needs no entry)
                continue
            nb, bl = no_info
            if b - a == 2 and a + 1 not in block_at:
                # most often: one blank line between (neither content nor removed), which
                # needs no count
                nb = 1
                info[x] = (nb, bl)
            elif b - a > 1:
                nb = sum(1 for k in range(a + 1, b) if blank[k])
                bl = [block_at[k] for k in range(a + 1, b) if k in block_at]
                info[x] = (nb, bl)
            if a in kept_last or b in kept_first:
                gaps[x] = _Gap("\n\n", "footnote-break", 0.9)
                continue
            got = self._decide_one(a, b, nb, bl)
            if got is not _LINE:       # (a pair kept in one paragraph needs no entry)
                gaps[x] = got
        self._list_item_breaks(content, gaps, info)
        self._moved_breaks(content, gaps, info)
        return gaps

    def _list_item_breaks(self, content: list[int], gaps: dict[int, _Gap],
                          info: dict[int, tuple[int, list[_Block]]]) -> None:
        """A numbered item continuing a numbered sequence starts a paragraph (into ``gaps``)."""
        strip, no_info = self.strip, (0, [])
        list_seen: dict[tuple[str, int], int] = {}   # (style, number) -> line of the item
        for b in self._lines_where(_LIST_ITEM_LINE):
            x = bisect.bisect_left(content, b) - 1   # the gap before line b
            m = _LIST_ITEM.match(strip[b])
            if not 0 <= x < len(content) - 1 or content[x + 1] != b or not m:
                continue
            a = content[x]
            num = int(m.group(1))
            style = strip[b][:1] == "("
            prev_line = list_seen.get((style, num - 1))
            para_start = x == 0 or gaps.get(x, _LINE).sep == "\n\n"
            if para_start:
                list_seen[(style, num)] = b
            elif prev_line is not None and b - prev_line < 400 and not self._word_cont(a) \
                    and not self._hyphen(a) \
                    and (self._sent_end(a) or a == prev_line or info.get(x, no_info)[0] > 0):
                gaps[x] = _Gap("\n\n", "list-item-break", 0.8)
                list_seen[(style, num)] = b

    def _moved_breaks(self, content: list[int], gaps: dict[int, _Gap],
                      info: dict[int, tuple[int, list[_Block]]]) -> None:
        """The displaced break: a blank line inside a sentence right after a paragraph's first
        line, that paragraph glued to the end of the previous one (into ``gaps``)."""
        for x, (nb, bl) in info.items():
            if not 1 <= x < len(content) - 1:
                continue
            g = gaps.get(x, _LINE)
            if g.sep != "\n" or nb == 0 or bl or g.rule != "mid-sentence-blank":
                continue
            w, a = content[x - 1], content[x]
            g0 = gaps.get(x - 1, _LINE)
            if g0.sep != "\n" or x - 1 in info and (info[x - 1][0] or info[x - 1][1]):
                continue
            if self._first(a) != "U" or self._word_cont(w) or self._hyphen(w):
                continue
            ends = self._sent_end(w)
            short = self._short(w) and not self._ends_joiner(w)
            if not (ends or short):
                continue
            conf = 0.92 if (self.lead[w] or short) else 0.85
            gaps[x - 1] = _Gap("\n\n", "moved-paragraph-break", conf)
            gaps[x] = _Gap("\n", "moved-paragraph-break", conf)

    def _decide_one(self, a: int, b: int, nb: int, bl: list[_Block]) -> _Gap:
        """The gap between content lines a and b, with nb blank lines and the removed blocks
        bl between them.  (Each line test runs only when the decision comes to it.)"""
        fb = self._first(b)
        if nb or bl:
            join_rule = "mid-sentence-blank"
            if bl:
                heads = [k for k in bl if k.kind in ("head", "number")]
                join_rule = "running-head" if any(k.kind == "head" for k in heads) else (
                    "page-number" if heads else (
                        "footnote-move" if any(k.moved for k in bl) else join_rule))
            if self._word_cont(a) or (self._hyphen(a) and fb == "l"):
                return _Gap("\n", join_rule, 0.95)
            if fb == "l" and not self._sent_end(a):
                return _Gap("\n", join_rule, 0.95)
            if fb == "l" and self._sent_end(a) and not self.strip[a].endswith(":") \
                    and not _LIST_ITEM.match(self.strip[b]):
                if _ABBREV.search(self.strip[a]):
                    return _Gap("\n", join_rule, 0.7)     # "etc." or "i.e." goes on
                # a sentence ended and a blank line follows: a paragraph, whose first
                # capital the scan misread ("r am sending" for "I am sending")
                return _Gap("\n\n", "paragraph-break", 0.6)
            if (self.spaced and not self._sent_end(a) and fb != "l" and not self._short(a)
                    and not self._alone(a)
                    and not self._allcaps(a) and not self._standalone(b)
                    and not (self._starts_joiner(b) and not self._ends_joiner(a))):
                return _Gap("\n", join_rule, 0.9 if self._ends_joiner(a) else 0.8)
            return _BLANK_RUN if nb >= 2 or bl else _PARAGRAPH
        # adjacent lines: the same paragraph unless a short line stands on its own, or the
        # text indents its paragraphs and b is indented
        if b in self.indented and not self._word_cont(a) and not self._hyphen(a):
            return _Gap("\n\n", "indent-paragraph-break", 0.9)
        if self._word_cont(a) or self._hyphen(a) or fb == "l":
            return _LINE
        if fb == "U" and self._short(a) and (self._sent_end(a) or self._soft_end(a)):
            return _SHORT_85
        if fb == "U" and self._capwords(a):
            return _SHORT_75
        if fb == "U" and (a == 0 or self.blank[a - 1]) and self._short(a) and not self._short(b) \
                and not self._sent_end(a) and not self._soft_end(a) and not self._ends_joiner(a):
            return _SHORT_75   # a heading, then full lines
        if (self._sent_end(a) or self._soft_end(a) or self._capwords(a)) and self._capwords(b) \
                and any(c.isalpha() for c in self.strip[b]) \
                and not re.search(r"[.!?][\"'\u201d]?$", self.strip[b]):
            nxt = b + 1
            if nxt >= self.n or self.blank[nxt] or nxt in self.block_at:
                return _SHORT_80
        if self._sent_end(a) and self._short(b) and not self._sent_end(b) \
                and not self._soft_end(b) and not self._word_cont(b) and not self._hyphen(b) \
                and not self._ends_joiner(b) and fb == "U":
            nxt = b + 1
            while nxt < self.n and self.blank[nxt]:
                nxt += 1
            if nxt < self.n and self._first(nxt) == "U":
                return _SHORT_75   # a heading
        return _LINE

    def _alone(self, a: int) -> bool:
        """A one-line heading between blank lines."""
        return (a == 0 or self.blank[a - 1]) and len(self.strip[a]) < 0.9 * self.width[a] \
            and not self._ends_joiner(a)

    def _standalone(self, b: int) -> bool:
        """A short line that is its own paragraph: salutation, heading in capitals."""
        if not self._short(b, "very_short_ratio"):
            return False
        s = self.strip[b]
        return s.endswith(":") or s.endswith(",") or self._allcaps(b)
