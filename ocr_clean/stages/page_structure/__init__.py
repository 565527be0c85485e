"""Page structure: from the scan's lines to paragraphs.

The scan gives one printed line per text line, with the habits of the book's pages:

* the first line of a page starts with one space;
* running heads (``MANIFESTO ON CHINA / 21.``, ``114 / WRITINGS OF ...``, garbled or split
  over lines) and bare page numbers (``34``, ``:106``, ``5 9``) survive here and there,
  usually after a run of blank lines, cutting a sentence in two;
* blank lines: one between paragraphs, runs of three or five around article starts, but
  also stray ones inside sentences, and at the start of a paragraph the break is often
  displaced one line down (the blank follows the paragraph's first line);
* short lines (titles, datelines, salutations, signatures) stand on their own in print
  but often have no blank line around them here;
* page-foot notes (``* In reality ...``) sit where the page ended, inside a sentence.

The stage writes the text contract of docs/CONTRIBUTING.md: paragraphs separated by exactly
one blank line, the scan's line breaks (and each line's trailing spaces) kept inside a
paragraph, no blank line at the start, one newline at the end.  Every change is an edit
with a rule name; removed heads and numbers keep their text in the ledger.

Rules (edit.rule): ``running-head``, ``page-number`` (the removed lines, after="", queued
when weak), ``page-start-space``, ``blank-run`` (blank lines dropped around a break or a
removal), ``mid-sentence-blank`` (a blank line inside a sentence), ``moved-paragraph-break``
(the blank after a paragraph's first line moved back before it), ``short-line-break``
(titles, datelines, salutations, signatures, headings), ``list-item-break``,
``paragraph-break``, ``footnote-move`` / ``caption-move`` (a note or caption cutting a
sentence goes after its paragraph: a deletion and an insertion), ``footnote-break``,
``leading-blank``, ``trailing-blank``, ``final-newline``.

Nothing here knows the book: page numbers are read with the glyph table of
``ocr_clean/dictionaries/page_structure.tsv`` and accepted when they fit the sequence of page numbers
found in the same text; the line width is measured from the text around each line.

The package, in reading order: ``patterns`` (line tests, the page-number glyph table, blocks
and gaps), ``measure`` (widths, what a line is), ``heads`` (running heads and page numbers),
``foot_notes`` (page-foot notes and captions), ``decisions`` (the gap between two lines),
``edits`` (the edits), ``stage`` (the ``PageStructure`` class that ties them).
"""
from __future__ import annotations

from .patterns import _LIST_ITEM, _LIST_ITEM_LINE, _ascii_lower
from .stage import PageStructure

__all__ = ["PageStructure"]
