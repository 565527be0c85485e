"""Footnotes of a cleaned book: cross-check markers against notes; export Markdown footnotes.

    >>> from ocr_clean.notes import crosscheck, markdown_footnotes
    >>> report = crosscheck(cleaned_text)
    >>> report.ok, report.missing, report.orphans
    >>> md = markdown_footnotes(cleaned_text)     # body with [^N] + "[^N]: ..." definitions

The body's markers are the ``[^N]`` written by the ``footnotes`` stage; the notes are
the entries ``N. ...`` of the notes section (found as the stage finds it: a heading such
as "Notes and acknowledgments" followed by entries numbered 1, 2, 3...).  No
typer/rich here: the CLI (``ocr-clean notes``) only prints what this returns.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from .stages.footnotes import MARKER, find_notes_section

__all__ = ["Marker", "Note", "Report", "crosscheck", "markdown_footnotes", "notes_of"]

DISPLACE_WINDOW = 3   # how many places late a marker may sit (page-foot notes)

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
    missing: list[int] = field(default_factory=list)          # notes without a marker
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
        return (self.section_found and not self.missing and not self.orphans
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


def crosscheck(text: str) -> Report:
    """Markers without a note, notes without a marker, markers out of order, duplicates, counts."""
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
    rep.missing = [n for n in range(1, rep.notes + 1) if n not in counts]
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
