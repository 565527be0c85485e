"""The document being cleaned: the raw text, the current text and the ledger of edits.

Stages never change ``Document.text`` themselves: they propose :class:`Edit` objects
against the current text and hand them to :meth:`Document.apply`, which records them
in the ledger (with the raw line and column they come from), applies the ones whose
status puts them in the output and leaves queued ones as the raw reading.

The model imports nothing of ours but the ledger: what a word is belongs to the lexicon.
The book's vocabulary is counted by the function a stage hands to :meth:`Document.vocab`
(``lexicon.BookVocab.from_text``) and revised by the vocabulary itself after each batch.
"""
from __future__ import annotations

import bisect
import operator
import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Iterable, Protocol, Sequence

from .ledger import APPLIED, IN_OUTPUT, Edit, Ledger
from .ledger_batch import Batch, PlainEdits, in_order
from .offset_map import Stretch, new_text, raw_spans, row_runner, stretches

_NEWLINE = re.compile("\n")
CONTEXT = 80  # characters of context kept either side of a queued edit
LINE_CONTEXT = 300  # at most this much of the output line either side of an item for review
_BY_POSITION = operator.attrgetter("start", "end")
_intern = sys.intern
_PIECES = 4096    # the pieces of a batch's new text joined in chunks of this many (offset_map's too)


