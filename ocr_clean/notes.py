"""Footnotes of a cleaned book: cross-check markers against notes; export Markdown footnotes.

    >>> from ocr_clean.notes import crosscheck, markdown_footnotes
    >>> report = crosscheck(cleaned_text)
    >>> report.ok, report.missing, report.orphans
    >>> report = crosscheck(cleaned_text, read_ledger("cleaned/book.ledger.jsonl"))
    >>> report.placed, report.to_confirm, report.queued, report.missing
    >>> md = markdown_footnotes(cleaned_text)     # body with [^N] + "[^N]: ..." definitions

With the run's ledger, each note is one of: *placed* (its marker is in the text),
*to confirm* (in the text, but applied with a confidence below ``REVIEW_BELOW``: a person
confirms it), *queued* (no marker in the text, one waits in the review queue) or
*missing* (no marker and nothing queued).  Without a ledger nothing is known to be
pending: a note is placed or missing.

The body's markers are the ``[^N]`` written by the ``footnotes`` stage; the notes are
the entries ``N. ...`` of the notes section (found as the stage finds it: a heading such
as "Notes and acknowledgments" followed by entries numbered 1, 2, 3...).  No
typer/rich here: the CLI (``ocr-clean notes``) only prints what this returns.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from .note_numbers import MARKER, find_notes_section
from .policy import REVIEW_BELOW

__all__ = ["Marker", "Note", "Report", "crosscheck", "markdown_footnotes", "notes_of"]

DISPLACE_WINDOW = 3   # how many places late a marker may sit (page-foot notes)
# an applied edit below REVIEW_BELOW goes to a person as well (the confidence policy's default)

# a paragraph that closes the notes section: a short heading line without final punctuation
_HEADING_LIKE = re.compile(r"^[^\n.:;!?\"]{1,60}$")


@dataclass
class Marker:
    n: int
    line: int        # 1-based line of the cleaned text
    context: str


@dataclass
class Note:
    n: int
    line: int
    text: str        # the note without its number, paragraphs joined by "\n\n"


@dataclass
class Report:
    """What a cleaned book's markers and notes say about each other."""

    notes: int = 0                          # notes in the notes section (the last entry's number)
    markers: int = 0                        # markers [^N] in the body
    section_found: bool = False
    section_line: int = 0
    missing: list[int] = field(default_factory=list)          # no marker in the text, none queued
    placed: list[int] = field(default_factory=list)           # a marker in the text, not awaiting a person
    to_confirm: list[int] = field(default_factory=list)       # in the text, applied below REVIEW_BELOW
    queued: list[int] = field(default_factory=list)           # not in the text, waiting in the review queue
    orphans: list[int] = field(default_factory=list)          # markers without a note
    duplicates: list[int] = field(default_factory=list)       # numbers marked more than once
    out_of_order: list[tuple[int, int]] = field(default_factory=list)  # (n, the highest number before it)
    # a marker a few places late, e.g. in an author's page-foot note printed after the next
    # marker: reported, but not an error (the printed book has it there too)
    displaced: list[tuple[int, int]] = field(default_factory=list)
    entries_missing: list[int] = field(default_factory=list)  # numbers the notes section lacks
    marker_list: list[Marker] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every note has exactly one marker, in sequence, and every marker has a note."""
        return (self.section_found and not self.missing and not self.queued and not self.orphans
                and not self.duplicates and not self.out_of_order and not self.entries_missing)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["ok"] = self.ok
        d["marker_list"] = [asdict(m) for m in self.marker_list]
        return d


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def notes_of(text: str) -> tuple[int, list[Note], int]:
    """(start of the notes heading, the notes, end of the notes section) of a cleaned text."""
    sec = find_notes_section(text)
    if sec is None:
        return len(text), [], len(text)
    notes: list[Note] = []
    entries = sec.entries
    end = len(text)
    for k, e in enumerate(entries):
        head_end = e.end
        stop = entries[k + 1].start if k + 1 < len(entries) else len(text)
        body = text[head_end:stop]
        if k + 1 == len(entries):
            # the last note ends before the next heading-like paragraph (e.g. "Other writings")
            paras = body.split("\n\n")
            kept = [paras[0]]
            for p in paras[1:]:
                if _HEADING_LIKE.match(p.strip()) and p.strip():
                    break
                kept.append(p)
            body = "\n\n".join(kept)
            end = head_end + len(body)
        paras = [re.sub(r"\s*\n\s*", " ", p).strip() for p in body.split("\n\n")]
        notes.append(Note(e.n, _line_of(text, e.start), "\n\n".join(p for p in paras if p)))
    return sec.heading_start, notes, end


def review_state(edits: Iterable) -> tuple[set[int], set[int]]:
    """From a run's ledger (``Edit`` objects or their dicts): the note numbers whose marker was
    applied below ``REVIEW_BELOW`` (still to confirm), and those whose marker is queued."""
    low: set[int] = set()
    queued: set[int] = set()
    for e in edits:
        get = e.get if isinstance(e, dict) else (lambda k, d=None, e=e: getattr(e, k, d))
        if get("stage", "footnotes") != "footnotes" or not str(get("rule", "")).startswith("marker-"):
            continue
        m = MARKER.search(get("after", "") or "")
        if m is None:
            continue
        status, conf = get("status", "applied"), get("confidence", 1.0)
        if status == "queued":
            queued.add(int(m.group(1)))
        elif status in ("applied", "guessed") and conf < REVIEW_BELOW:
            low.add(int(m.group(1)))
    return low, queued


def crosscheck(text: str, edits: Iterable | None = None) -> Report:
    """Markers without a note, notes without a marker, markers out of order, duplicates, counts.

    ``edits``: the run's ledger, to tell placed markers from those awaiting a person.
    """
    sec = find_notes_section(text)
    rep = Report()
    body_end = len(text)
    have: set[int] = set()
    if sec is not None:
        rep.section_found = True
        rep.section_line = _line_of(text, sec.heading_start)
        rep.notes = sec.count
        have = {e.n for e in sec.entries}
        rep.entries_missing = [n for n in range(1, sec.count + 1) if n not in have]
        body_end = sec.heading_start
    found = []
    for m in MARKER.finditer(text, 0, body_end):
        n = int(m.group(1))
        lo, hi = max(0, m.start() - 40), min(len(text), m.end() + 20)
        found.append(Marker(n, _line_of(text, m.start()), text[lo:hi].replace("\n", " ")))
    rep.marker_list = found
    rep.markers = len(found)
    counts = Counter(m.n for m in found)
    rep.duplicates = sorted(n for n, c in counts.items() if c > 1)
    low, queued = review_state(edits) if edits is not None else (set(), set())
    absent = [n for n in range(1, rep.notes + 1) if n not in counts]
    rep.queued = [n for n in absent if n in queued]
    rep.missing = [n for n in absent if n not in queued]
    rep.to_confirm = sorted(n for n in counts if n in low and n in have)
    rep.placed = sorted(n for n in counts if n not in low and n in have)
    rep.orphans = sorted(n for n in counts if n not in have)
    top = 0
    seen: set[int] = set()
    for m in found:
        if m.n <= top:
            # late by a few places, with the numbers around it present: a displaced marker
            local = top - m.n <= DISPLACE_WINDOW and all(k in seen for k in range(m.n + 1, top + 1))
            (rep.displaced if local and m.n not in seen else rep.out_of_order).append((m.n, top))
        seen.add(m.n)
        top = max(top, m.n)
    return rep


def markdown_footnotes(text: str) -> str:
    """The book for Markdown: the body with its ``[^N]`` markers, then ``[^N]: text`` definitions.

    The notes section (heading and entries) is replaced by the definitions, placed at
    the end; what followed the notes section stays where it was.  A note of several
    paragraphs keeps them, indented as Markdown footnotes continue.
    """
    start, notes, end = notes_of(text)
    if not notes:
        return text
    body = text[:start].rstrip("\n")
    rest = text[end:].strip("\n")
    defs = []
    for note in notes:
        paras = note.text.split("\n\n")
        defs.append(f"[^{note.n}]: " + "\n\n    ".join(paras))
    parts = [body]
    if rest:
        parts.append(rest)
    parts.append("\n\n".join(defs))
    return "\n\n".join(parts) + "\n"
