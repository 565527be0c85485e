"""Page-foot notes and captions: where a note cut a sentence at a page end."""
from __future__ import annotations


from ...ledger import APPLIED
from .patterns import _Block, _SENT_END


class _FootNotes:
    """Finding the page-foot notes and captions that cut a sentence."""

    # -- page-foot notes and captions -------------------------------------------------------
    def _prev_content(self, i: int, taken: set[int]) -> int:
        k = i - 1
        while k >= 0 and (self.blank[k] or k in taken):
            k -= 1
        return k

    def _continues(self, a: int, b: int) -> bool:
        """The sentence of line a goes on at line b."""
        if self._word_cont(a) or self._hyphen(a):
            return True
        if self._sent_end(a):
            return False
        return self._first(b) == "l" or self._ends_joiner(a)

    def _notes(self, taken: set[int]) -> list[_Block]:
        n, strip, blank, lead = self.n, self.strip, self.blank, self.lead
        note_re = self.t.note
        out = []
        done = 0   # the lines before this one are in a note found already
        for i in self.after_blank:   # a note starts after a blank line
            if i < done or lead[i] or i in taken:
                continue
            marker = bool(note_re and note_re.match(strip[i]))
            # without a marker, a note is told by its longer lines (all but its last), a
            # caption by the blank lines before it: most lines are neither, seen at once
            wide = self.config["note_width_ratio"] * self.width[i]
            if not marker and len(strip[i]) < wide and not (i >= 2 and blank[i - 2]):
                continue
            # the block runs to the next page-start line (a note ends its page)
            # (or the running head that survived at the top of the next page)
            j, blanks_in_a_row, p = i, 0, -1
            while j < n and j - i <= 20:
                if lead[j]:
                    p = j
                    break
                if j in taken or blanks_in_a_row >= 2:
                    while j < n and blank[j]:
                        j += 1
                    if j < n and j in taken:
                        while j < n and (blank[j] or j in taken):
                            j += 1
                        p = j if j < n else -1
                    break
                blanks_in_a_row = blanks_in_a_row + 1 if blank[j] else 0
                j += 1
            if p < 0:
                continue
            last = p - 1
            while last >= i and (blank[last] or last in taken):
                last -= 1
            body = [k for k in range(i, last + 1) if not blank[k]]
            if not body:
                continue
            long_lines = len(body) >= 2 and all(len(strip[k]) >= wide for k in body[:-1])
            k0 = i - 1
            nblank = 0
            while k0 >= 0 and blank[k0]:
                nblank += 1
                k0 -= 1
            caption = len(body) == 1 and nblank >= 2 and not marker
            if not (marker or long_lines or caption):
                continue
            a = self._prev_content(i, taken)
            interrupts = a >= 0 and self._continues(a, p)
            if caption and not interrupts:
                continue
            text = "\n".join(self.lines[k].lstrip() for k in body)
            # a note continued from the previous page joins that note
            prev_note = next((b for b in reversed(out) if b.kind in ("note", "note-kept")), None)
            follows = None
            if prev_note is not None and not marker and not caption and i - prev_note.last < 80:
                tail = prev_note.note.rsplit("\n", 1)[-1].rstrip()
                if tail.endswith("-") or (not _SENT_END.search(tail) and self._first(i) == "l"):
                    follows = prev_note
            if interrupts or follows is not None:
                kind = "caption" if caption else "note"
                rule = "caption-move" if caption else "footnote-move"
                conf = 0.75 if caption else (0.9 if marker else 0.8)
                if follows is not None and follows.kind == "note-kept":
                    follows = None      # the first part stays where it is: so does this one
                    kind, rule = "note-kept", "footnote-break"
                blk = _Block(i, last, kind, rule, conf, APPLIED, note=text,
                             moved=kind != "note-kept", marker=marker, follows=follows)
            else:
                blk = _Block(i, last, "note-kept", "footnote-break", 0.9, APPLIED, note=text,
                             marker=marker)
            out.append(blk)
            taken.update(range(i, last + 1))
            done = last + 1
        return out
