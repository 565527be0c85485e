"""The ledger: every edit a stage made, explained and replayable.

An :class:`Edit` is proposed by a stage against the text the stage received
(``start``/``end`` are offsets in that text).  The :class:`~ocr_clean.document.Document`
fills in the rest when it records the edit: the text before, the stage, the batch
it belongs to, and where it came from in the raw file (line and column).

The ledger is a list of batches, one per stage run, in pipeline order.  From it:

* :func:`replay` rebuilds the output from the raw text with any choice of edits
  (the decisions of a review, an undo of one edit, or of all of them: the raw text
  comes back exactly);
* :meth:`Ledger.explain` lists the edits that touched a span of raw lines.

Nothing here knows about stages, files or the review store.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Callable, Iterable, Iterator

APPLIED = "applied"      # made by the stage, in the output
QUEUED = "queued"        # uncertain: left as raw text until a person decides
REJECTED = "rejected"    # decided against (by a person or a rule): not in the output
ACCEPTED = "accepted"    # a queued edit a person accepted: in the output
EDITED = "edited"        # a person replaced the suggestion with their own text: in the output
GUESSED = "guessed"      # a queued edit applied because the user asked for best guesses

IN_OUTPUT = frozenset({APPLIED, ACCEPTED, EDITED, GUESSED})
STATUSES = frozenset({APPLIED, QUEUED, REJECTED, ACCEPTED, EDITED, GUESSED})


class _NoEvidence(dict):
    """The evidence of an edit that records none: one empty mapping shared by all of them.

    A book's ledger holds tens of thousands of layout edits (100,000 short lines: 100,000
    line joins); an empty dict each was 64 bytes apiece.  It is read-only, so that no code
    can add to every such edit's evidence at once: an edit that records evidence is given a
    dict of its own.  It is a ``dict`` (JSON, ``dict(...)``, equality with ``{}`` as before)
    and copies and unpickles as itself.

    >>> NO_EVIDENCE == {} and not NO_EVIDENCE
    True
    >>> NO_EVIDENCE["x"] = 1
    Traceback (most recent call last):
    ...
    TypeError: an edit's shared empty evidence is read-only: give the Edit a dict of its own
    """

    __slots__ = ()

    def _read_only(self, *args, **kwargs):
        raise TypeError("an edit's shared empty evidence is read-only: give the Edit a dict of its own")

    __setitem__ = __delitem__ = setdefault = update = pop = popitem = clear = __ior__ = _read_only

    def __hash__(self) -> int:       # one immutable value (a dataclass default may not be mutable)
        return 0

    def __reduce__(self):
        return (_no_evidence, ())

    def __copy__(self) -> "_NoEvidence":
        return self

    def __deepcopy__(self, memo) -> "_NoEvidence":
        return self


def _no_evidence() -> "_NoEvidence":
    return NO_EVIDENCE


NO_EVIDENCE = _NoEvidence()


@dataclass(slots=True)
class Edit:
    """One change: replace ``text[start:end]`` of the stage's input with ``after``."""

    start: int
    end: int
    after: str
    rule: str
    confidence: float = 1.0
    status: str = APPLIED
    candidates: tuple[str, ...] = ()
    note: str = ""
    # Filled in by Document.apply:
    before: str = ""
    stage: str = ""
    batch: int = -1
    raw_start: int = -1
    raw_end: int = -1
    raw_line: int = 0
    raw_col: int = 0
    context: str = ""
    id: str = ""
    run_status: str = ""   # status and text when the stage ran: positions of later edits assume them
    run_after: str | None = None
    # The factors and counts that made the score, by name (channel weight, frequencies,
    # context, the book's counts, the profile's habit): numbers, strings or flags.  None
    # recorded: the one shared, read-only NO_EVIDENCE (not a new dict for each edit).
    evidence: dict = NO_EVIDENCE

    @property
    def in_plan(self) -> bool:
        """Was this edit in the text the later stages of the run saw?"""
        return (self.run_status or self.status) in IN_OUTPUT

    @property
    def planned_after(self) -> str:
        return self.after if self.run_after is None else self.run_after

    @property
    def in_output(self) -> bool:
        return self.status in IN_OUTPUT

    def make_id(self, doc_name: str = "") -> str:
        """A stable key: the same fix of the same raw text gets the same id on every run."""
        key = f"{doc_name}\x1f{self.stage}\x1f{self.rule}\x1f{self.raw_start}\x1f{self.before}\x1f{self.after}"
        return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()

    def to_dict(self, compact: bool = False) -> dict:
        """All fields; ``compact`` leaves out those at their default (and the run status and
        text when they equal the current ones), which keeps a book's ledger small."""
        if compact:
            return self._compact_dict()
        d = {n: getattr(self, n) for n in _FIELDS}
        d["candidates"] = list(self.candidates)
        d["evidence"] = dict(self.evidence)
        return d

    def _compact_dict(self) -> dict:
        """``to_dict(compact=True)``, built field by field in the same key order."""
        d = {"start": self.start, "end": self.end}
        if self.after:
            d["after"] = self.after
        d["rule"] = self.rule
        if self.confidence != 1.0:
            d["confidence"] = self.confidence
        if self.status != APPLIED:
            d["status"] = self.status
        if self.candidates:
            d["candidates"] = list(self.candidates)
        if self.note:
            d["note"] = self.note
        if self.evidence:
            d["evidence"] = dict(self.evidence)
        if self.before:
            d["before"] = self.before
        d["stage"], d["batch"] = self.stage, self.batch
        d["raw_start"], d["raw_end"] = self.raw_start, self.raw_end
        if self.raw_line:
            d["raw_line"] = self.raw_line
        if self.raw_col:
            d["raw_col"] = self.raw_col
        if self.context:
            d["context"] = self.context
        d["id"] = self.id
        if self.run_status != self.status:
            d["run_status"] = self.run_status
        if self.run_after != self.after:
            d["run_after"] = self.run_after
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Edit":
        d = dict(d)
        d["candidates"] = tuple(d.get("candidates", ()))
        ev = d.get("evidence")
        d["evidence"] = dict(ev) if ev else NO_EVIDENCE
        d.setdefault("after", "")
        d.setdefault("rule", "")
        d.setdefault("start", 0)
        d.setdefault("end", d["start"])
        e = cls(**d)
        if "run_status" not in d:
            e.run_status = e.status
        if "run_after" not in d:
            e.run_after = e.after
        return e


