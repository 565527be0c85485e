"""One batch of the ledger, its many plain edits kept packed.

A text of 100,000 short lines gets 100,000 line joins from dehyphenate, all alike: the same
rule, the same text before (" \\n") and after (" "), applied, confidence 1, nothing else
recorded.  As :class:`~ocr_clean.ledger.Edit` objects each cost ~400 bytes (the object, six
int objects for its offsets, its id string); :class:`Batch` keeps such *plain* edits as rows
of machine integers (48 bytes each) beside the batch's other edits.  Read as edits (a loop,
an index), a row is a view (``_Row``, an Edit whose fields come from the row); changing a
field of it makes it an edit of its own, which the batch keeps in the row's place, so no
change is lost.  A list operation that changes the batch (append, sort, ...) unpacks it.

The ledger's file is the same either way: :meth:`Batch.jsonl_lines` writes the packed rows'
lines as :func:`~ocr_clean.ledger.edit_line` would their edits', and a row's id is made from
the same fields as :meth:`Edit.make_id` made it when the stage ran.

A plain edit: an :class:`Edit` (not a subclass) applied with confidence 1.0, no candidates,
note, context or evidence of its own, int offsets, and its rule, text before and text after
one of at most 256 kinds in the batch.

>>> b = Batch("s", 0, "doc")
>>> e = Edit(3, 5, " ", "space-join", before=" \\n")
>>> b.take(e, 3, 5, 3, 5, 1, 4), len(b), b.packed
(True, 1, 1)
>>> [(x.start, x.rule, x.stage, x.raw_col, x.id == x.make_id("doc")) for x in b]
[(3, 'space-join', 's', 4, True)]
>>> x = b[0]; x.status = "rejected"; b[0] is x, b[0].status, b.packed
(True, 'rejected', 1)
"""
from __future__ import annotations

import hashlib
import heapq
import itertools
import json
import operator
import weakref
from array import array
from bisect import bisect_left
from dataclasses import fields
from typing import Iterator

from .ledger import APPLIED, IN_OUTPUT, NO_EVIDENCE, Edit, edit_line

_BY_POSITION = operator.attrgetter("start", "end")
_quote = json.encoder.encode_basestring     # a JSON string, non-ASCII kept (as the ledger writes)
_MAX_KINDS = 256
_PAST = (float("inf"),)   # after every position
_PURGE = 4096     # views remembered before the table is first looked through
# a packed row: seven machine integers in the batch's flat array, in this order
_KIND, _START, _END, _RAW0, _RAW1, _LINE, _COL = range(7)
_W = 7
_LINE_KEY, _COL_KEY = ',"raw_line":', ',"raw_col":'    # (written only when not 0, as edit_line does)
_LINES_AT_ONCE = 4096     # packed rows whose ledger lines are made together (a few hundred KB)


def is_plain(e: Edit) -> bool:
    """Can ``e`` be kept as a packed row (everything but its offsets shared by its kind)?"""
    return (type(e) is Edit and e.status == APPLIED and type(e.confidence) is float
            and e.confidence == 1.0 and not e.candidates and not e.note and not e.context
            and e.evidence is NO_EVIDENCE and type(e.start) is int and type(e.end) is int
            and type(e.rule) is str and type(e.after) is str)


