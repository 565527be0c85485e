"""Numbered notes, shared by the footnotes stage and the notes check (:mod:`ocr_clean.notes`):
the notes section of a text (the last "Notes" heading followed by entries 1, 2, 3...), its
entry numbers, and the best chain of numbered candidates (increasing in number and position).

    >>> sec = find_notes_section("Body text.[^1]\\n\\nNotes\\n\\n1. A note.\\n\\n2. Another.\\n")
    >>> sec.count, [c.n for c in sec.entries]
    (2, [1, 2])

Not a stage: it proposes no edits, and imports nothing of ours.
"""
from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

HEADING = re.compile(r"(?m)^[ \t]*notes\b[^\n]{0,50}$", re.I)
# where it can start: a line start before the word ("[nN]" is all that "n" matches ignoring
# case), found from the line break (a literal: the engine skips to it, much faster)
_NOTES_LINE = re.compile(r"\n(?=[ \t]*[nN])")
# an entry at a paragraph start: "254. ", "8 . ", "124\ufffd ", " 3. "
ENTRY_START = re.compile(r"(?m)^[ \t]*(\d{1,3})([ \t]*)([.,:;\u00b7\ufffd]?)([ \t]*)(?=(\S))")
# where it can start: a line start before a number, found from the line break
_NUMBER_LINE = re.compile(r"\n(?=[ \t]*\d)")
# an entry run into the paragraph before it (a page-start entry the scan did not set apart)
ENTRY_INLINE = re.compile(r"(?<=[\w.)\"'!?\]])([ \t]{1,3})(\d{1,3})([ \t]?)\.([ \t]+)(?=[\"'(A-Z])")
# where it can end: a full stop after a digit (and a space) before a space, found from the
# full stop (a literal: the engine skips to it; a pattern that starts with a digit is tried
# at every character)
_NUMBER_STOP = re.compile(r"\.(?:(?<=\d\.)|(?<=\d[ \t]\.))[ \t]")
ENTRY_DOT = re.compile(r"\d[ \t]*[.,:;\u00b7\ufffd]")
ENTRY_FIRST = re.compile(r"[\"'(\[A-Z\u00c0-\u00de\u2018\u201c]")
MARKER = re.compile(r"\[\^(\d+)\]")


@dataclass(slots=True)
class Cand:
    """One reading: replace text[start:end] with prefix + "[^n]"."""

    start: int
    end: int
    n: int
    cost: float
    rule: str
    prefix: str = ""
    wild: bool = False
    after: str = ""
    loose: bool = False      # read from a tail no digit reading fits: any missing number

    def moved(self, d: int) -> "Cand":
        """The same reading ``d`` characters further on (built directly: dataclasses.replace
        is several times slower, and a cached token's readings are moved at each use)."""
        return Cand(self.start + d, self.end + d, self.n, self.cost, self.rule, self.prefix,
                    self.wild, self.after, self.loose)


# -- the chain -------------------------------------------------------------------------------
def best_chain(cands: list[Cand], max_n: int, *, earn: float = 2.0, skip: float = 1.0,
               reach: int = 40, end_penalty: bool = True) -> list[Cand]:
    """The chain of non-overlapping candidates, increasing in number and position, of best score.

    Score: ``earn - cost`` for each candidate, ``- skip`` for each number left out
    (before the first, between two, and after the last up to ``max_n``).  Ties go to the
    chain whose steps are shorter in the text.
    """
    if not cands:
        return []
    eps = 1e-7
    order = sorted(range(len(cands)), key=lambda i: (cands[i].start, cands[i].end))
    score = [0.0] * len(cands)
    back = [-1] * len(cands)
    best_by_n: dict[int, tuple[float, int]] = {}   # n -> (score + eps*pos, index)
    get = best_by_n.get
    pending: list[tuple[int, int]] = []            # (end, index) not yet closed
    skips = [skip * d for d in range(reach + 1)]   # skip * (numbers left out between two)
    for i in order:
        c = cands[i]
        start, n = c.start, c.n
        while pending and pending[0][0] <= start:
            _, j = heapq.heappop(pending)
            key = score[j] + eps * cands[j].start
            nj = cands[j].n
            if nj not in best_by_n or key > best_by_n[nj][0]:
                best_by_n[nj] = (key, j)
        gain = earn - c.cost
        at = eps * start
        top = gain - skip * (n - 1) - at
        arg = -1
        for m in range(n - 1, max(0, n - reach) - 1, -1):
            e = get(m)
            if e is not None:
                v = e[0] - at + gain - skips[n - m - 1]
                if v > top:
                    top, arg = v, e[1]
        score[i], back[i] = top, arg
        heapq.heappush(pending, (c.end, i))
    final = [score[i] - (skip * (max_n - cands[i].n) if end_penalty else 0.0) for i in range(len(cands))]
    i = max(range(len(cands)), key=lambda k: final[k])
    if final[i] <= -skip * max_n if end_penalty else final[i] <= 0:
        return []                                  # no better than placing nothing
    chain = []
    while i >= 0:
        chain.append(cands[i])
        i = back[i]
    return chain[::-1]