class Vocabulary(Protocol):
    """What the document needs of a vocabulary (``lexicon.BookVocab``): to be revised when
    a batch of edits changes ``old`` into ``new``."""

    def revise_edits(self, old: str, new: str, spans: list[tuple[int, int, int]]) -> None: ...

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
    # the scan's habits (an ocr_clean.profile.ScanProfile, measured by the pipeline before
    # the stages run; held here as an opaque object: this module imports nothing of ours)
    profile: Any = None
    # the words of the collection the text belongs to (a lexicon.BookVocab counted once over
    # all the texts of a clean_texts call, set by the pipeline; None for a text on its own)
    collection: Any = None
    # Offset map from the current text to the raw text: segment starts in the current
    # text, with the raw span each segment comes from.  Copied segments have equal
    # lengths; a segment made by an edit maps wholly onto the raw span it replaced.
    _cur: Sequence[int] = field(default_factory=list, repr=False)
    _raw0: Sequence[int] = field(default_factory=list, repr=False)
    _raw1: Sequence[int] = field(default_factory=list, repr=False)
    _copied: Sequence[int] = field(default_factory=bytearray, repr=False)
    _line_starts: Sequence[int] = field(default_factory=list, repr=False)
    _vocab: Any = field(default=None, repr=False)
    _count: Callable[[str], Any] | None = field(default=None, repr=False)
    # When a batch makes more than one edit in this many characters, the vocabulary is counted
    # again when next asked for rather than revised edit by edit.
    recount_share: ClassVar[int] = 400
    # Plain edits (line joins and the like: applied, sure, nothing recorded but where) are
    # kept packed in the ledger's batches; false: every edit kept as an object (tests compare).
    pack_plain: ClassVar[bool] = True
    # The packed rows of a batch's one PlainEdits applied by stretches between its other edits
    # (offset_map.row_runner); false: one by one, as the rows of several (tests compare).
    by_stretches: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if not self.text:
            self.text = self.raw
        self._cur, self._raw0, self._raw1, self._copied = [0], [0], [len(self.raw)], bytearray(b"\x01")
        # (machine integers: a text of 100,000 short lines has 100,000 of them)
        self._line_starts = array("q", [0] + [m.end() for m in _NEWLINE.finditer(self.raw)])

    @classmethod
    def rebuild(cls, raw: str, ledger: Ledger, name: str = "") -> "Document":
        """The document of a recorded run: the ledger's batches applied again, as they ran."""
        doc = cls(raw=raw, name=name)
        for stage, batch in zip(ledger.stages, ledger.batches):
            doc.apply(stage, [Edit(e.start, e.end, e.planned_after, e.rule, e.confidence,
                                   e.run_status or e.status, e.candidates, e.note,
                                   evidence=e.evidence) for e in batch])
        return doc

    # -- the book's words ------------------------------------------------------------------
    def vocab(self, count: Callable[[str], Vocabulary] | None = None) -> Any:
        """The words of the current text, counted by ``count`` (``lexicon.BookVocab.from_text``;
        by default the function given before).  Counted once, when first asked for, then
        revised by :meth:`apply` (``revise_edits``) from the words around each edit, so the
        stages that weigh the book's own words do not each count the whole book again."""
        if count is not None:
            self._count = count
        if self._vocab is None:
            if self._count is None:
                raise ValueError("Document.vocab: no function to count the words was given")
            self._vocab = self._count(self.text)
        return self._vocab

    def forget_counts(self) -> None:
        """Forget the words of the text counted for :meth:`vocab` (counted again if asked): a
        document sent from one process to another travels without them."""
        self._vocab = None

    def _revise_vocab(self, old: str, new: str, spans: list[tuple[int, int, int]]) -> None:
        """Have the vocabulary follow the change of ``old`` into ``new`` by the edits ``spans``
        (start, end, length of the new text; in ``old``, in order), or, when the batch made
        many edits for the text's length, drop it to be counted again when next asked for."""
        if self._vocab is None:
            return
        if len(spans) * self.recount_share > len(old):
            self._vocab = None
            return
        self._vocab.revise_edits(old, new, spans)

    # -- positions ------------------------------------------------------------------------
    def raw_offset(self, pos: int) -> int:
        """The raw offset that the current offset ``pos`` comes from."""
        cur = self._cur
        k = bisect_right(cur, pos) - 1
        if k < 0:
            return 0
        if self._copied[k]:
            r, cap = self._raw0[k] + (pos - cur[k]), self._raw1[k]
            return r if r < cap else cap
        return self._raw0[k]

    def offset_map(self) -> list[tuple[int, int, int, bool]]:
        """The map from the current text to the raw text, read-only: one ``(start, raw_start,
        raw_end, copied)`` a segment, in order; a segment runs to the next one's ``start`` (the
        last to the end of the text).  A copied segment is raw text, character for character;
        one made by an edit (``copied`` false) stands wholly for the raw span it replaced.
        Writers that put a cleaned text back into its source (``ocr_clean.formats``) read it."""
        return list(zip(self._cur, self._raw0, self._raw1, map(bool, self._copied)))

    def current_span(self, raw_start: int, raw_end: int) -> tuple[int, int]:
        """The span of the current text that the raw span ``raw_start:raw_end`` became (after
        every batch so far): the part of a copied segment that is that raw text, the whole of a
        segment an edit made from raw text inside or touching it.  A raw span the edits took
        out gives the empty span where it was.

        >>> d = Document("the  cat sat")
        >>> _ = d.apply("t", [Edit(3, 5, " ", "double-space"), Edit(9, 12, "sits", "w")])
        >>> d.text, d.current_span(5, 8), d.current_span(9, 12)
        ('the cat sits', (4, 7), (8, 12))
        """
        cur, raw0, raw1, copied = self._cur, self._raw0, self._raw1, self._copied
        n = len(cur)
        # raw spans follow each other in text order: start at the first segment that can reach
        k = max(0, bisect_left(raw1, raw_start) - 1)
        start = end = -1
        while k < n and raw0[k] <= raw_end:
            r0, r1 = raw0[k], raw1[k]
            seg_end = cur[k + 1] if k + 1 < n else len(self.text)
            if copied[k]:
                a, b = max(r0, raw_start), min(r1, raw_end)
                hit = a < b or (raw_start == raw_end and r0 <= raw_start <= r1)
                s, e = cur[k] + (a - r0), cur[k] + (b - r0)
                if raw_start == raw_end:
                    s = e = cur[k] + (raw_start - r0)
            else:
                hit = (r0 < raw_end and r1 > raw_start) or (r0 == r1 and raw_start <= r0 < raw_end) \
                    or (raw_start == raw_end and r0 <= raw_start <= r1)
                s, e = cur[k], seg_end
            if hit and (s < e or start < 0):
                start = s if start < 0 or s < start else start
                end = e if e > end else end
            k += 1
        if start < 0:               # taken out: where it was (the raw offset just before)
            p = self._current_offset(raw_start)
            return p, p
        return start, max(start, end)

    def final_context(self, e: Edit, around: int = LINE_CONTEXT) -> str:
        """The line of the current text (after every batch so far: at the end of a run, the
        output) that edit ``e`` lies in, at most ``around`` characters either side, with the
        edit's place marked ``⟨reading→suggestion⟩``: the raw reading and the suggestion when
        the text there has one of them, else what the text has there (for an edit in the
        text: as ``→``'s right side).  What a person reviewing ``e`` reads the line as.

        >>> d = Document("the lnost  decisive")
        >>> q = d.apply("c", [Edit(4, 9, "most", "glyph", 0.5, "queued")])[0]
        >>> _ = d.apply("p", [Edit(9, 11, " ", "double-space")])
        >>> d.final_context(q)
        'the ⟨lnost→most⟩ decisive'
        """
        s, t = self.current_span(e.raw_start, e.raw_end)
        text = self.text
        mid, was, now = text[s:t], e.before, e.after
        in_text = e.status in IN_OUTPUT
        want = now if in_text else was
        if mid != want and want and mid.count(want) == 1 and t - s > len(want):
            # a later edit made one segment of this one and its neighbours (a word joined
            # at a line end): the edit's own text inside it
            s += mid.index(want)
            t = s + len(want)
            mid = want
        if mid != want:
            if in_text:
                now = mid
            else:
                was = mid
        a = text.rfind("\n", 0, s) + 1
        b = text.find("\n", t)
        a = max(a, s - around)
        b = min(len(text) if b < 0 else b, t + around)
        return text[a:s] + "\u27e8" + was + "\u2192" + now + "\u27e9" + text[t:b]

    def _current_offset(self, raw_offset: int) -> int:
        """The current offset at which the raw offset ``raw_offset`` is (or was)."""
        k = bisect_right(self._raw0, raw_offset) - 1
        if k < 0:
            return 0
        if self._copied[k]:
            return self._cur[k] + min(raw_offset - self._raw0[k], self._raw1[k] - self._raw0[k])
        return self._cur[k + 1] if k + 1 < len(self._cur) else len(self.text)

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
    def apply(self, stage: str, edits: Iterable[Edit | PlainEdits]) -> Batch:
        """Record a stage's edits in the ledger and apply those that belong in the output.

        Edits are positioned in the current text and must not overlap.  Returns the
        recorded edits (sorted by position): the batch the ledger keeps, its plain edits
        packed (:mod:`ocr_clean.ledger_batch`; ``pack_plain`` false: every edit an object).
        Many plain edits of one kind may come as one :class:`PlainEdits`.
        """
        edits, plain = _edits_and_plain(edits)
        text = self.text
        n = len(text)
        _check_positions(stage, in_order(edits, plain) if plain else edits, n, plain)
        batch = len(self.ledger.batches)
        parts, new_map, copy_span, put, size = new_text(text, self._cur, self._raw0, self._raw1, self._copied)
        kept = Batch(stage, batch, self.name)
        pack = self.pack_plain and self.decide is None
        take, line_starts = kept.take, self._line_starts
        # the edits made, for the vocabulary: only when it is counted and would be revised
        # (a batch of many edits for the text's length has it counted again instead)
        spans: list[tuple[int, int, int]] | None = (
            [] if self._vocab is not None and len(edits) * self.recount_share <= n else None)
        raw_span = raw_spans(self._cur, self._raw0, self._raw1, self._copied, n)
        row = self._row_applier(text, kept, raw_span, copy_span, put, spans, pack)
        source = in_order(edits, plain) if plain else edits
        if pack and len(plain) == 1 and self.by_stretches:     # (100,000 line joins)
            source = stretches(edits, plain[0])
            run = row_runner(text, plain[0], (self._cur, self._raw0, self._copied), new_map, parts,
                             size, kept, line_starts, spans, row)
        made = 0
        chunks: list[str] = []      # the new text so far, joined every few thousand pieces
        pos = 0
        for e in source:
            if len(parts) > _PIECES:    # (100,000 line joins: 200,000 short pieces at once)
                chunks.append("".join(parts))
                parts.clear()
            if type(e) is Stretch:
                pos, k = run(e, pos)
                made += k
                continue
            if type(e) is tuple:         # a row of a PlainEdits: (start, end, which)
                start, end, k = e
                pos, k = row(start, end, plain[k].rule, plain[k].after, text[start:end], pos)
                made += k
                continue
            start, end, after = e.start, e.end, e.after
            before = text[start:end]
            if end - start < 4:          # a line break, a space: one shared string, not one an edit
                before = _intern(before)
            e.before = before
            if before == after and e.status == APPLIED:
                continue
            r_start, r_end = raw_span(start, end)
            ln = bisect_right(line_starts, r_start) - 1
            line, col = ln + 1, r_start - line_starts[ln] + 1
            # a plain edit (a line join...) is packed as a row of numbers, unless asked about
            if not pack or not take(e, start, end, r_start, r_end, line, col):
                after = self._record(e, kept, batch, r_start, r_end, line, col, text, self.pack_plain)
                if after is None:
                    continue
            made += 1
            if spans is not None:
                spans.append((start, end, len(after)))
            if start > pos:
                copy_span(pos, start)
            put(after, r_start, r_end)
            pos = end
        if n > pos:
            copy_span(pos, n)
        self.ledger.add_batch(stage, kept)
        chunks.append("".join(parts))
        self.text = "".join(chunks) if len(chunks) > 1 else chunks[0]
        del chunks, parts
        if made and self._vocab is not None:
            self._follow_batch(text, kept, made, spans)
        if not new_map[0]:                         # an empty text: one segment at the raw end
            new_map = [0], [len(self.raw)], [len(self.raw)], bytearray(1)
        self._cur, self._raw0, self._raw1, self._copied = new_map
        return kept

    def _row_applier(self, text: str, kept: Batch, raw_span, copy_span, put, spans: list | None,
                     pack: bool):
        """``row(start, end, rule, after, before, pos) -> (pos, made)``: apply one plain edit of
        a batch (a row of its PlainEdits, ``before`` its text) after the edit that ended at
        ``pos``: kept as a packed row of ``kept`` (``pack``) or recorded as an Edit."""
        line_starts, batch = self._line_starts, len(self.ledger.batches)
        take_row, record, as_edits = kept.take_row, self._record, self.pack_plain

        def row(start: int, end: int, rule: str, after: str, before: str, pos: int) -> tuple[int, int]:
            if before == after:
                return pos, 0
            if end - start < 4:          # a line break, a space: one shared string, not one an edit
                before = _intern(before)
            r_start, r_end = raw_span(start, end)
            ln = bisect_right(line_starts, r_start) - 1
            line, col = ln + 1, r_start - line_starts[ln] + 1
            if not pack or not take_row(rule, before, after, start, end, r_start, r_end, line, col):
                after = record(Edit(start, end, after, rule, before=before), kept, batch, r_start, r_end,
                               line, col, text, as_edits)
                if after is None:
                    return pos, 0
            if spans is not None:
                spans.append((start, end, len(after)))
            if start > pos:
                copy_span(pos, start)
            put(after, r_start, r_end)
            return end, 1

        return row

    def _follow_batch(self, old: str, kept: Batch, made: int, spans: list | None) -> None:
        """Have the vocabulary follow a batch that made ``made`` edits (``spans``: theirs, when
        collected), or drop it to be counted again when asked (many edits for the length)."""
        if spans is None and made * self.recount_share <= len(old):
            spans = kept.edit_spans()
        if spans is None:
            self._vocab = None
        else:
            self._revise_vocab(old, self.text, spans)

    def _record(self, e: Edit, kept: Batch, batch: int, r_start: int, r_end: int, line: int,
                col: int, text: str, pack: bool) -> str | None:
        """Fill in the fields of ``e`` the ledger keeps (after asking the decider) and keep it
        in ``kept`` (packed, when plain and the decider had no word on it); returns the text
        it puts in the output, None when it is not in the output."""
        e.stage, e.batch = kept.stage, batch
        e.raw_start, e.raw_end = r_start, r_end
        e.raw_line, e.raw_col = line, col
        e.id = e.make_id(self.name)
        before, after = e.before, e.after
        if self.decide is not None:
            decided = self.decide(e)
            if decided is not None:
                e.status, e.after = decided
                before, after = e.before, e.after
            elif pack and kept.take(e, e.start, e.end, r_start, r_end, line, col):
                return after
        status = e.status
        if status not in IN_OUTPUT or e.confidence < 1.0:
            start, end = e.start, e.end
            lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
            e.context = text[lo:start] + "\u27e8" + before + "\u2192" + after + "\u27e9" + text[end:hi]
        e.run_status, e.run_after = status, after
        kept.add(e)
        return after if status in IN_OUTPUT else None