class Batch:
    """The edits of one batch, in position order: a sequence of :class:`Edit` (index it, loop
    over it, change it as a list), its plain edits kept as packed rows."""

    __slots__ = ("_edits", "_own", "_live", "_purge_at", "_kinds", "_kind_of", "_rows", "stage",
                 "batch", "name")

    def __init__(self, stage: str = "", batch: int = -1, name: str = "", edits=()) -> None:
        self._edits: list[Edit] = list(edits)   # the edits kept as objects (all, once unpacked)
        self._own: dict[int, Edit] = {}         # packed rows changed since: their own edits
        # the views of rows someone holds: the same object on every read while it lives
        self._live: dict[int, weakref.ref] = {}
        self._purge_at = _PURGE
        self.stage, self.batch, self.name = stage, batch, name
        self._kinds: list[tuple[str, str, str]] = []          # (rule, before, after)
        self._kind_of: dict[tuple[str, str, str], int] = {}
        self._rows: array | None = array("q")                 # _W integers a row; None: unpacked

    # -- filling (Document.apply) ------------------------------------------------------------
    def add(self, e: Edit) -> None:
        """Keep ``e`` as it is (its fields filled in by the document)."""
        self._edits.append(e)

    def take(self, e: Edit, start: int, end: int, raw_start: int, raw_end: int,
             raw_line: int, raw_col: int) -> bool:
        """Keep the plain edit ``e`` (text before in ``e.before``) as a packed row; False, and
        nothing kept, when it is not plain or its kind would be one too many."""
        if (e.evidence is not NO_EVIDENCE or e.status != APPLIED or e.confidence != 1.0
                or e.candidates or e.note or e.context or type(e) is not Edit
                or type(e.confidence) is not float or type(start) is not int
                or type(end) is not int or type(e.rule) is not str or type(e.after) is not str):
            return False       # (is_plain, written out: it is asked of every edit)
        return self.take_row(e.rule, e.before, e.after, start, end, raw_start, raw_end, raw_line, raw_col)

    def take_row(self, rule: str, before: str, after: str, start: int, end: int, raw_start: int,
                 raw_end: int, raw_line: int, raw_col: int) -> bool:
        """Keep a plain edit given by its fields as a packed row (False: its kind would be
        one too many)."""
        key = (rule, before, after)
        k = self._kind_of.get(key)
        if k is None:
            if len(self._kinds) >= _MAX_KINDS or self._rows is None:
                return False
            k = self._kind_of[key] = len(self._kinds)
            self._kinds.append(key)
        self._rows.extend((k, start, end, raw_start, raw_end, raw_line, raw_col))
        return True

    def row_sink(self):
        """``(kind_of, put_row)`` for filling the batch fast: ``kind_of((rule, before, after))``
        the number of a kind met already (else None: :meth:`take_row` makes it), ``put_row``
        keeps a row of seven integers (its kind, start, end, raw_start, raw_end, raw_line,
        raw_col); ``(None, None)`` once unpacked."""
        if self._rows is None:
            return None, None
        return self._kind_of.get, self._rows.extend

    # -- read without unpacking ------------------------------------------------------------
    @property
    def packed(self) -> int:
        """How many edits are kept as packed rows (0 once unpacked)."""
        return 0 if self._rows is None else len(self._rows) // _W

    def __len__(self) -> int:
        return len(self._edits) + self.packed

    def __bool__(self) -> bool:
        return len(self) > 0

    def loose_edits(self) -> list[Edit]:
        """The edits kept as objects, in order: every edit but the packed rows still as they
        were recorded (applied with confidence 1: never queued, never for review)."""
        if not self._own:
            return self._edits
        return sorted([*self._edits, *self._own.values()], key=_BY_POSITION)

    def _row_tuples(self) -> Iterator[tuple]:
        """The packed rows: (kind, start, end, raw_start, raw_end, raw_line, raw_col)."""
        return zip(*[iter(self._rows)] * _W)

    def edit_spans(self) -> list[tuple[int, int, int]]:
        """(start, end, length of the text after) of the edits in the output, in order."""
        if self._own:
            return [(e.start, e.end, len(e.after)) for e in self if e.status in IN_OUTPUT]
        spans = [(e.start, e.end, len(e.after)) for e in self._edits if e.status in IN_OUTPUT]
        if self.packed:
            size = [len(after) for _, _, after in self._kinds]
            spans += [(s, t, size[k]) for k, s, t, *_ in self._row_tuples()]
            spans.sort()
        return spans

    def rows_holding(self, offsets: list[int]) -> list[int] | None:
        """The indices of the packed rows whose raw span holds one of the raw ``offsets``
        (sorted), found with maps over the rows (no loop in Python); None when there are
        none or one was changed since (then read the batch as edits).  A row holds an offset
        ``p`` when ``raw_start <= p < raw_end``; all rows are in the output."""
        if self._own or not self.packed:
            return None
        rows = self._rows
        # the first offset at or after each row's raw start (past them all: never held)
        after = [*offsets, _PAST[0]]
        first = map(after.__getitem__, map(bisect_left, itertools.repeat(offsets), rows[_RAW0::_W]))
        return list(itertools.compress(itertools.count(), map(operator.lt, first, rows[_RAW1::_W])))

    def unpacked_row(self, i: int) -> Edit:
        """A new Edit of packed row ``i`` (the batch stays packed)."""
        r = object.__new__(_Row)
        r._b, r._i = self, i
        return _edit_of(*[getattr(r, f) for f in _FIELDS])

    def jsonl_lines(self) -> Iterator[str]:
        """Each edit's line of the ledger file (:func:`~ocr_clean.ledger.edit_line`), in order."""
        if not self.packed:
            yield from map(edit_line, self._edits)
            return
        stage, batch, name = _quote(self.stage), self.batch, self.name
        heads, keys = [], []
        for rule, before, after in self._kinds:
            heads.append((f',"after":{_quote(after)}' if after else "") + f',"rule":{_quote(rule)}'
                         + (f',"before":{_quote(before)}' if before else "")
                         + f',"stage":{stage},"batch":{batch},"raw_start":')
            keys.append((f"{name}\x1f{self.stage}\x1f{rule}\x1f", f"\x1f{before}\x1f{after}"))
        own, lines, first = self._own, [], 0     # lines: those of rows first, first + 1, ...
        for x in self._in_order():
            if type(x) is not int:
                yield edit_line(x)
            elif x in own:
                yield edit_line(own[x])
            else:
                if x >= first + len(lines):     # (rows come in order: the next block of them)
                    first = x
                    lines = self._row_lines(x, min(x + _LINES_AT_ONCE, self.packed), heads, keys)
                yield lines[x - first]

    def _row_lines(self, lo: int, hi: int, heads: list[str], keys: list[tuple[str, str]]) -> list[str]:
        """The ledger lines of packed rows ``lo`` to ``hi - 1`` (``heads``, ``keys``: each kind's
        fixed part of a line and of its id), made in two comprehensions over the rows' columns
        (their ids, then their lines): no slice, tuple or generator step a row."""
        blake, rows = hashlib.blake2b, self._rows[lo * _W:hi * _W]
        cols = [rows[i::_W] for i in range(_W)]
        ids = [blake(f"{keys[k][0]}{r0}{keys[k][1]}".encode("utf-8"), digest_size=8).hexdigest()
               for k, r0 in zip(cols[_KIND], cols[_RAW0])]
        return [f'{{"start":{s},"end":{t}{heads[k]}{r0},"raw_end":{r1}{_LINE_KEY if ln else ""}{ln or ""}'
                f'{_COL_KEY if col else ""}{col or ""},"id":"{ident}"}}'
                for k, s, t, r0, r1, ln, col, ident in zip(*cols, ids)]

    def _in_order(self) -> Iterator[Edit | int]:
        """The batch in order: each loose edit, and each packed row as its index."""
        rows, n = self._rows, self.packed
        i = 0
        for e in self._edits:
            key = (e.start, e.end)
            while i < n and (rows[i * _W + _START], rows[i * _W + _END]) < key:
                yield i
                i += 1
            yield e
        yield from range(i, n)

    # -- the list of edits ------------------------------------------------------------------
    def __iter__(self) -> Iterator[Edit]:
        """Every edit, in order: a packed row as a view of it (a new one each time, until it is
        changed: then it is an edit of its own, the same object on every later read)."""
        if not self.packed:
            return iter(self._edits)
        return self._views()

    def _views(self) -> Iterator[Edit]:
        own, live, new, ref = self._own, self._live, object.__new__, weakref.ref
        for x in self._in_order():
            if type(x) is not int:
                yield x
            elif own and x in own:
                yield own[x]
            else:
                w = live.get(x)
                r = w and w()
                if r is None:
                    r = new(_Row)
                    r._b, r._i = self, x
                    live[x] = ref(r)
                    if len(live) > self._purge_at:
                        self._purge()
                yield r

    def _purge(self) -> None:
        """Forget the views nobody holds any more (the table of views stays as small as the
        number held, and is looked through again only when it has doubled)."""
        live = self._live
        for x in [x for x, w in live.items() if w() is None]:
            del live[x]
        self._purge_at = max(_PURGE, 2 * len(live))

    def _all(self) -> list[Edit]:
        """The batch unpacked, for good: a list of edits (to be changed as a list)."""
        if self._rows is not None:
            if self.packed:
                for view in [w() for w in self._live.values()]:
                    if view is not None and view._b is self:
                        view._make_own()    # a view someone holds: that edit, in its place
                self._edits = [x if type(x) is not int else self._own.get(x) or self.unpacked_row(x)
                               for x in self._in_order()]
            self._own, self._kinds, self._kind_of, self._rows = {}, [], {}, None
            self._live = {}
        return self._edits

    def __reversed__(self) -> Iterator[Edit]:
        return reversed(list(self))

    def __getitem__(self, i):
        return list(self)[i] if self.packed else self._edits[i]

    def __setitem__(self, i, value) -> None:
        self._all()[i] = value

    def __delitem__(self, i) -> None:
        del self._all()[i]

    def __contains__(self, e) -> bool:
        return any(x is e or x == e for x in self)

    def __eq__(self, other) -> bool:
        if isinstance(other, Batch):
            other = list(other)
        return isinstance(other, list) and list(self) == other

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other) -> list[Edit]:
        return list(self) + list(other)

    def __radd__(self, other) -> list[Edit]:
        return list(other) + list(self)

    def __repr__(self) -> str:
        return f"Batch({list(self)!r})"

    def __reduce__(self):
        return (_unpickle, (self.stage, self.batch, self.name, self._all()))

    def __copy__(self) -> "Batch":
        return Batch(self.stage, self.batch, self.name, self._all())

    def __getattr__(self, attr: str):
        """The other list methods (append, extend, index, count, sort, pop, ...), unpacked."""
        if attr.startswith("__") or attr in Batch.__slots__:
            raise AttributeError(attr)
        return getattr(self._all(), attr)


