"""Writing the decisions as edits: removed heads and numbers, the gaps between content lines,
moved notes, and the text's start and end."""
from __future__ import annotations

import bisect

from ...ledger import Edit
from .patterns import _Block, _Gap


class _Edits:
    """Writing the blocks and gaps as edits of the text."""

    # -- edits ----------------------------------------------------------------------------------
    def _edits(self, text: str, starts: list[int], content: list[int], gaps: dict[int, _Gap],
               blocks: list[_Block]) -> list[Edit]:
        """The edits for the decided gaps (see _decide: a gap not in ``gaps`` needs none,
        nor does a paragraph break that one empty line makes already),
        the removed blocks, the leading spaces and the end of the text."""
        lines, blank = self.lines, self.blank
        edits: list[Edit] = []

        def line_span(k: int) -> tuple[int, int]:
            """Line k with its newline."""
            return starts[k], min(len(text), starts[k] + len(lines[k]) + 1)

        # before the first content line
        c0 = content[0]
        if starts[c0] > 0:
            self._gap_edits(edits, text, starts, -1, c0, _Gap("", "blank-run"))
        # leading spaces of content lines (the page starts that are not removed)
        for i in self.lead_lines:
            if i not in self.block_at:
                ln = lines[i]
                edits.append(Edit(starts[i], starts[i] + len(ln) - len(ln.lstrip()), "",
                                  "page-start-space", 1.0))
        for i in self.indent_lines:      # a paragraph's indentation: the break says it now
            if i not in self.block_at:
                ln = lines[i]
                edits.append(Edit(starts[i], starts[i] + len(ln) - len(ln.lstrip()), "",
                                  "paragraph-indent", 1.0))
        # between content lines
        block_at = self.block_at
        for x in sorted(gaps):
            a, b = content[x], content[x + 1]
            sep = gaps[x].sep
            if b - a == 1:
                if sep == "\n":   # nothing between, nothing to add
                    continue
            elif b - a == 2 and sep == "\n\n" and not lines[a + 1] and a + 1 not in block_at:
                continue           # already a paragraph break: one empty line between
            self._gap_edits(edits, text, starts, a, b, gaps[x])
        last = content[-1]
        end_last = starts[last] + len(lines[last])
        # moved notes go to the end of their paragraph: the last line before a break
        inserts: dict[int, list[_Block]] = {}
        para_ends = sorted(x for x, g in gaps.items() if g.sep == "\n\n")
        para_ends.append(len(content) - 1)
        continued: dict[int, list[_Block]] = {}
        for b in blocks:
            if b.moved and b.follows is not None and b.follows.moved:
                root = b.follows
                while root.follows is not None and root.follows.moved:
                    root = root.follows
                continued.setdefault(id(root), []).append(b)
        for b in blocks:
            if not b.moved or (b.follows is not None and b.follows.moved):
                continue
            k = bisect.bisect_right(content, b.last)
            target = last
            if k < len(content):
                target = content[para_ends[bisect.bisect_left(para_ends, k)]]
            inserts.setdefault(target, []).append(b)
        for target, bs in inserts.items():
            pos = starts[target] + len(lines[target])
            after = "".join("\n\n" + b.note + "".join("\n" + c.note for c in continued.get(id(b), ()))
                            for b in bs)
            bs = bs + [c for b in bs for c in continued.get(id(b), ())]
            edits.append(Edit(pos, pos, after, bs[0].rule, min(b.confidence for b in bs),
                              note="moved here from raw line(s) "
                                   + ", ".join(f"{b.first + 1}-{b.last + 1}" for b in bs)))
        self._tail(edits, text, starts, last, end_last)
        return edits

    def _block_edit(self, edits: list[Edit], text: str, s: int, e: int, b: _Block) -> None:
        note = b.note
        if b.moved:
            note = "moved to the end of the paragraph"
        edits.append(Edit(s, e, "", b.rule, b.confidence, b.status, note=note))

    def _gap_edits(self, edits: list[Edit], text: str, starts: list[int], a: int, b: int,
                   gap: _Gap) -> None:
        """Edits turning the lines between content lines a and b into gap.sep.

        a == -1: the start of the text (nothing may stay).  The newline that ends line a is
        kept; each removed block is one edit (with a blank line next to it, so that a queued
        block keeps blank lines around it); the other blank lines are deleted but for the one
        a paragraph break needs (inserted when there is none)."""
        lines, blank = self.lines, self.blank
        first = a + 1
        units = list(range(first, b))
        need = 1 if gap.sep == "\n\n" else 0
        reserve = None
        if need:
            for k in units:
                if blank[k]:
                    reserve = k
                    break
        absorbed: set[int] = set()
        block_spans: list[tuple[int, int, _Block]] = []
        insert_at = None
        k = first
        while k < b:
            if k not in self.block_at:
                k += 1
                continue
            blk = self.block_at[k]
            f, l = k, min(blk.last, b - 1)
            lo, hi = f, l
            after = l + 1 < b and blank[l + 1] and l + 1 != reserve
            before = f - 1 > a and blank[f - 1] and f - 1 not in absorbed
            if not need:
                # queued, the block stands between blank lines: take one on each side
                if after:
                    hi = l + 1
                if before:
                    lo = f - 1
            elif after:
                hi = l + 1
            elif before and f - 1 != reserve:
                lo = f - 1
            elif before:
                # the only blank line is before the block: the block takes it and the
                # paragraph break is made after the block instead
                lo = f - 1
                reserve = None
                insert_at = starts[l + 1]
            absorbed.update(range(lo, hi + 1))
            block_spans.append((lo, hi, blk))
            k = l + 1
        # blank lines to delete: contiguous runs outside blocks and the reserve
        dele: list[int] = [k for k in units if blank[k] and k not in absorbed and k != reserve]
        runs: list[list[int]] = []
        for k in dele:
            if runs and runs[-1][-1] == k - 1:
                runs[-1].append(k)
            else:
                runs.append([k])
        rule = gap.rule
        if rule in ("line", "paragraph-break", "running-head", "page-number", "footnote-move",
                    "caption-move"):
            rule = "blank-run"
        if a < 0:
            rule = "leading-blank"
        for r in runs:
            s = starts[r[0]]
            e = starts[r[-1]] + len(lines[r[-1]]) + 1
            edits.append(Edit(s, e, "", rule, gap.confidence))
        for lo, hi, blk in block_spans:
            s = starts[lo]
            e = starts[hi] + len(lines[hi]) + 1
            self._block_edit(edits, text, s, e, blk)
        if reserve is not None and lines[reserve]:   # a blank line made of spaces
            edits.append(Edit(starts[reserve], starts[reserve] + len(lines[reserve]), "",
                              "blank-run"))
        if need and reserve is None:
            pos = starts[b] if insert_at is None else insert_at
            edits.append(Edit(pos, pos, "\n", gap.rule, gap.confidence))

    def _tail(self, edits: list[Edit], text: str, starts: list[int], last: int,
              end_last: int) -> None:
        """After the last content line: exactly one newline.  Each following line is taken
        with the newline before it: removed blocks as their own edits, blank lines deleted,
        the newline of the text's final empty line kept (or one added)."""
        lines = self.lines
        k = last + 1
        run_start = None
        while k < self.n:
            final_empty = k == self.n - 1 and lines[k] == ""
            if final_empty:
                break
            blk = self.block_at.get(k)
            if blk is not None:
                s0 = starts[k] - 1
                if run_start is not None:
                    # the block takes the blank line before it: queued, it stays a paragraph
                    s0 = starts[k - 1] - 1
                    if s0 > run_start:
                        edits.append(Edit(run_start, s0, "", "trailing-blank"))
                    run_start = None
                self._block_edit(edits, text, s0, starts[blk.last] + len(lines[blk.last]), blk)
                k = blk.last + 1
                continue
            if run_start is None:
                run_start = starts[k] - 1
            k += 1
        end = starts[self.n - 1] - 1 if lines[-1] == "" and self.n - 1 > last else len(text)
        if run_start is not None and end > run_start:
            edits.append(Edit(run_start, end, "", "trailing-blank"))
        if not (lines[-1] == "" and self.n - 1 > last):
            for e in edits:
                if e.start == e.end == len(text):   # a note moved to the very end
                    e.after += "\n"
                    break
            else:
                edits.append(Edit(len(text), len(text), "\n", "final-newline"))

    def _clear(self, edits: list[Edit], text: str, starts: list[int], first: int, pos: int,
               rule: str) -> None:
        """Delete everything from offset ``pos`` (the start of line ``first``) to the end of
        the text: removed blocks as their own edits, the rest as layout."""
        k = first
        while k < self.n and pos < len(text):
            blk = self.block_at.get(k)
            e = min(len(text), starts[k] + len(self.lines[k]) + 1)
            if blk is not None:
                e = min(len(text), starts[blk.last] + len(self.lines[blk.last]) + 1)
                self._block_edit(edits, text, starts[k], e, blk)
                k = blk.last + 1
            else:
                j = k
                while j + 1 < self.n and (j + 1) not in self.block_at:
                    j += 1
                e = min(len(text), starts[j] + len(self.lines[j]) + 1)
                if e > starts[k]:
                    edits.append(Edit(starts[k], e, "", rule))
                k = j + 1
