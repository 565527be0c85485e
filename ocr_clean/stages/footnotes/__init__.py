"""footnotes: restore footnote reference markers as ``[^N]`` by the book's own sequence.

The scan flattens a superscript note number into the text: ``Kai-shek.7``, ``the
issue.8``, often misread (``organized.s`` = 5, ``Zinoviev1oo`` = 100), broken by
spaces (``Neumann 17``, ``testament, 1 1 6``) or unreadable (``InternationaV`` = 3).
Plain patterns cannot tell these from the many decoys (``35,800,000``, ``1:8``,
``then1`` for *them*, list numbers, years).  The signal is the sequence: notes are
numbered 1..N through the book, so the markers are the one increasing run 1, 2, 3...

1. The notes section is found (a heading line such as "Notes and acknowledgments"
   followed by entries numbered 1, 2, 3...); its entries are chosen by the same
   sequence method, and the last entry's number is N (no constant).  Each entry is
   written ``N. `` (``8 .`` -> ``8.``, ``124\ufffd`` -> ``124.``; an entry run into
   the paragraph before it starts its own paragraph).
2. Every token of the body that could hold a marker gives firm readings: clean
   digits glued to a word, digits broken by spaces, a number alone on its line after
   a title, and glyphs decoded with the glyph map (``ocr_clean/dictionaries/footnote_glyphs.tsv``:
   ``}O7`` = 107, a 1 read as a brace and a 0 as O).  Each reading has a cost.
3. Dynamic programming picks the chain of readings, increasing in number and in
   position, that best covers 1..N (each number placed earns, each number skipped
   costs, each reading costs its glyph cost).
4. A clean marker left out because it sits out of order (an author's page-foot note
   printed after the next marker) is taken back when it falls among its neighbours.
5. For the numbers still missing, and only in the stretch of text where they are
   missing, tails with unreadable glyphs (``ocr_clean/dictionaries/footnote_unreadable.tsv``)
   are tried: a stray capital glued to the word or to its closing mark stands for the
   whole number, 3 digits too (``leadershipY``, ``sevenH``, ``courage.V``; never a word's
   own capitals, ``USSR``, ``SaaS``), a capital inside a run for lost digits (``FrankeP47``,
   ``Varga, IDS``, a year with a capital glued to it ``1923H``, a word whose l was read
   I ``WeIP\u00b7B``), and marks that read as no digits at all: a short tail mixing a
   letter and a symbol after a word and its punctuation (``severe.a!``), a run of
   glyphs set apart at the end of a paragraph (``party." l t-!``).  The chain is chosen
   again.  Where the scan shows no mark at all, the place where the words the note is
   about occur (its title, or its subject's name or year) is suggested to a reviewer
   (status "queued").

Rules (the Edit's ``rule``): ``marker-clean``, ``marker-spaced``, ``marker-glyph``, ``marker-position``
and ``note-entry``.  A marker placed by position only (an unreadable tail) is applied
with confidence 0.7 when both neighbours N-1 and N+1 are firm readings and no other
unreadable tail of the scan could be N between them (the two neighbours pin it down);
a run of k missing numbers between firm neighbours whose stretch holds exactly k such
marks (two readings of one mark, ``}O7`` and ``O7``, are one) is applied in order, and so is a mark that reads as no digits, or one whose
word's letters are rewritten, alone in its stretch: these with confidence 0.6 (below
0.65, so a person confirms them too).  Otherwise the marker is queued with the other
numbers it could be as candidates.  A suggestion from the note's words is always
queued: on this book, where a note's words put a marker, the printed marker stands
there about 3 times in 4, and all the markers the scan seemed to have lost had a mark
elsewhere (``1923H`` for 14 where the note names "the March days in 1921").
Markers already written (``[^N]``: a second run, a reviewer's decision) hold their place.

The package, in reading order:

- ``scanners``: the fast finding code (each scanner equals a plain reference pattern).
- ``glyphs``: the glyph map and the decoder of a tail into note numbers.
- ``vocab``: what the book knows (its words, a letter a mark swallowed).
- ``tails``: reading one token's tail; what is not a marker.
- ``candidates``: every candidate of the body, and those of the chain's gaps.
- ``notes_section``: the entries ``N. ``, and what a note is about.
- ``rules``: the decisions (applied, pinned, queued; out of order; a lost full stop).
- ``stage``: the ``Footnotes`` stage that ties them.
"""
from __future__ import annotations

from ...note_numbers import Cand, best_chain, find_notes_section
from .candidates import body_candidates, wild_candidates
from .glyphs import TailDecoder, load_glyphs
from .notes_section import note_keys, note_subject, text_candidates
from .stage import Footnotes, Placement, plan_markers
from .tails import WildTail

__all__ = ["Cand", "Footnotes", "Placement", "TailDecoder", "WildTail", "best_chain", "body_candidates",
           "find_notes_section", "load_glyphs", "note_keys", "note_subject", "plan_markers",
           "text_candidates", "wild_candidates"]