_FIELDS = tuple(f.name for f in fields(Edit))
_SLOT = {f: Edit.__dict__[f] for f in _FIELDS}


def _edit_of(*values) -> Edit:
    return Edit(*values)


class _Row(Edit):
    """A packed row read as an :class:`Edit`: its fields read from the batch's row (``_b``,
    ``_i``); the first change of any field makes it an edit of its own (its fields copied
    in, kept by the batch in the row's place), so that a change is never lost.  Equal to an
    Edit of the same fields; copies and pickles as a plain Edit."""

    __slots__ = ("_b", "_i", "__weakref__")

    def __init__(self, *args, **kwargs) -> None:    # (dataclasses.replace of a view)
        self._b = None
        super().__init__(*args, **kwargs)

    def _make_own(self) -> None:
        b, i = self._b, self._i
        values = [getattr(self, f) for f in _FIELDS]
        self._b = None
        for f, v in zip(_FIELDS, values):
            _SLOT[f].__set__(self, v)
        if b._rows is not None:
            b._own[i] = self
            b._live.pop(i, None)

    def __eq__(self, other):
        if not isinstance(other, Edit):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in _FIELDS)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self):
        return (_edit_of, tuple(getattr(self, f) for f in _FIELDS))


def _field(name: str) -> property:
    """The property of field ``name`` of a :class:`_Row`: of the row while it is a view."""
    slot = _SLOT[name]
    col = {"start": _START, "end": _END, "raw_start": _RAW0, "raw_end": _RAW1,
           "raw_line": _LINE, "raw_col": _COL}.get(name)
    part = {"rule": 0, "before": 1, "after": 2, "run_after": 2}.get(name)
    const = {"confidence": 1.0, "status": APPLIED, "candidates": (), "note": "", "context": "",
             "run_status": APPLIED, "evidence": NO_EVIDENCE}
    if col is not None:
        def get(self):
            b = self._b
            return slot.__get__(self) if b is None else b._rows[self._i * _W + col]
    elif part is not None:
        def get(self):
            b = self._b
            return slot.__get__(self) if b is None else b._kinds[b._rows[self._i * _W]][part]
    elif name in const:
        value = const[name]

        def get(self):
            return value if self._b is not None else slot.__get__(self)
    elif name == "id":               # made as the document made it
        def get(self):
            b = self._b
            return slot.__get__(self) if b is None else Edit.make_id(self, b.name)
    else:                            # stage, batch: the batch's
        def get(self):
            b = self._b
            return slot.__get__(self) if b is None else getattr(b, name)

    def put(self, value) -> None:
        if self._b is not None:
            self._make_own()
        slot.__set__(self, value)

    return property(get, put)