# -- the notes section -------------------------------------------------------------------
@dataclass
class NotesSection:
    heading_start: int          # where the heading line starts (the body ends here)
    start: int                  # where the entries start (after the heading line)
    end: int                    # end of the section
    entries: list[Cand]         # chosen entries, in order (n, span of the number)

    @property
    def count(self) -> int:
        return self.entries[-1].n if self.entries else 0


def entry_candidates(text: str, lo: int, hi: int, decoder: object = None) -> list[Cand]:
    """Entry numbers in text[lo:hi]: at paragraph starts, or run into the paragraph before."""
    out: list[Cand] = []
    # the line starts before a number (ENTRY_START matches nowhere else)
    lines = [m.end() for m in _NUMBER_LINE.finditer(text, max(lo - 1, 0), hi)]
    for m in matches_from(ENTRY_START, text, [0] + lines if lo == 0 else lines, lo, hi):
        prev_blank = m.start() < 2 or text[m.start() - 2] == "\n" or m.start() == lo
        n = int(m.group(1))
        if n < 1 or m.group(1)[0] == "0":
            continue
        dot = m.group(3)
        cost = 0.0 if dot == "." and not m.group(2) else (0.3 if dot else 0.9)
        if not m.group(4) and not dot:
            continue                       # "1930s", "1st": no entry
        if not prev_blank:
            cost += 0.3
        if not ENTRY_FIRST.match(m.group(5)):
            cost += 0.4                    # "18. possibilism", "102. liThe"
        out.append(Cand(m.start(), m.end(), n, cost, "note-entry", after=f"{n}. "))
    # an inline entry starts at the first of 1-3 spaces, 2 to 7 characters before its full stop
    starts = []
    for m in _NUMBER_STOP.finditer(text, lo, hi):
        dot = m.start()
        for p in range(max(lo, dot - 7, starts[-1] + 1 if starts else 0), dot - 1):
            if text[p] in " \t" and (p == 0 or text[p - 1] not in " \t"):
                starts.append(p)
    for m in matches_from(ENTRY_INLINE, text, starts, lo, hi):
        n = int(m.group(2))
        if n < 1 or m.group(2)[0] == "0":
            continue
        cost = 1.0 if not text[m.start() - 1].isalnum() else 1.3
        out.append(Cand(m.start(), m.end(), n, cost, "note-entry", after=f"\n\n{n}. "))
    return out


def matches_from(rx: re.Pattern, text: str, starts: list[int], lo: int, hi: int):
    """The matches ``rx.finditer(text, lo, hi)`` gives, given (ascending) every place where one
    could start: each place is tried in turn, but not inside the match before it."""
    last = lo
    for p in starts:
        if p >= last:
            m = rx.match(text, p, hi)
            if m:
                last = m.end()
                yield m


def find_notes_section(text: str) -> NotesSection | None:
    """The notes section: the last "Notes..." heading line followed by entries 1, 2, 3..."""
    best = None
    starts = [0] + [m.end() for m in _NOTES_LINE.finditer(text)]
    heads = [h for h in matches_from(HEADING, text, starts, 0, len(text))
             if len(h.group(0).split()) <= 6 and not MARKER.search(h.group(0))]
    if not heads:
        return None
    every = entry_candidates(text, heads[0].end(), len(text))
    for h in heads:
        start = h.end()
        cands = [c for c in every if c.start >= start]
        if not cands or text.count("\n", start, min(c.start for c in cands)) > 6:
            continue                       # no entry soon after the heading (as below: quicker)
        chain = best_chain(cands, 10 ** 6, end_penalty=False)
        if not chain or chain[0].n > 3 or (len(chain) < 2 and chain[0].n != 1):
            continue
        # the first entry must come soon after the heading
        if text[start:chain[0].start].count("\n") > 6:
            continue
        if best is None or len(chain) >= len(best.entries):
            best = NotesSection(h.start(), start, len(text), chain)
    return best
