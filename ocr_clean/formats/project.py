"""The cleaned text projected back onto the words of the source.

The document's offset map (:meth:`ocr_clean.document.Document.offset_map`) says which raw
characters each piece of the cleaned text comes from.  Each word of the cleaned text (a run
of non-space characters) is traced to the source words (:class:`~.model.Unit`) it draws
from; words and units that draw on one another make a component, and each component is one
:class:`Change`:

* ``change``: one unit, one word, new text (the box is kept);
* ``replace``: units of one line read as other words: a split word (one unit, more words),
  joined words (more units, one word) or both; the boxes are merged and cut again in
  proportion to the characters;
* ``hyphen``: units on more than one line read as one word (a line-end hyphenation joined):
  each unit keeps its place and gets its part of the word (``texts``), the whole reading is
  ``token``;
* ``delete``: a unit none of whose characters is left; ``kept`` when a layout edit (a
  running head or page number taken out of the reading text) removed it: the source keeps
  it, since it is printed on the page.

Undoing every edit gives the identity map, hence no change at all.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .model import Parsed

_TOKEN = re.compile(r"\S+")
HYPHENS = ("-", "\u00ad", "\u2010", "\u00ac")
LAYOUT_STAGES = frozenset({"page_structure"})


@dataclass
class Change:
    op: str                      # change | replace | hyphen | delete | kept
    units: list[int]             # indices into Parsed.units
    texts: list[str]             # change: [new]; replace: the new words; hyphen: a part per unit
    token: str = ""              # hyphen: the whole word as read
    before: list[str] = field(default_factory=list)

    def to_dict(self, ids: list[str]) -> dict:
        d = {"op": self.op, "ids": ids, "before": self.before, "after": self.texts}
        if self.token:
            d["token"] = self.token
        return d


def identity_map(text: str) -> list[tuple[int, int, int, bool]]:
    """The offset map of a text nobody edited."""
    return [(0, 0, len(text), True)]


def project(parsed: Parsed, out: str, offset_map: list[tuple[int, int, int, bool]],
            removed: list[tuple[int, int, bool]] = (), moved: frozenset[int] = frozenset()) -> list[Change]:
    """The changes that turn the source's words into the cleaned text ``out``.

    ``offset_map`` maps ``out`` to ``parsed.text``; ``removed`` are the raw spans that edits
    took out of the text, each with whether a layout edit did it (see :func:`removed_spans`):
    a unit wholly inside one is no part of a later edit that spans it (a word joined across
    a running head taken out), and is ``kept`` when a layout edit removed it.  ``moved`` are
    the raw offsets where layout edits put text they took from elsewhere (a footnote moved
    to the end of its paragraph, see :func:`moved_points`): the words read there are no
    words of the units around that place (the source keeps the note where it is printed).
    """
    if not parsed.units:
        return []
    gone_by = _gone_units(parsed.units, removed)
    tokens, used, find = _trace(parsed.units, out, offset_map, gone_by, moved)
    return _changes(parsed, tokens, used, find, gone_by)


def _gone_units(units: list, removed: list[tuple[int, int, bool]]) -> dict[int, bool]:
    """The units wholly inside a span edits took out, each with whether a layout edit did it."""
    n = len(units)
    ustart = [u.start for u in units]
    uend = [u.end for u in units]
    gone_all = _merge([(a, b) for a, b, _ in removed])
    gone_layout = _merge([(a, b) for a, b, layout in removed if layout])
    gone_by: dict[int, bool] = {}          # unit wholly removed -> by a layout edit
    for g0, g1 in gone_all:
        i = bisect.bisect_left(ustart, g0)
        while i < n and ustart[i] < g1:
            if uend[i] <= g1:
                gone_by[i] = _inside(gone_layout, ustart[i], uend[i])
            i += 1
    return gone_by


def _trace(units: list, out: str, offset_map: list[tuple[int, int, int, bool]], gone_by: dict[int, bool],
           moved: frozenset[int]):
    """Which units each word of ``out`` draws from: ``(tokens, used, find)``, the words (each
    with a unit it draws from), whether each unit is drawn on, and the union-find root of a
    unit (the units a word draws from are one component)."""
    n = len(units)
    ustart = [u.start for u in units]
    uend = [u.end for u in units]
    seg_start = [s[0] for s in offset_map]
    nseg = len(offset_map)

    def overlapping(r0: int, r1: int) -> list[int]:
        found = []
        if r1 > r0:
            i = bisect.bisect_right(uend, r0)
            while i < n and ustart[i] < r1:
                if i not in gone_by:
                    found.append(i)
                i += 1
        if not found:   # an insertion, or a replaced separator: the unit it is in or follows
            i = bisect.bisect_right(ustart, r0) - 1
            found.append(max(i, 0))
        return found

    # which units each cleaned word draws from
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tokens: list[tuple[str, int]] = []      # (text, a unit it draws from)
    used = [False] * n
    seg_end = seg_start[1:] + [len(out)]
    bisect_right = bisect.bisect_right
    k = 0
    for m in _TOKEN.finditer(out):
        a, b = m.span()
        while seg_end[k] <= a and k + 1 < nseg:        # tokens and segments both go forward
            k += 1
        c0, r0, r1, copied = offset_map[k]
        if copied and b <= seg_end[k]:                 # the usual case: raw text of one unit
            ra, rb = r0 + a - c0, r0 + b - c0
            i = bisect_right(uend, ra)
            if i < n and ustart[i] <= ra and rb <= uend[i] and i not in gone_by:
                used[i] = True
                tokens.append((m.group(), i))
                continue
        drawn: list[int] = []
        j = k
        while j < nseg and seg_start[j] < b:
            c0, r0, r1, copied = offset_map[j]
            lo, hi = max(a, c0), min(b, seg_end[j])
            if hi > lo:
                if copied:
                    drawn += overlapping(r0 + lo - c0, r0 + hi - c0)
                elif not (r0 == r1 and r0 in moved):
                    drawn += overlapping(r0, r1)
            j += 1
        if not drawn:       # text a layout edit moved here: its words stay where printed
            continue
        first = drawn[0]
        for u in drawn:
            used[u] = True
            ru, rf = find(u), find(first)
            if ru != rf:
                parent[max(ru, rf)] = min(ru, rf)
        tokens.append((m.group(), first))
    return tokens, used, find


def _changes(parsed: Parsed, tokens: list[tuple[str, int]], used: list[bool], find, gone_by: dict[int, bool]
             ) -> list[Change]:
    """The changes of the components of units and words (see the module's docstring)."""
    units = parsed.units
    n = len(units)
    comp_tokens: dict[int, list[str]] = {}
    for text, u in tokens:
        comp_tokens.setdefault(find(u), []).append(text)
    comp_units: dict[int, list[int]] = {}
    for i in range(n):
        if used[i]:
            comp_units.setdefault(find(i), []).append(i)

    changes: list[Change] = []
    for i in range(n):
        if used[i]:
            continue
        op = "kept" if gone_by.get(i) else "delete"
        changes.append(Change(op, [i], [], before=[parsed.unit_text(units[i])]))
    for root, us in comp_units.items():
        ts = comp_tokens.get(root, [])
        before = [parsed.unit_text(units[u]) for u in us]
        if len(us) == 1 and len(ts) == 1:
            if ts[0] != before[0]:
                changes.append(Change("change", us, ts, before=before))
        elif len({units[u].line for u in us}) == 1:
            changes.append(Change("replace", us, ts, before=before))
        else:
            token = " ".join(ts)
            parts = cut(before, token)
            parts = [_keep_hyphen(units, us, k, before[k], p) for k, p in enumerate(parts)]
            changes.append(Change("hyphen", us, parts, token=token, before=before))
    changes.sort(key=lambda c: c.units[0])
    return changes


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _inside(merged: list[tuple[int, int]], start: int, end: int) -> bool:
    j = bisect.bisect_right(merged, (start, float("inf"))) - 1
    return j >= 0 and merged[j][0] <= start and end <= merged[j][1]


def _keep_hyphen(units, us: list[int], k: int, raw: str, part: str) -> str:
    """A part that ends its line keeps the printed line-end hyphen the reading dropped."""
    last_of_line = k + 1 < len(us) and units[us[k + 1]].line != units[us[k]].line
    if last_of_line and raw.endswith(HYPHENS) and not part.endswith(HYPHENS):
        return part + raw[-1]
    return part


def cut(pieces: list[str], token: str) -> list[str]:
    """``token`` cut where the boundaries between ``pieces`` fall in an alignment of the
    pieces' concatenation with it."""
    from rapidfuzz.distance import Levenshtein   # here: a plain-text clean never aligns

    joined = "".join(pieces)
    ops = Levenshtein.opcodes(joined, token)
    bounds, pos = [], 0
    for p in pieces[:-1]:
        pos += len(p)
        bounds.append(_map(ops, pos))
    out, prev = [], 0
    for b in bounds:
        b = max(b, prev)
        out.append(token[prev:b])
        prev = b
    out.append(token[prev:])
    return out


def _map(ops, p: int) -> int:
    for op in ops:
        if op.src_start <= p <= op.src_end:
            if op.tag == "equal":
                return op.dest_start + (p - op.src_start)
            if op.tag == "replace":
                span = op.src_end - op.src_start
                return op.dest_start + round((p - op.src_start) * (op.dest_end - op.dest_start) / span)
            if op.tag == "delete":
                return op.dest_start
            # an insertion at p: what is inserted goes with the next piece
            return op.dest_start
    return ops[-1].dest_end if ops else p


def moved_points(ledger) -> frozenset[int]:
    """Raw offsets where layout edits in the output inserted text taken from elsewhere."""
    return frozenset(e.raw_start for e in ledger
                     if e.stage in LAYOUT_STAGES and e.in_output and e.raw_start == e.raw_end
                     and e.after.strip())


def removed_spans(ledger) -> list[tuple[int, int, bool]]:
    """Raw spans that edits in the output took out of the text (words gone, at most
    whitespace left), each with whether a layout edit (a running head, a page number) did it."""
    return [(e.raw_start, e.raw_end, e.stage in LAYOUT_STAGES) for e in ledger
            if e.in_output and not e.after.strip() and e.before.strip()]