for _name in _FIELDS:
    setattr(_Row, _name, _field(_name))


class PlainEdits:
    """Many plain edits of one kind proposed at once (a stage's line joins): ``after`` in place
    of the text at each span of ``spans`` (start, end pairs, in order, not overlapping), by the
    rule ``rule``, applied with confidence 1.0: in a stage's proposals, what an ``Edit(start,
    end, after, rule)`` for each span would be, without making an object of each
    (:meth:`Document.apply` keeps them as packed rows).

    >>> p = PlainEdits("space-join", " ")
    >>> p.add(3, 5); p.add(9, 11)
    >>> [(e.start, e.end, e.after, e.rule) for e in as_edits([p])]
    [(3, 5, ' ', 'space-join'), (9, 11, ' ', 'space-join')]
    """

    __slots__ = ("rule", "after", "spans")
    status = APPLIED
    confidence = 1.0

    def __init__(self, rule: str, after: str) -> None:
        self.rule, self.after = rule, after
        self.spans = array("q")

    def add(self, start: int, end: int) -> None:
        self.spans.extend((start, end))

    def __len__(self) -> int:
        return len(self.spans) // 2

    def pairs(self) -> Iterator[tuple[int, int]]:
        return zip(*[iter(self.spans)] * 2)

    def edits(self) -> list[Edit]:
        after, rule = self.after, self.rule
        return [Edit(s, t, after, rule) for s, t in self.pairs()]


