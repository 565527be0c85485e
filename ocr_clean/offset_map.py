"""The new text and offset map of a batch being applied, made left to right
(:meth:`ocr_clean.document.Document.apply`).

A map is a list of segments of the current text: its start, the raw span it comes from, and
whether it is raw text copied character for character (the raw span as long as the segment)
or made by an edit (standing wholly for the raw span it replaced).  Part of the model: it
imports nothing of ours but the packed batch.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from typing import Callable, Iterator, NamedTuple

from .ledger import Edit
from .ledger_batch import Batch, PlainEdits

_PIECES = 4096    # the pieces of a batch's new text joined in chunks of this many
def raw_spans(o_cur: list[int], o_raw0: list[int], o_raw1: list[int], o_copied: list[bool],
               n: int) -> Callable[[int, int], tuple[int, int]]:
    """``raw_span(start, end)`` of the edits of a batch, asked in the order of their positions,
    from the offset map before the batch: the old map is read in one left-to-right pass at
    ``k``, the segment of the last raw offset looked up; ``k_next`` is where the next segment
    starts (past the text after the last one).  The first segment starts at 0."""
    nseg = len(o_cur)
    past = n + 1
    k = 0
    k_next = o_cur[1] if nseg > 1 else past

    def raw_offset(p: int) -> int:
        """:meth:`~ocr_clean.document.Document.raw_offset` (``p`` never goes back)."""
        nonlocal k, k_next
        if p >= k_next:
            k = bisect_right(o_cur, p, k) - 1
            k_next = o_cur[k + 1] if k + 1 < nseg else past
        if o_copied[k]:
            r = o_raw0[k] + (p - o_cur[k])
            return r if r < o_raw1[k] else o_raw1[k]
        return o_raw0[k]

    def raw_span(start: int, end: int) -> tuple[int, int]:
        """The raw span of the edit ``start:end``: its first character's raw offset, and
        the end of its last one (not the start of the next)."""
        r_start = raw_offset(start)
        if end == start:
            return r_start, r_start
        if end < k_next:              # one segment (the usual case): no more lookups
            if not o_copied[k]:
                return r_start, r_start + 1
            shift, cap = o_raw0[k] - o_cur[k], o_raw1[k]
            r_last, r_end = end - 1 + shift, end + shift
            r_last = r_last if r_last < cap else cap
            r_end = r_end if r_end < cap else cap
        else:
            r_last, r_end = raw_offset(end - 1), raw_offset(end)
        r_last += 1
        if r_end < r_start:
            r_end = r_start
        return r_start, r_end if r_end >= r_last else r_last

    return raw_span


def new_text(text: str, o_cur: list[int], o_raw0: list[int], o_raw1: list[int], o_copied: list[bool]):
    """``(parts, (cur, raw0, raw1, copied), copy_span, put, size)``: the pieces of the new text
    and its map, filled by ``copy_span(a, b)`` (the text between edits, with its map) and
    ``put(after, r_start, r_end)`` (an edit's text, one segment standing for the raw span it
    replaced); ``size()`` / ``size(n)``: the length of the new text so far (for
    :func:`row_runner`, which fills them too).  The old map is read in one left-to-right pass
    at ``seg``, the segment of the text being copied (``seg_next``: the next one's start)."""
    parts: list[str] = []
    # offsets in arrays of machine integers: 100,000 short lines make 200,000 segments
    cur, raw0, raw1 = array("q"), array("q"), array("q")
    copied = bytearray()      # (whether each segment is copied: one byte each, not a list slot)
    n = len(text)
    nseg = len(o_cur)
    past = n + 1
    seg = out_len = 0
    seg_next = o_cur[1] if nseg > 1 else past
    cur_append, raw0_append, raw1_append = cur.append, raw0.append, raw1.append
    copied_append, parts_append = copied.append, parts.append

    def copy_span(a: int, b: int) -> None:
        """Carry the map of text[a:b] (unchanged, ``a < b``) into the new text: the
        segments at the two ends cut to the span, those wholly inside it shifted in bulk
        (a copied segment's raw span is as long as the segment itself, so only its start
        in the current text moves)."""
        nonlocal seg, seg_next, out_len
        if a >= seg_next:
            seg = bisect_right(o_cur, a, seg) - 1     # the segment holding ``a``
            seg_next = o_cur[seg + 1] if seg + 1 < nseg else past
        if b <= seg_next:
            # a:b inside one segment (most spans between two edits): one piece
            cur_append(out_len)
            if o_copied[seg]:
                r0 = o_raw0[seg] + (a - o_cur[seg])
                raw0_append(r0); raw1_append(r0 + (b - a)); copied_append(True)
            else:
                raw0_append(o_raw0[seg]); raw1_append(o_raw1[seg]); copied_append(False)
            out_len += b - a
            parts_append(text[a:b])
            return
        stop = bisect_left(o_cur, b, seg + 1)        # the segments seg..stop-1 meet a:b
        shift = out_len - a                          # current offset -> new offset
        p = a
        while p < b:
            q = o_cur[seg + 1] if seg + 1 < nseg else n
            if p == o_cur[seg] and q <= b and seg + 1 < stop - 1:
                # seg and those after it up to the last but one lie wholly inside a:b
                j = stop - 1
                # (shifted in C: ``map`` over the slice, no list of new ints in between)
                cur.extend(map(shift.__add__, o_cur[seg:j]) if shift else o_cur[seg:j])
                raw0.extend(o_raw0[seg:j]); raw1.extend(o_raw1[seg:j]); copied.extend(o_copied[seg:j])
                seg, p = j, o_cur[j]
                continue
            if q > b:
                q = b
            cur.append(p + shift)
            if o_copied[seg]:
                r0 = o_raw0[seg] + (p - o_cur[seg])
                raw0.append(r0); raw1.append(r0 + (q - p)); copied.append(True)
            else:
                raw0.append(o_raw0[seg]); raw1.append(o_raw1[seg]); copied.append(False)
            p = q
            if p < b:
                seg += 1
        out_len += b - a
        seg_next = o_cur[seg + 1] if seg + 1 < nseg else past
        parts.append(text[a:b])

    def put(after: str, r_start: int, r_end: int) -> None:
        nonlocal out_len
        cur_append(out_len); raw0_append(r_start); raw1_append(r_end); copied_append(False)
        parts_append(after)
        out_len += len(after)

    def size(value: int | None = None) -> int:
        nonlocal out_len
        if value is not None:
            out_len = value
        return out_len

    return parts, (cur, raw0, raw1, copied), copy_span, put, size


class Stretch(NamedTuple):
    """The rows ``first`` to ``stop - 1`` of a batch's PlainEdits, between two of its other edits."""

    first: int
    stop: int


def stretches(edits: list[Edit], plain: PlainEdits) -> Iterator[Edit | Stretch]:
    """The edits (sorted) and the rows of ``plain`` in order of position, as
    :func:`~ocr_clean.ledger_batch.in_order` gives them, the rows as the :class:`Stretch` of
    them between two edits."""
    S, T = plain.spans[0::2], plain.spans[1::2]
    m, i = len(S), 0
    for e in edits:
        stop = bisect_left(S, e.start, i)          # the rows before e: (start, end) < e's
        while stop < m and S[stop] == e.start and T[stop] < e.end:
            stop += 1
        if stop > i:
            yield Stretch(i, stop)
            i = stop
        yield e
    if i < m:
        yield Stretch(i, m)


def row_runner(text: str, plain: PlainEdits, old_map: tuple, new_map: tuple, parts: list[str],
               size: Callable, kept: Batch, line_starts, spans: list | None, slow: Callable):
    """``run(stretch, pos) -> (pos, made)``: apply the rows of ``stretch`` (the edit before them
    ended at ``pos``): each a piece of the new text and map, a packed row of ``kept`` and its
    span in ``spans``, as :meth:`~ocr_clean.document.Document.apply` makes them one by one.

    Fast: a row inside one copied segment of the old map, of a kind the batch has, after a
    piece of that segment (100,000 short lines: nine joins in ten) is applied here, in one
    loop, the new text's pieces joined by the stretch.  Any other row is handed to
    ``slow(start, end, rule, after, before, pos) -> (pos, made)``, the one-by-one way.  Segments and raw lines are looked up
    in one left-to-right pass, as the rows come in order."""
    o_cur, o_raw0, o_copied = old_map
    cur, raw0, raw1, copied = (x.append for x in new_map)
    S, T = plain.spans[0::2], plain.spans[1::2]
    after, rule, size_after = plain.after, plain.rule, len(plain.after)
    kind_of, put_row = kept.row_sink()
    kinds: dict[str, int] = {}
    nseg, nlines, past, raw_past = len(o_cur), len(line_starts), len(text) + 1, float("inf")
    g, g_start, g_next, shift, copied_g = 0, 0, -1, 0, False      # the segment of the last row
    ln, line_start, line_next = 0, 0, line_starts[1] if nlines > 1 else raw_past

    def run(stretch: Stretch, pos: int) -> tuple[int, int]:
        nonlocal g, g_start, g_next, shift, copied_g, ln, line_start, line_next
        out_len, made, bits = size(), 0, []
        for x in range(stretch.first, stretch.stop):
            s, t = S[x], T[x]
            before = text[s:t]
            if before == after:
                continue
            if s >= g_next:
                g = bisect_right(o_cur, s, g) - 1
                g_start, shift, copied_g = o_cur[g], o_raw0[g] - o_cur[g], o_copied[g]
                g_next = o_cur[g + 1] if g + 1 < nseg else past
            k = kinds.get(before)
            if k is None and kind_of is not None:
                k = kind_of((rule, before, after))
                if k is not None:
                    kinds[before] = k
            if k is None or not copied_g or t >= g_next or pos < g_start:
                parts.append("".join(bits)); bits.clear(); size(out_len)
                pos, one = slow(s, t, rule, after, before, pos)
                out_len = size()
                made += one
                continue
            r0 = s + shift
            if r0 >= line_next:          # the raw line: most often the next one
                ln = ln + 1 if r0 < (line_starts[ln + 2] if ln + 2 < nlines else raw_past) \
                    else bisect_right(line_starts, r0, ln) - 1
                line_start = line_starts[ln]
                line_next = line_starts[ln + 1] if ln + 1 < nlines else raw_past
            if s > pos:
                cur(out_len); raw0(pos + shift); raw1(r0); copied(True)
                bits.append(text[pos:s])
                out_len += s - pos
            cur(out_len); raw0(r0); raw1(t + shift); copied(False)
            bits.append(after)
            out_len += size_after
            put_row((k, s, t, r0, t + shift, ln + 1, r0 - line_start + 1))
            if spans is not None:
                spans.append((s, t, size_after))
            pos = t
            made += 1
            if len(bits) > _PIECES:      # (the pieces joined every few thousand)
                parts.append("".join(bits)); bits.clear()
        parts.append("".join(bits))
        size(out_len)
        return pos, made

    return run