_FIELDS = tuple(f.name for f in fields(Edit))
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_quote = json.encoder.encode_basestring     # a JSON string, non-ASCII kept (as _encode does)


_INT = {int}
_FINITE = (float("-inf"), float("inf"))


def evidence_json(ev: dict) -> str:
    """``ev`` as ``json`` writes it in the ledger (``_encode``): the same characters, put
    together directly when its keys are strings and its values plain strings, ints, finite
    floats, booleans or None (almost every edit's evidence; a JSON encoder call costs more than
    the few fields); anything else through ``json`` itself.

    >>> ev = {"freq": 0.25, "uses": 3, "rule": "l\u00e9", "case_only": True, "none": None}
    >>> evidence_json(ev) == _encode(ev), evidence_json({"xs": [1, 2]}) == _encode({"xs": [1, 2]})
    (True, True)
    """
    parts = []
    for k, v in ev.items():
        t = type(v)
        if type(k) is not str:
            return _encode(ev)
        if t is str:
            parts.append(f"{_quote(k)}:{_quote(v)}")
        elif t is int:
            parts.append(f"{_quote(k)}:{int.__repr__(v)}")
        elif t is float and _FINITE[0] < v < _FINITE[1]:
            parts.append(f"{_quote(k)}:{float.__repr__(v)}")
        elif v is True or v is False or v is None:
            parts.append(f"{_quote(k)}:{'true' if v is True else 'false' if v is False else 'null'}")
        else:       # a list, a dict, a number of another type, NaN or infinity: as json writes it
            return _encode(ev)
    return "{" + ",".join(parts) + "}"