def as_edits(proposals) -> list[Edit]:
    """A stage's proposals as Edit objects, each :class:`PlainEdits` as its edits, in order
    of position (``proposals``' own order when it holds no PlainEdits)."""
    if not any(type(p) is PlainEdits for p in proposals):
        return list(proposals)
    out = [e for p in proposals for e in (p.edits() if type(p) is PlainEdits else (p,))]
    out.sort(key=_BY_POSITION)
    return out


def in_order(edits: list[Edit], plain: list[PlainEdits]) -> Iterator:
    """The edits (sorted) and the rows of ``plain`` as (start, end, which), in order of position."""
    rows = [zip(p.spans[0::2], p.spans[1::2], itertools.repeat(k)) for k, p in enumerate(plain)]
    rows = heapq.merge(*rows) if len(rows) > 1 else rows[0]
    m, i = len(edits), 0
    nxt = (edits[0].start, edits[0].end, -1) if m else _PAST
    for r in rows:
        while r > nxt:
            yield edits[i]
            i += 1
            nxt = (edits[i].start, edits[i].end, -1) if i < m else _PAST
        yield r
    yield from edits[i:]


def loose_edits(batch) -> list[Edit]:
    """The edits of a recorded batch kept as objects (of a list of edits: all of them)."""
    return batch.loose_edits() if isinstance(batch, Batch) else batch


def output_spans(batch) -> list[tuple[int, int, int]]:
    """(start, end, length of the text after) of a batch's edits in the output, in order,
    without unpacking it."""
    if isinstance(batch, Batch):
        return batch.edit_spans()
    return [(e.start, e.end, len(e.after)) for e in batch if e.status in IN_OUTPUT]


def moved_before(batch, keys: list[tuple[int, int]]) -> list[int]:
    """For each ``(start, end)`` of ``keys``, how far a recorded batch's edits in the output
    that come before it (by start, end) moved the text: the sum of their ``len(after) - (end -
    start)``.  A packed batch's rows are summed with maps over their numbers (no edit made)."""
    if not isinstance(batch, Batch) or batch._own or not batch.packed:
        return _moved_before(output_spans(batch), keys)
    loose = _moved_before([(e.start, e.end, len(e.after)) for e in batch._edits if e.status in IN_OUTPUT], keys)
    rows = batch._rows
    starts, ends, kinds = rows[_START::_W], rows[_END::_W], rows[_KIND::_W]
    size = [len(after) for _, _, after in batch._kinds]
    grow = list(itertools.accumulate(map(operator.sub, map(size.__getitem__, kinds),
                                         map(operator.sub, ends, starts)), initial=0))
    out, m = [], len(starts)
    for (s, t), before in zip(keys, loose):
        r = bisect_left(starts, s)          # the rows before (s, t)
        while r < m and starts[r] == s and ends[r] < t:
            r += 1
        out.append(before + grow[r])
    return out


def _moved_before(spans: list[tuple[int, int, int]], keys: list[tuple[int, int]]) -> list[int]:
    at = [(s, t) for s, t, _ in spans]
    moved = list(itertools.accumulate((n - (t - s) for s, t, n in spans), initial=0))
    return [moved[bisect_left(at, k)] for k in keys]


def _unpickle(stage: str, batch: int, name: str, edits: list[Edit]) -> Batch:
    return Batch(stage, batch, name, edits)
