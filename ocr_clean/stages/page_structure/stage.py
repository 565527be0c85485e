"""The page_structure stage: the class that ties the parts (each a mixin of its methods:
the per-text state lives on a copy of the stage, see ``propose``)."""
from __future__ import annotations

import copy
import itertools
import operator
from array import array
from typing import Any

from ...document import Document
from ...ledger import Edit
from ...profile import profile_of
from ..base import Stage, register
from .decisions import _Decisions
from .edits import _Edits
from .foot_notes import _FootNotes
from .heads import _Heads
from .measure import _Measure
from .patterns import _Block, _LEAD_LINE, _load_tables, _NOT_NUMBER_BYTES


@register
class PageStructure(_Measure, _Heads, _FootNotes, _Decisions, _Edits, Stage):
    name = "page_structure"
    data_files = ("page_structure.tsv",)
    description = ("Remove running heads, page numbers and page-start spaces; join the scan's "
                   "lines into paragraphs separated by one blank line; move page-foot notes "
                   "out of the sentence they interrupt.")
    defaults: dict[str, Any] = {
        "short_ratio": 0.8,        # a line shorter than this share of the local width is short
        "very_short_ratio": 0.6,   # ... and this one is very short (titles, datelines)
        "note_width_ratio": 1.1,   # page-foot notes are set in lines longer than this
        "width_window": 150,       # lines either side used to measure the local width
        "max_head_lines": 3,       # a running head split by the scan over up to this many lines
        "number_tolerance": 2.5,   # pages a wildcard page number may be off its prediction
        "queue_below": 0.7,        # removals less confident than this are queued
        "max_lone_page": 1000,     # a lone number this high is a year, not a page
    }
    settings_help = {
        "short_ratio": "a line shorter than this share of the local width is short",
        "very_short_ratio": "... and this one is very short (titles, datelines)",
        "note_width_ratio": "page-foot notes are set in lines longer than this",
        "width_window": "lines either side used to measure the local width",
        "max_head_lines": "a running head split by the scan over up to this many lines",
        "number_tolerance": "pages a wildcard page number may be off its prediction",
        "queue_below": "removals less confident than this are queued",
        "max_lone_page": "a lone number this high is a year, not a page",
    }

    # ------------------------------------------------------------------------------------
    def propose(self, text: str, doc: Document) -> list[Edit]:
        if not text:
            return []
        # the per-text state lives on a copy: one stage object may serve many texts at once
        return copy.copy(self)._propose(text, profile_of(text, doc))

    def _propose(self, text: str, prof=None) -> list[Edit]:
        prof = prof or profile_of(text)
        self.t = _load_tables()
        lines = text.split("\n")
        n = len(lines)
        # line k starts after the k earlier lines and their newlines
        # (offsets and line numbers in arrays of machine integers: 100,000 short lines would
        # make each list of them 3 MB of int objects)
        starts = array("q", map(operator.add, itertools.accumulate(map(len, lines[:-1]), initial=0),
                                range(n)))
        strip = list(map(str.strip, lines))
        blank = list(map(operator.not_, strip))
        self.text, self.starts = text, starts
        # a line's leading space marks a page start, or (the profile says) a paragraph
        self.indent_lines: list[int] = []
        self.lead_lines = self._lines_where(_LEAD_LINE)
        if prof.paragraph_indent:
            self.indent_lines, self.lead_lines = self.lead_lines, []
        self.indented = frozenset(self.indent_lines)
        self.lpp = prof.lines_per_page.value
        lead = [False] * n
        for i in self.lead_lines:
            lead[i] = True
        # the lines of text after a blank line: where blank goes from True to False
        self.after_blank = list(itertools.compress(itertools.count(1),
                                                   map(operator.gt, blank, blank[1:])))
        # what a page number or a running head needs: an ASCII digit or a slash
        digit_lines = text.encode("utf-8", "surrogatepass").translate(None, _NOT_NUMBER_BYTES)
        self.number_lines = list(itertools.compress(itertools.count(), digit_lines.split(b"\n")))
        self.lines, self.strip, self.blank, self.lead, self.n = lines, strip, blank, lead, n
        self.width = self._widths()
        # the line tests asked more than once, kept by line (None: not asked yet)
        self._first_memo: list[str | None] = [None] * n
        self._end_memo: list[bool | None] = [None] * n
        self._soft_memo: list[bool | None] = [None] * n
        self._capwords_memo: list[bool | None] = [None] * n
        # the scan ends a line with a space unless a word goes on: trust that sign only
        # in a text that has it (not in text whose lines were joined already)
        nonblank = n - blank.count(True)
        self.spaced = prof.continues_without_space

        self.head_titles: list[str] = []
        blocks = self._heads_and_numbers()
        taken = set()
        for b in blocks:
            taken.update(range(b.first, b.last + 1))
        for b in self._title_heads(taken):
            blocks.append(b)
            taken.add(b.first)
        blocks += self._notes(taken)
        blocks.sort(key=lambda b: b.first)
        # kept (non-interrupting) notes are content: their lines flow, with breaks around
        block_at: dict[int, _Block] = {}
        for b in blocks:
            if b.kind != "note-kept":
                for k in range(b.first, b.last + 1):
                    block_at[k] = b
        self.block_at = block_at
        flows = list(map(operator.not_, blank))   # the lines that are not blank nor removed
        for k in block_at:
            flows[k] = False
        content = array("q", itertools.compress(range(n), flows))
        if not content and nonblank:
            # every line would go as a head or a page number: there is no page for them to be
            # the heads of, so they are the text (never remove all of it)
            blocks, self.block_at = [], {}
            content = array("q", itertools.compress(range(n), map(operator.not_, blank)))
        if not content:   # nothing but blank lines
            edits: list[Edit] = []
            self._clear(edits, text, starts, 0, 0, "blank-run")
            return edits
        gaps = self._decide(content, blocks)
        return self._edits(text, starts, content, gaps, blocks)
