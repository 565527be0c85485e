"""The notes section: its entries written ``N. `` (rule ``note-entry``), and what each note
is about (its title, or its subject's names and years), which suggests where a marker the
scan lost stood (rule ``marker-position``, always queued)."""
from __future__ import annotations

import re

from ...ledger import Edit
from ...note_numbers import ENTRY_DOT, Cand, NotesSection


def entry_edits(text: str, sec: NotesSection) -> list[Edit]:
    """Each entry written ``N. `` (``8 .`` -> ``8.``, ``124\ufffd`` -> ``124.``).

    An entry number without its full stop gets one only when the book prints "N. " (at
    least 4 entries in 5 have it); else it stays as printed."""
    dotted = sum(1 for e in sec.entries if ENTRY_DOT.search(text, e.start, e.end))
    add_dot = dotted >= 0.8 * len(sec.entries)
    edits = []
    for e in sec.entries:
        before = text[e.start:e.end]
        if before == e.after or (not add_dot and not ENTRY_DOT.search(before)):
            continue
        edits.append(Edit(e.start, e.end, e.after, "note-entry", 1.0 if e.cost < 1 else 0.9,
                          note=f"note {e.n}"))
    return edits


# the subject of a note ends at its first verb or parenthesis: "Karl Kautsky (1854-1938) was..."
SUBJECT_END = re.compile(r"\(| (?:was|were|is|are|refers?|means?|became|had|has)\b|[;:]|\.(?: |$)")
KEY_TERM = re.compile(r"\b(?:[A-Z][\w'\u2019-]{3,}|\d{4})\b")
CLOSE_PUNCT = re.compile(r"[.,;:!?)\]\"'\u2019\u201d]*")


def note_subject(note: str) -> tuple[str, bool]:
    """What a note is about: the title it gives (True) or its subject up to the first verb."""
    head = note.strip()[:200]
    q = re.match(r"[\"'\u201c]+([^\"\u201d]{4,120}?)[.,]?[\"\u201d]", head)
    if q:                                  # '"Manifesto on China..." The Militant...' -> the title
        return q.group(1), True
    cut = SUBJECT_END.search(head)
    return (head[:cut.start()] if cut else head[:80]), False


def note_keys(note: str) -> list[str]:
    """Names and years that a note is about: its subject, or the title it gives."""
    subject, title = note_subject(note)
    words = KEY_TERM.findall(subject)
    if words and not title and words[0] in ("The", "This", "These", "There", "From", "When"):
        words = words[1:]
    return list(dict.fromkeys(words))[:6]


def text_candidates(text: str, n: int, note: str, lo: int, hi: int, cost: float) -> list[Cand]:
    """Where the words a note is about occur between its neighbours' markers (no mark in the scan).

    Only a hint for a reviewer (always queued): after the note's title when the text
    quotes it, else after the name or year of the note's subject (the last of its words
    when several occur together: "Fritz Heckert", "the March days in 1921").
    """
    if hi <= lo:
        return []
    subject, title = note_subject(note)
    at = -1
    if title and len(subject) >= 8:
        m = re.search(re.escape(subject.strip()), text[lo:hi], re.I)
        if m:
            at = lo + m.end()
    if at < 0:
        keys = note_keys(note)
        if not keys:
            return []
        flags = re.I if title else 0       # a title may be printed in small letters in the text
        hits: list[tuple[int, int, int]] = []
        for rank, k in enumerate(keys):
            for m in re.finditer(r"\b" + re.escape(k) + r"\b", text[lo:hi], 0 if k[0].isdigit() else flags):
                hits.append((lo + m.start(), lo + m.end(), rank))
        if not hits:
            return []
        hits.sort()
        best = None
        for a, b, rank in hits:
            near = {r for aa, bb, r in hits if b - 90 <= aa and bb <= b}
            score = (len(near), rank)
            if best is None or score > best[0]:
                best = (score, b)
        need = 2 if len(keys) >= 3 else 1
        if best[0][0] < need:
            return []
        at = best[1]
    end = CLOSE_PUNCT.match(text, at).end()
    if "\n" not in text[at:end]:
        at = end
    return [Cand(at, at, n, cost, "marker-position", "", True)]

