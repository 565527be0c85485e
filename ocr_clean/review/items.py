"""An item of the review queue as stored (:class:`Item`), its statuses, and how its text is
shown and compared (:func:`visible`, :func:`kept_apart`, :func:`evidence_pattern`)."""
from __future__ import annotations

import datetime as _dt
import getpass
import json
import os
import re
import sqlite3
from dataclasses import dataclass, field

from ..ledger import ACCEPTED, APPLIED, EDITED, QUEUED, REJECTED, Edit

OPEN = "open"
DECIDED = (ACCEPTED, REJECTED, EDITED)
ITEM_STATUSES = (OPEN, *DECIDED)


class StoreError(ValueError):
    """A problem with the queue the user can fix; the message is one line."""


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def default_who() -> str:
    for var in ("OCR_CLEAN_WHO", "USER", "USERNAME", "LOGNAME"):
        if os.environ.get(var):
            return os.environ[var]
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user database
        return "unknown"


def is_word_form(s: str) -> bool:
    """A single token with a letter in it (no spaces): a form a person can protect or learn."""
    s = s.strip()
    return bool(s) and not any(c.isspace() for c in s) and any(c.isalpha() for c in s)


def visible(s: str) -> str:
    """Text a reader can see: an empty string, spaces at the edges and line breaks marked."""
    if s == "":
        return "\u2205"
    if not s.strip():
        return s.replace(" ", "\u2423").replace("\n", "\u23ce")
    lead, trail = len(s) - len(s.lstrip(" ")), len(s) - len(s.rstrip(" "))
    return ("\u2423" * lead + s.strip(" ") + "\u2423" * trail).replace("\n", "\u23ce")


def kept_apart(before: str, suggestion: str) -> str | None:
    """For a line join (``land\nholdings`` -> ``landholdings``): the raw text with its line
    break as a space (``land holdings``), which is what keeping the raw text means inside
    a paragraph (every paragraph is one line).  None for anything else."""
    if before.count("\n") != 1 or "\n" in suggestion:
        return None
    left, right = before.split("\n")
    if not left.strip() or not right.strip():
        return None
    return left.rstrip(" ") + " " + right.lstrip(" ")


def marked_context(context: str, before: str, suggestion: str) -> tuple[str, str, str, str] | None:
    """``(left, reading, suggestion, right)`` of a context marked ``left⟨reading→suggestion⟩right``
    (the item's own ``before`` and ``suggestion`` looked for first: they may hold the marks'
    characters), or None when the context has no mark."""
    mark = "\u27e8" + before + "\u2192" + suggestion + "\u27e9"
    i = context.find(mark)
    if i >= 0:
        return context[:i], before, suggestion, context[i + len(mark):]
    i = context.find("\u27e8")
    j = context.find("\u27e9", i + 1)
    k = context.find("\u2192", i + 1, j)
    if i < 0 or j < 0 or k < 0:
        return None
    return context[:i], context[i + 1:k], context[k + 1:j], context[j + 1:]


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def evidence_pattern(it: "Item") -> tuple:
    """What kind of evidence made an item: its note without the numbers, the evidence's
    names, and whether it is in the text already."""
    return _NUMBER.sub("#", it.note or ""), tuple(sorted(it.evidence or {})), it.run_status


@dataclass
class Item:
    """One queued edit as stored."""

    id: str
    doc: str
    stage: str
    rule: str
    before: str
    suggestion: str
    candidates: list[str] = field(default_factory=list)
    confidence: float = 0.0
    context: str = ""
    raw_lines: str = ""
    raw_line: int = 0
    raw_col: int = 0
    raw_line_end: int = 0
    raw_start: int = -1
    raw_end: int = -1
    note: str = ""
    evidence: dict = field(default_factory=dict)
    run_status: str = QUEUED     # "applied": a low-confidence fix already in the text, until rejected
    status: str = OPEN
    decision: str | None = None
    who: str | None = None
    decided_at: str | None = None
    created_at: str = ""
    seq: int = 0

    @property
    def decided(self) -> bool:
        return self.status in DECIDED

    @property
    def applied(self) -> bool:
        """Open, but already in the text: a fix applied at low confidence, shown for review."""
        return self.status == OPEN and self.run_status == APPLIED

    @property
    def chosen(self) -> str:
        """The text in the output if this decision stands (open: what the file has now)."""
        if self.status in (ACCEPTED, EDITED):
            return self.decision if self.decision is not None else self.suggestion
        if self.applied:
            return self.suggestion
        return self.before

    @property
    def ranked(self) -> list[str]:
        """The suggestion first, then the other candidates, without repeats."""
        out = [self.suggestion]
        for c in self.candidates:
            if c not in out and c != self.before:   # the raw text is the reject key
                out.append(c)
        return out

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["candidates"] = list(self.candidates)
        d["evidence"] = dict(self.evidence)
        return d

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Item":
        d = dict(row)
        d["candidates"] = json.loads(d.get("candidates") or "[]")
        d["evidence"] = json.loads(d.get("evidence") or "{}")
        return cls(**{k: v for k, v in d.items() if k in ITEM_FIELDS})

    @classmethod
    def from_edit(cls, doc: str, e: Edit) -> "Item":
        return cls(
            id=e.id or e.make_id(doc), doc=doc, stage=e.stage, rule=e.rule,
            before=e.before, suggestion=e.after,
            candidates=[c for c in e.candidates if c != e.after],
            confidence=float(e.confidence), context=e.context, raw_line=e.raw_line,
            raw_col=e.raw_col, raw_start=e.raw_start, raw_end=e.raw_end, note=e.note,
            evidence=dict(e.evidence), run_status=APPLIED if e.status == APPLIED else QUEUED,
        )


ITEM_FIELDS = set(Item.__dataclass_fields__)
