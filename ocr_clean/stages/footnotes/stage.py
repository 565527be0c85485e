"""The footnotes stage: ties the parts together.

Finds the notes section (:func:`find_notes_section`), writes its entries (:mod:`.notes_section`),
reads the body's candidates (:mod:`.candidates`, :mod:`.tails`, found by :mod:`.scanners`),
chooses the chain of markers (:func:`best_chain`), and decides each marker (:mod:`.rules`).
"""
from __future__ import annotations

from dataclasses import dataclass

from ...ledger import APPLIED, Edit
from ...lexicon import BookVocab
from ...note_numbers import NotesSection, best_chain, find_notes_section
from ...profile import profile_of
from ..base import Stage, register
from .candidates import body_candidates, wild_candidates
from .glyphs import TailDecoder, load_glyphs
from .notes_section import entry_edits
from .rules import SentenceStarters, lost_full_stop, marker_decision, take_back_out_of_order
from .vocab import _Known


@register
class Footnotes(Stage):
    name = "footnotes"
    description = "Footnote reference markers as [^N], chosen by the book's sequence of notes; note entries as 'N. '"
    defaults = {
        "earn": 2.0,            # score of each number placed
        "skip": 1.0,            # cost of each number left out
        "spaced_cost": 0.8,     # "Neumann 17"
        "alone_cost": 0.6,      # a number alone on its line after a title
        "glyph_base": 0.2,      # added to the glyph map's costs
        "wild_cost": 1.0,       # an unreadable glyph in a partly read tail
        "position_cost": 1.6,   # an unreadable tail: placed by position only
        "position_apply": True,  # apply a position-only marker that both neighbours confirm
        "position_confidence": 0.7,
        "loose_cost": 0.3,      # a tail that is plainly a mark but reads as no digits ("severe.a!")
        "pinned_confidence": 0.6,  # a run of such marks, or a loose tail, pinned by firm neighbours
        "text_cost": 2.5,       # no mark in the scan: where the note's words occur (always queued)
        "order_window": 3,      # an out-of-order marker may sit this many markers away
        # a misread mark glued to a word and followed by a word that only starts sentences
        # ("occupationY This") hid a full stop: restored, and put before a person
        "starter_share": 0.05,
        "lost_stop_confidence": 0.6,
    }
    data_files = ("footnote_glyphs.tsv", "footnote_unreadable.tsv")
    settings_help = {
        "earn": "score of each number placed",
        "skip": "cost of each number left out",
        "spaced_cost": "cost of a marker spaced from its word (\"Neumann 17\")",
        "alone_cost": "cost of a number alone on its line after a title",
        "glyph_base": "added to the glyph map's costs",
        "wild_cost": "cost of an unreadable glyph in a partly read tail",
        "position_cost": "cost of an unreadable tail placed by position only",
        "position_apply": "apply a position-only marker that both neighbours confirm",
        "position_confidence": "confidence of a marker placed by position only",
        "loose_cost": "cost of a tail that is plainly a mark but reads as no digits (\"severe.a!\")",
        "pinned_confidence": "confidence of a run of such marks, or a loose tail, pinned by firm neighbours",
        "text_cost": "cost of a marker with no mark in the scan, placed where the note's words occur (queued)",
        "order_window": "an out-of-order marker may sit this many markers away",
        "starter_share": "a word is a sentence starter when at most this share of its uses are mid-sentence",
        "lost_stop_confidence": "confidence of a full stop restored before a sentence starter (\"occupationY This\")",
    }

    def propose(self, text, doc) -> list[Edit]:
        cfg = self.config
        # a text the profile finds without notes or markers (or set so in [scan]) gets no edit
        if profile_of(text, doc).footnote_markers.value == "none":
            return []
        sec = find_notes_section(text)
        if sec is None:
            return []
        edits = entry_edits(text, sec)
        plan = plan_markers(text, sec, self.lexicon, cfg, self.book_vocab(text, doc))
        starters = None
        for p in plan:
            after, conf, note, cands = p.after, p.confidence, p.note, p.candidates or (p.after,)
            if p.rule not in ("marker-clean", "marker-spaced") and p.status == APPLIED:
                if starters is None:
                    starters = SentenceStarters(text[:sec.heading_start], cfg["starter_share"])
                word = lost_full_stop(text, p.start, p.end, starters)
                if word:
                    # "occupationY This": the misread mark swallowed the full stop before it
                    after = "." + p.after
                    conf = min(conf, cfg["lost_stop_confidence"])
                    note += f"; full stop restored: '{word}' starts sentences only"
                    cands = (after, p.after)
            edits.append(Edit(p.start, p.end, after, p.rule, conf, p.status, candidates=cands, note=note))
        return edits


@dataclass(slots=True)
class Placement:
    start: int
    end: int
    n: int
    after: str
    rule: str
    confidence: float
    status: str
    note: str
    candidates: tuple[str, ...] = ()


def plan_markers(text: str, sec: NotesSection, lexicon, cfg: dict | None = None,
                 vocab: BookVocab | None = None) -> list[Placement]:
    """The markers of the body text[:sec.heading_start], as placements in text order.
    ``vocab`` is the book's vocabulary of ``text`` (counted here when not given)."""
    cfg = {**Footnotes.defaults, **(cfg or {})}
    max_n = sec.count
    decoder = TailDecoder(load_glyphs(), cfg["wild_cost"], max_n)
    known = _Known(lexicon, text, vocab)
    firm, wild = body_candidates(text, sec.heading_start, decoder, known, cfg)
    kw = dict(earn=cfg["earn"], skip=cfg["skip"])
    chain = best_chain(firm, max_n, **kw)
    chain, late = take_back_out_of_order(chain, firm, cfg["order_window"])
    notes = {e.n: text[e.end:e.end + 300] for e in sec.entries}
    extra = wild_candidates(chain, wild, max_n, cfg, text[:sec.heading_start], notes)
    if extra:
        chain = best_chain(firm + extra, max_n, **kw)
        # the out-of-order markers stay: a position-only reading never displaces them
        late_n = {c.n for c in late}
        spans = [(c.start, c.end) for c in late]
        chain = [c for c in chain if c.n not in late_n and not any(a < c.end and c.start < b for a, b in spans)]
        chain = sorted(chain + late, key=lambda c: c.start)
    late_ids = {id(c) for c in late}
    by_n = {c.n: c for c in chain}
    out = []
    for c in chain:
        if c.rule == "existing":
            continue
        after = f"{c.prefix}[^{c.n}]"
        status, conf, note = marker_decision(c, by_n, extra, id(c) in late_ids, cfg)
        others = ()
        if c.wild:   # the other numbers this span could be, for the reviewer
            others = tuple(f"{x.prefix}[^{x.n}]" for x in sorted(extra, key=lambda x: x.cost)
                           if x.start == c.start and x.end == c.end and x.n != c.n)
        out.append(Placement(c.start, c.end, c.n, after, c.rule, conf, status, note, (after,) + others))
    return _one_insertion_a_point(out)


def _one_insertion_a_point(out: list[Placement]) -> list[Placement]:
    """In text order; two insertions at one point cannot both stand: the first is kept."""
    kept, last_point = [], None
    for p in sorted(out, key=lambda p: (p.start, p.end)):
        if p.start == p.end:
            if last_point == p.start:
                continue
            last_point = p.start
        kept.append(p)
    return kept