def edit_line(e: Edit) -> str:
    """``e.to_dict(compact=True)`` as one line of JSON, the same characters ``json`` writes,
    put together directly (a book's ledger has tens of thousands of edits, and building a
    dict for each only to encode it was most of the cost of writing the ledger)."""
    start, end, batch, raw_start, raw_end, raw_line, raw_col = nums = (
        e.start, e.end, e.batch, e.raw_start, e.raw_end, e.raw_line, e.raw_col)
    if set(map(type, nums)) != _INT or type(e.confidence) is not float:
        return _encode(e._compact_dict())      # numbers of other types: as json writes them
    parts = [f'{{"start":{start},"end":{end}']
    if e.after:
        parts.append(f',"after":{_quote(e.after)}')
    parts.append(f',"rule":{_quote(e.rule)}')
    if e.confidence != 1.0:
        parts.append(f',"confidence":{float.__repr__(e.confidence)}')
    if e.status != APPLIED:
        parts.append(f',"status":{_quote(e.status)}')
    if e.candidates:
        parts.append(',"candidates":[' + ",".join(map(_quote, e.candidates)) + "]")
    if e.note:
        parts.append(f',"note":{_quote(e.note)}')
    if e.evidence:
        parts.append(f',"evidence":{evidence_json(e.evidence)}')
    if e.before:
        parts.append(f',"before":{_quote(e.before)}')
    parts.append(f',"stage":{_quote(e.stage)},"batch":{batch},"raw_start":{raw_start},"raw_end":{raw_end}')
    if raw_line:
        parts.append(f',"raw_line":{raw_line}')
    if raw_col:
        parts.append(f',"raw_col":{raw_col}')
    if e.context:
        parts.append(f',"context":{_quote(e.context)}')
    parts.append(f',"id":{_quote(e.id)}')
    if e.run_status != e.status:
        parts.append(f',"run_status":{_encode(e.run_status)}')
    if e.run_after != e.after:
        parts.append(f',"run_after":{_encode(e.run_after)}')
    parts.append("}")
    return "".join(parts)


@dataclass
class Ledger:
    """All edits of one document, grouped in batches (one batch per stage run)."""

    batches: list[list[Edit]] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    header: dict = field(default_factory=dict)

    def add_batch(self, stage: str, edits: list[Edit]) -> int:
        self.batches.append(edits)
        self.stages.append(stage)
        return len(self.batches) - 1

    def __iter__(self) -> Iterator[Edit]:
        for batch in self.batches:
            yield from batch

    def __len__(self) -> int:
        return sum(len(b) for b in self.batches)

    def loose(self) -> Iterator[Edit]:
        """Every edit but the plain ones a batch keeps packed (``ledger_batch.Batch``: applied,
        confidence 1, so never queued nor for review), without unpacking them."""
        for batch in self.batches:
            loose = getattr(batch, "loose_edits", None)
            yield from (batch if loose is None else loose())

    def by_status(self, *statuses: str) -> list[Edit]:
        return [e for e in self if e.status in statuses]

    def find(self, edit_id: str) -> Edit | None:
        for e in self:
            if e.id == edit_id:
                return e
        return None

    def summary(self) -> dict[str, dict[str, int]]:
        """Counts by ``stage:rule`` and status."""
        out: dict[str, dict[str, int]] = {}
        for e in self:
            row = out.setdefault(f"{e.stage}:{e.rule}", {})
            row[e.status] = row.get(e.status, 0) + 1
        return out

    def explain(self, raw_first: int, raw_last: int, *, include_layout: bool = True) -> list[Edit]:
        """Edits whose raw position lies on raw lines ``raw_first..raw_last`` (1-based)."""
        out = []
        for e in self:
            if raw_first <= e.raw_line <= raw_last:
                if include_layout or e.before.strip() or e.after.strip():
                    out.append(e)
        return out

    # -- persistence: one JSON object a line, batches in order ---------------------------
    def to_jsonl(self, header: dict | None = None) -> str:
        """One edit a line (fields at their default left out); an optional first line
        ``{"header": {...}}`` names the source."""
        parts = [] if header is None else [_encode({"header": header})]
        for batch in self.batches:     # a packed batch writes its rows' lines without unpacking
            lines = getattr(batch, "jsonl_lines", None)
            parts.extend(map(edit_line, batch) if lines is None else lines())
        return "\n".join(parts) + "\n" if parts else ""

    def dump_jsonl(self, fh, header: dict | None = None) -> None:
        fh.write(self.to_jsonl(header))

    @classmethod
    def load_jsonl(cls, lines: Iterable[str]) -> "Ledger":
        led = cls()
        for line in lines:
            if not line.strip():
                continue
            obj = json.loads(line)
            if "header" in obj:
                led.header = obj["header"]
                continue
            e = Edit.from_dict(obj)
            while len(led.batches) <= e.batch:
                led.batches.append([])
                led.stages.append("")
            led.batches[e.batch].append(e)
            led.stages[e.batch] = e.stage
        return led


