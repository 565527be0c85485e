"""punctuation: stray spaces around marks, misread quotes, split apostrophes, bracket pairs.

Works on the text after ``dehyphenate`` (one paragraph a line, paragraphs separated by a
blank line); every paragraph is handled on its own.  The rules (each edit carries its
rule name):

* ``space-before-punct``: ``1931 .`` -> ``1931.``, ``a faction ?`` -> ``a faction?``,
  ``i .e.`` -> ``i.e.``; the spaced ellipsis ``. . .`` (house style) is never touched;
* ``space-after-open``: ``( Bolshevik-Leninists`` -> ``(Bolshevik-Leninists``;
* ``double-space``: runs of spaces inside a paragraph -> one space; ``edge-space``: spaces
  at a paragraph's start or end are dropped;
* ``quote-space``: a double quote with a stray space on both sides is opening or closing
  according to the paragraph's quote structure (quotes alternate; a quote glued to a word
  on one side is an anchor): ``" democratic`` -> ``"democratic``, ``deception "`` -> ``deception"``;
* ``quote-glyph``: a double quote misread as ``/I``, ``1/``, ``II``, ``li``... (patterns in
  ``ocr_clean/dictionaries/punctuation.tsv``), accepted only where the quote structure wants a quote,
  and for a glued prefix (``liThe``) only when the rest is a known word.  ``World War II``
  and words like ``like`` are left alone by construction; a roman-numeral reading (``II``
  after a capitalised word) is only ever queued;
* ``apostrophe-space``: ``weren 't`` -> ``weren't``, ``Landau 's`` -> ``Landau's``,
  ``Trotsky' S`` -> ``Trotsky's``, ``Workers ' and`` -> ``Workers' and``;
  ``apostrophe-case``: ``Trotsky'S`` -> ``Trotsky's`` (not in an all-capitals word);
* ``bracket-mismatch``: a pair opened with ``(`` and closed with ``]`` (or the reverse) is
  made one kind of bracket, the kind the book itself uses for contents of that shape;
  queued unless the book's habit is clear;
* ``bracket-bang``: ``[ I ]`` -> ``[!]`` where the book itself writes bracketed ``!``.

Digits glued after words or punctuation (footnote markers) and a lone ``'`` after a word
(possibly a misread marker) are left for the footnotes stage.

The package, in reading order:

- ``patterns``: the marks and glyphs looked for, and the glyph table (punctuation.tsv).
- ``scanners``: the fast finding code (each scanner equals a search of the whole text).
- ``rules``: the decisions, each a registered rule with its settings and an example.
- ``quotes``: the quote structure of a paragraph, for ``quote-glyph`` and ``quote-space``.
- ``stage``: the ``Punctuation`` stage that ties them.
"""
from __future__ import annotations

from .patterns import Patterns
from .scanners import _matches_at, _non_overlapping
from .stage import Punctuation

__all__ = ["Patterns", "Punctuation", "_matches_at", "_non_overlapping"]