def _edits_and_plain(proposed: Iterable[Edit | PlainEdits]) -> tuple[list[Edit], list[PlainEdits]]:
    """A batch's edits, sorted by position, and its PlainEdits."""
    edits = list(proposed)
    plain = [p for p in edits if type(p) is PlainEdits]
    if plain:
        edits = [e for e in edits if type(e) is not PlainEdits]
    edits.sort(key=_BY_POSITION)
    return edits, plain


def _check_positions(stage: str, edits: Iterable, n: int, plain: list[PlainEdits] = ()) -> None:
    """Edits of one batch (sorted by position; a row of ``plain`` as (start, end, which))
    lie inside the text of ``n`` characters and do not overlap (two insertions at one place
    overlap too), else :class:`EditConflict`."""
    prev_end = -1
    prev_point = None
    for e in edits:
        start, end = (e[0], e[1]) if type(e) is tuple else (e.start, e.end)
        if start < 0 or end > n or start > end:
            rule = plain[e[2]].rule if type(e) is tuple else e.rule
            raise EditConflict(f"{stage}:{rule} edit {start}:{end} outside text of {n}")
        if start < prev_end or (start == end and prev_point == start):
            rule = plain[e[2]].rule if type(e) is tuple else e.rule
            raise EditConflict(f"{stage}:{rule} edit at {start} overlaps the previous one")
        prev_end = end
        prev_point = start if start == end else None