def source_path(header: dict, ledger_path):
    """The raw file a ledger names: written relative to the ledger's folder (so a cleaned
    folder moves with its raw folder, e.g. in a clone), or absolute."""
    from pathlib import Path

    src = header.get("source")
    if not src:
        return None
    p = Path(src)
    return p if p.is_absolute() else (Path(ledger_path).resolve().parent / p).resolve()


def read_ledger(path) -> Ledger:
    """Load a ``<stem>.ledger.jsonl`` file written by the batch command (header included)."""
    with open(path, encoding="utf-8") as fh:
        return Ledger.load_jsonl(fh)


def replay(raw: str, ledger: Ledger, include: Callable[[Edit], bool] | None = None) -> str:
    """Rebuild the output from ``raw``, applying the edits for which ``include`` is true.

    Every edit is positioned in the text its stage saw during the original run (the
    "planned" text, built from the edits whose recorded status was in the output).
    When the choice differs from the run (a queued edit accepted, an applied one
    undone), the actual text is kept as a list of differences from the planned text,
    and later positions are carried across them; a later edit that overlaps such a
    difference was made for text that is no longer there, and is skipped.
    ``include=None`` replays the edits whose current status puts them in the output; ``lambda e: False`` gives the raw
    text back exactly.
    """
    if include is None:
        include = lambda e: e.in_output  # noqa: E731
    planned = raw
    diffs: list[tuple[int, int, str]] = []   # (t0, t1, actual text) where actual != planned
    for batch in ledger.batches:
        # units: (start, end, kind, payload); kind 0 = existing difference, 1 = edit
        units = [(t0, t1, 0, a) for t0, t1, a in diffs]
        units += [(e.start, e.end, 1, e) for e in batch]
        units.sort(key=lambda u: (u[0], u[1], u[2]))
        out_parts: list[str] = []
        new_diffs: list[tuple[int, int, str]] = []
        pos = 0          # consumed up to here in planned
        out_len = 0
        i = 0
        while i < len(units):
            # a cluster: units that overlap one another
            j, c0, c1 = i + 1, units[i][0], units[i][1]
            while j < len(units) and (units[j][0] < c1 or units[j][0] == units[j][1] == c1 == units[j - 1][0] == units[j - 1][1]):
                c1 = max(c1, units[j][1])
                j += 1
            cluster = units[i:j]
            if len(cluster) == 1:
                s, t, kind, p = cluster[0]
                if kind == 0:
                    t_text, a_text = planned[s:t], p
                else:
                    t_text = p.planned_after if p.in_plan else planned[s:t]
                    a_text = p.after if include(p) else planned[s:t]
            else:   # conflict: edits here no longer apply; the actual text stays as it was
                t_parts, a_parts, tp, ap = [], [], c0, c0
                for s, t, kind, p in cluster:
                    if kind == 0:
                        a_parts += [planned[ap:s], p]
                        ap = t
                    else:
                        t_parts += [planned[tp:s], p.planned_after if p.in_plan else planned[s:t]]
                        tp = t
                t_parts.append(planned[tp:c1])
                a_parts.append(planned[ap:c1])
                t_text, a_text = "".join(t_parts), "".join(a_parts)
            gap = planned[pos:c0]
            out_parts += [gap, t_text]
            out_len += len(gap)
            if t_text != a_text:
                if new_diffs and new_diffs[-1][1] == out_len:
                    d0, _, da = new_diffs.pop()
                    new_diffs.append((d0, out_len + len(t_text), da + a_text))
                else:
                    new_diffs.append((out_len, out_len + len(t_text), a_text))
            out_len += len(t_text)
            pos = c1
            i = j
        out_parts.append(planned[pos:])
        planned = "".join(out_parts)
        diffs = new_diffs
    parts, pos = [], 0
    for t0, t1, a in diffs:
        parts += [planned[pos:t0], a]
        pos = t1
    parts.append(planned[pos:])
    return "".join(parts)
