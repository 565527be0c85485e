"""The document being cleaned: the raw text, the current text and the ledger of edits.

Stages never change ``Document.text`` themselves: they propose :class:`Edit` objects
against the current text and hand them to :meth:`Document.apply`, which records them
in the ledger (with the raw line and column they come from), applies the ones whose
status puts them in the output and leaves queued ones as the raw reading.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .ledger import APPLIED, IN_OUTPUT, Edit, Ledger

_NEWLINE = re.compile("\n")
CONTEXT = 80  # characters of context kept either side of a queued edit

# A hook the pipeline may set: given an edit (id, before, after filled in), return the
# status and text a person already decided for it, or None.
Decider = Callable[[Edit], "tuple[str, str] | None"]


class EditConflict(ValueError):
    """Two edits of one batch overlap, or an edit lies outside the text."""


@dataclass
class Document:
    raw: str
    name: str = ""
    text: str = ""
    ledger: Ledger = field(default_factory=Ledger)
    decide: Decider | None = None
    # Offset map from the current text to the raw text: segment starts in the current
    # text, with the raw span each segment comes from.  Copied segments have equal
    # lengths; a segment made by an edit maps wholly onto the raw span it replaced.
    _cur: list[int] = field(default_factory=list, repr=False)
    _raw0: list[int] = field(default_factory=list, repr=False)
    _raw1: list[int] = field(default_factory=list, repr=False)
    _copied: list[bool] = field(default_factory=list, repr=False)
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.text:
            self.text = self.raw
        self._cur, self._raw0, self._raw1, self._copied = [0], [0], [len(self.raw)], [True]
        self._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self.raw)]

    @classmethod
    def rebuild(cls, raw: str, ledger: Ledger, name: str = "") -> "Document":
        """The document of a recorded run: the ledger's batches applied again, as they ran."""
        doc = cls(raw=raw, name=name)
        for stage, batch in zip(ledger.stages, ledger.batches):
            doc.apply(stage, [Edit(e.start, e.end, e.planned_after, e.rule, e.confidence,
                                   e.run_status or e.status) for e in batch])
        return doc

    # -- positions ------------------------------------------------------------------------
    def raw_offset(self, pos: int) -> int:
        """The raw offset that the current offset ``pos`` comes from."""
        k = bisect.bisect_right(self._cur, pos) - 1
        if k < 0:
            return 0
        if self._copied[k]:
            return min(self._raw0[k] + (pos - self._cur[k]), self._raw1[k])
        return self._raw0[k]

    def raw_line_col(self, raw_offset: int) -> tuple[int, int]:
        """1-based line and column of a raw offset."""
        ln = bisect.bisect_right(self._line_starts, raw_offset) - 1
        return ln + 1, raw_offset - self._line_starts[ln] + 1

    def raw_lines_of(self, start: int, end: int) -> tuple[int, int]:
        """The raw lines (1-based, inclusive) that the current span ``start:end`` comes from."""
        a = self.raw_line_col(self.raw_offset(start))[0]
        b = self.raw_line_col(max(self.raw_offset(max(end - 1, start)), self.raw_offset(start)))[0]
        return a, max(a, b)

    # -- editing --------------------------------------------------------------------------
    def apply(self, stage: str, edits: Iterable[Edit]) -> list[Edit]:
        """Record a stage's edits in the ledger and apply those that belong in the output.

        Edits are positioned in the current text and must not overlap.  Returns the
        recorded edits (sorted by position).
        """
        edits = sorted(edits, key=lambda e: (e.start, e.end))
        text = self.text
        prev_end = -1
        prev_point = None
        for e in edits:
            if e.start < 0 or e.end > len(text) or e.start > e.end:
                raise EditConflict(f"{stage}:{e.rule} edit {e.start}:{e.end} outside text of {len(text)}")
            if e.start < prev_end or (e.start == e.end and prev_point == e.start):
                raise EditConflict(f"{stage}:{e.rule} edit at {e.start} overlaps the previous one")
            prev_end = e.end
            prev_point = e.start if e.start == e.end else None
        batch = len(self.ledger.batches)
        parts: list[str] = []
        cur, raw0, raw1, copied = [], [], [], []
        seg = 0
        nseg = len(self._cur)
        pos = 0
        out_len = 0

        def copy_span(a: int, b: int) -> None:
            """Carry the map of text[a:b] (unchanged) into the new text."""
            nonlocal seg, out_len
            if b <= a:
                return
            while seg + 1 < nseg and self._cur[seg + 1] <= a:
                seg += 1
            p = a
            while p < b:
                s_end = self._cur[seg + 1] if seg + 1 < nseg else len(text)
                q = min(b, s_end)
                if self._copied[seg]:
                    r0 = self._raw0[seg] + (p - self._cur[seg])
                    cur.append(out_len); raw0.append(r0); raw1.append(r0 + (q - p)); copied.append(True)
                else:
                    cur.append(out_len); raw0.append(self._raw0[seg]); raw1.append(self._raw1[seg]); copied.append(False)
                out_len += q - p
                p = q
                if p < b:
                    seg += 1
            parts.append(text[a:b])

        kept: list[Edit] = []
        for e in edits:
            e.before = text[e.start:e.end]
            if e.before == e.after and e.status == APPLIED:
                continue
            e.stage, e.batch = stage, batch
            e.raw_start = self.raw_offset(e.start)
            e.raw_end = max(e.raw_start, self.raw_offset(e.end) if e.end > e.start else e.raw_start)
            if e.end > e.start:   # the end of the last character, not the start of the next
                e.raw_end = max(e.raw_end, self.raw_offset(e.end - 1) + 1)
            e.raw_line, e.raw_col = self.raw_line_col(e.raw_start)
            e.id = e.make_id(self.name)
            if self.decide is not None:
                decided = self.decide(e)
                if decided is not None:
                    e.status, e.after = decided
            if e.status not in IN_OUTPUT or e.confidence < 1.0:
                lo, hi = max(0, e.start - CONTEXT), min(len(text), e.end + CONTEXT)
                e.context = text[lo:e.start] + "\u27e8" + e.before + "\u2192" + e.after + "\u27e9" + text[e.end:hi]
            e.run_status, e.run_after = e.status, e.after
            kept.append(e)
            if e.status in IN_OUTPUT:
                copy_span(pos, e.start)
                cur.append(out_len); raw0.append(e.raw_start); raw1.append(e.raw_end); copied.append(False)
                parts.append(e.after)
                out_len += len(e.after)
                pos = e.end
        copy_span(pos, len(text))
        if not cur:
            cur, raw0, raw1, copied = [0], [len(self.raw)], [len(self.raw)], [False]
        self.ledger.add_batch(stage, kept)
        self.text = "".join(parts)
        self._cur, self._raw0, self._raw1, self._copied = cur, raw0, raw1, copied
        return kept
