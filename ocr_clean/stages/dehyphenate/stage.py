"""The dehyphenate stage: finds every line-break run (:mod:`.scanners`), decides what each
becomes (:mod:`.rules`, from the book's counts in :mod:`.counts`) and proposes the edits."""
from __future__ import annotations

import collections
import operator
from typing import Any


from ...document import Document
from ...ledger import APPLIED, Edit
from ...ledger_batch import PlainEdits, as_edits, loose_edits, moved_before
from ...policy import SCORED
from ...profile import SOFT_MARKS, profile_of
from ..base import Stage, register
from .counts import BookCounts
from .rules import (Evidence, decide, kept_as_scanned, paragraph_break, punctuation_break, readings,
                    space_join, text_end)
from .scanners import RIGHT_HALF, breaks_from_nl, token_at_end, tokens_at


@register
class Dehyphenate(Stage):
    name = "dehyphenate"
    description = ("Join line breaks inside paragraphs: a space after a line that ended with one, "
                   "else the word joined, restoring a hyphen or dash when the book's evidence says so.")
    defaults: dict[str, Any] = {
        # a half is a "good word" with this English Zipf frequency or this many uses in the book
        "good_zipf": 3.0,
        "good_book": 3,
        # a capitalised second half marks a compound when it is a word: this many uses in the book
        "good_book_capital": 2,
        # the book's evidence: the winner needs this many times the loser's count to be sure
        "book_ratio": 3.0,
        # ... or, the other spelling never seen, this many uses
        "book_sure_uses": 2,
        # English only: a joined form at least this frequent is a word (joined for sure);
        # between uncertain_zipf and this, the reading is uncertain
        "join_zipf": 3.0,
        "uncertain_zipf": 1.0,
        # in the uncertain band, join when the joined form is at least this frequent
        "prefer_join_zipf": 2.0,
        # the book's habit with a prefix / suffix counts when it shows this many word types,
        # and a half counts as an affix when its glued uses outnumber its own uses this much
        "affix_min_types": 3,
        "affix_ratio": 3.0,
        # a restored hyphen is uncertain when the book writes the two halves as two words so often
        "separate_min": 2,
        # a break next to punctuation: the marks before it read back this far
        "punctuation_reach": 40,
        "confidence_uncertain": 0.6,
        "confidence_english": 0.9,
        "confidence_dash": 0.8,
        # the confidence policy, for the readings the evidence leaves open (join-uncertain):
        # applied from apply_threshold, else queued over the scan's text (kept-as-scanned)
        # from queue_threshold, else dropped (the scan's text stays)
        "apply_threshold": 0.7,
        "queue_threshold": 0.0,
        # ...but an open join whose joined form English knows this often (Zipf) is not truly
        # split: it is applied at the uncertain confidence (shown for review), not queued
        "open_join_zipf": 2.0,
    }
    settings_help = {
        "good_zipf": "a half is a good word with this English Zipf frequency...",
        "good_book": "...or this many uses in the book",
        "good_book_capital": "a capitalised second half marks a compound when the book uses it this often",
        "book_ratio": "the book's evidence: the winner needs this many times the loser's count to be sure",
        "book_sure_uses": "...or, the other spelling never seen in the book, this many uses",
        "join_zipf": "English only: a joined form at least this frequent (Zipf) is a word, joined for sure",
        "uncertain_zipf": "English only: below join_zipf and from this frequency the reading is uncertain",
        "prefer_join_zipf": "in the uncertain band, join when the joined form is at least this frequent",
        "affix_min_types": "the book's habit with a prefix or suffix counts when it shows this many word types",
        "affix_ratio": "a half is an affix when its glued uses outnumber its own uses this much",
        "separate_min": "a restored hyphen is uncertain when the book writes the halves as two words this often",
        "punctuation_reach": "characters read back from a break next to punctuation",
        "confidence_uncertain": "confidence of a reading the evidence leaves uncertain",
        "confidence_english": "confidence of a reading decided by English frequencies or the book's counts",
        "confidence_dash": "confidence of a hyphen kept in a number range or number-word pair",
        "apply_threshold": "an open reading (join-uncertain) of at least this confidence is applied...",
        "queue_threshold": "...else queued for a person from this confidence (the scan's text kept)",
        "open_join_zipf": "an open join whose joined word English knows this often (Zipf) is applied for review, not queued",
    }

    # -- the stage ----------------------------------------------------------------------
    def propose(self, text: str, doc: Document | None = None) -> list[Edit]:
        """One edit per line-break run, in text order (:meth:`proposals`, as Edit objects)."""
        return as_edits(self.proposals(text, doc))

    def proposals(self, text: str, doc: Document | None = None) -> list[Edit | PlainEdits]:
        """One edit per line-break run: the space joins as one :class:`PlainEdits` (100,000
        short lines: 100,000 joins, no object each), the others as Edits in text order.

        Fast because the run is found from its newline (``BREAK_FROM_NL``, a C-speed scan),
        the common cases (a line ending with one space: two breaks in three; in ordinary OCR
        a bare line end) are told apart by that scan (groups 1, 2) and cost one row of ``joins``, and the tokens at a
        continuation break are read once (:func:`.scanners.tokens_at`): they are the halves
        that are no evidence (``fragments``, counted in C) and they hold the halves the
        decision needs.
        """
        prof = profile_of(text, doc)
        joins = PlainEdits("space-join", " ")
        edits, conts = self._breaks(text, prof, joins)
        if conts:
            self._continuations(text, edits, conts, prof)
        edits = [e for e in edits if type(e) is not int]    # (a join's end, or a break kept as it is)
        off = self.disabled & JOINS
        if off:
            if UNCERTAIN in off:    # the scan's text kept stands for an open join
                off = off | {STANDIN}
            edits = [_apart(text, e) if e.rule in off else e for e in edits]
        if joins:
            edits.append(joins)
        return edits

    def follow_up(self, doc: Document, recorded: list[Edit]) -> list[Edit]:
        """The readings the evidence left open, proposed over the scan's text.

        Where the likelier reading of a break changes the scan's text (``land`` /
        ``holdings`` -> ``land-holdings`` in a scan whose lines go on without a space; ``re-``
        / ``singing`` -> ``resinging``), :meth:`propose` keeps the scan's text, only the line
        break taken out (``kept-as-scanned``: a sane text for the later stages, every
        paragraph one line).  Over it, in a batch of its own, the reading is proposed at
        the uncertain confidence (``join-uncertain``, status ``SCORED``): the confidence
        policy queues it (or applies it, from ``apply_threshold``).  A person accepting it
        gets the reading, rejecting it the scan's text; both replay from the ledger.
        """
        loose = loose_edits(recorded)     # (a stand-in has candidates: never a packed row)
        if not any(map(STANDIN.__eq__, map(_RULE, loose))):
            return []
        conf = self.config["confidence_uncertain"]
        standins = [e for e in loose if e.rule == STANDIN and e.status == APPLIED and e.candidates]
        # how far the batch moved the text before each of them (by position)
        moved = moved_before(recorded, [(e.start, e.end) for e in standins])
        out = []
        for e, by in zip(standins, moved):
            at = e.start + by
            out.append(Edit(at, at + len(e.after), e.candidates[0], UNCERTAIN, conf, SCORED,
                            e.candidates, e.note, evidence=dict(e.evidence)))
        return out

    def _breaks(self, text: str, prof, joins: PlainEdits) -> tuple[list[Edit | int | None], list[tuple]]:
        """An edit for every line-break run decided by its layout alone (a space join: a row
        of ``joins``, and its end in the list; a paragraph break that is one already: only its
        end, no edit); None in the place of each continuation (a line that ended without a
        space), listed in ``conts``."""
        edits: list[Edit | int | None] = []   # one per line-break run; None: a continuation, decided below
        append, join = edits.append, joins.spans.extend
        conts = []           # (index in edits, start, end, line start, the tokens at the break)
        n = len(text)
        m = None
        marks = prof.hyphen_marks
        at_end = token_at_end(marks)
        # ordinary OCR: a bare line end is a break between words; only a hyphen mark after a
        # letter or digit can join a word across it
        ordinary = not prof.continues_without_space
        for m in breaks_from_nl(marks, ordinary).finditer(text):
            nl, e = m.span()
            more = m.lastindex               # 1, 2: the commonest space-joins; 3: 2+ newlines
            if more and more < 3:            # (space_join: a line that ended with a space, or
                join((nl - 1 if more == 1 else nl, e))     # in ordinary OCR a bare line end)
                append(e)
                continue
            s = nl
            while s and text[s - 1] in " \t":      # the run starts with the line's trailing spaces
                s -= 1
            inner = s and e < n and not more       # a break inside a paragraph
            if inner and space_join(s < nl, ordinary, text[s - 1] in marks and s > 1 and text[s - 2].isalnum()):
                join((s, e))
                append(e)
            elif e >= n:
                append(Edit(s, e, text_end(), "text-end"))
            elif more or s == 0:            # 2+ newlines, or the text starts with one
                after = paragraph_break(s == 0)
                if e - s == len(after) and text.startswith(after, s):
                    append(e)               # (a paragraph break already: nothing to change)
                else:
                    append(Edit(s, e, after, "paragraph-break"))
            else:
                ls = text.rfind("\n", 0, s) + 1
                conts.append((len(edits), s, e, ls, *tokens_at(text, s, e, ls, at_end)))
                append(None)
        if not text.endswith("\n") and (m is None or m.end() < n):
            tail = len(text.rstrip(" \t"))      # the last line, without trailing spaces
            append(Edit(tail, n, text_end(), "text-end"))
        return edits, conts

    def _continuations(self, text: str, edits: list[Edit | None], conts: list[tuple], prof) -> None:
        """The edits of the continuation breaks, put in their places in ``edits``."""
        # the word halves at continuation breaks are not counted as words
        fragments = collections.Counter(map(operator.itemgetter(4), conts))
        fragments.update(map(operator.itemgetter(6), conts))
        fragments.pop(None, None)
        ctx = Evidence(self.config, self.lexicon, BookCounts(text, fragments))
        decided: dict = {}     # (a, b, hyphen_line) -> the readings decided: pairs recur
        for i, s, e, ls, ltok, lend, rtok in conts:
            # never into the previous edit (a one-word line)
            prev = edits[i - 1] if i else 0
            prev_end = prev if type(prev) is int else prev.end
            edits[i] = self._continuation(text, s, e, ls, ltok, lend, rtok, prev_end, ctx, decided,
                                          prof.hyphen_marks, prof.dash)

    # -- a line that ended without a space ------------------------------------------------
    def _continuation(self, text: str, s: int, e: int, ls: int, ltok: str | None, lend: int,
                      rtok: str | None, prev_end: int, ctx: Evidence, decided: dict,
                      marks: str = "-", dash: str = "-") -> Edit:
        """The edit for the break ``text[s:e]`` after a line without a trailing space.

        ``ltok`` (ending at ``lend``) / ``rtok`` (starting at ``e``): the tokens at the break
        (:func:`.scanners.tokens_at`).  The word halves are their last / first part: the regex
        took that part greedily from the break, as a search for the part alone would, and a
        part holds no hyphen.  The decision and its readings are made once for each pair of
        halves (:func:`.rules.readings`); a break only places them.
        """
        mark = text[s - 1]
        hyphen_line = mark in marks
        bstart = e
        if not hyphen_line and text.startswith("-", e) and e + 1 < len(text) and text[e + 1].isalpha():
            hyphen_line = True                     # the scan moved the hyphen: "his" / "-torical"
            rm = RIGHT_HALF.match(text, e + 1)
            b, bstart = rm and rm.group(), e + 1
        else:
            b = rtok and rtok.partition("-")[0]
        if ltok is None or b is None:
            start, end, after, rule, conf, cands, note = punctuation_break(
                text, s, e, max(ls, prev_end), hyphen_line, self.config, dash)
            return Edit(start, end, after, rule, conf, APPLIED, cands, note)
        a = ltok.rpartition("-")[2]
        soft = hyphen_line and mark in SOFT_MARKS
        key = (a, b, hyphen_line, soft)
        made = decided.get(key)
        if made is None:
            ev: dict = {}
            made = decided[key] = readings(a, b, decide(a, b, hyphen_line, ctx, ev, soft)) + (ev,)
        after, rule, conf, cands, note, ev = made
        # the span: both halves and the break; never into the previous edit (a one-word line)
        lstart = lend - len(a)
        start = lstart if lstart >= prev_end else prev_end
        cut = start - lstart
        if cut:
            after, cands = after[cut:], tuple([r[cut:] for r in cands])
        end = bstart + len(b)
        if rule == UNCERTAIN and not (after == (a + b)[cut:] and
                                      ev.get("english_zipf", -1.0) >= self.config["open_join_zipf"]):
            # the evidence truly split (the book's counts or habits, or English barely
            # knowing the joined word): a reading that changes the scan's text is queued over it
            scanned = kept_as_scanned(text[start:s], text[e:end])
            if scanned != after:
                return Edit(start, end, scanned, STANDIN, 1.0, APPLIED, cands, note, evidence=ev)
        return Edit(start, end, after, rule, conf, APPLIED, cands, note, evidence=ev)


UNCERTAIN, STANDIN = "join-uncertain", "kept-as-scanned"
_RULE = operator.attrgetter("rule")
# the rules that join a word broken across a line
JOINS = frozenset({"word-join", "soft-hyphen", "hyphen-restored", "compound", "range", "join-uncertain"})


def _apart(text: str, e: Edit) -> Edit:
    """A join whose rule is switched off: the halves stay apart, on one line (the break as one
    space), as the review keeps a join a person rejected; never a line break left inside a
    paragraph."""
    left, _, right = text[e.start:e.end].partition("\n")
    return Edit(e.start, e.end, left.rstrip(" \t") + " " + right.lstrip(" \t"), "space-join",
                note=f"{e.rule} switched off: the halves kept apart")
