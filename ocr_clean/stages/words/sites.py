"""words: where the forms that may change stand in the text, with their neighbours; the
stretches too unreadable to correct word by word; the spans a person still has to decide."""
from __future__ import annotations

import bisect

from ...errmodel import ErrorModel
from ...ledger import APPLIED, QUEUED
from .rules import odd_piece, parted_pair, unreadable_runs
from .tokens import _glued, _lower, _short_capitals


MARKERS_PER_NOTE = 10      # glued numbers a note entry may stand for, in a text with footnote markers


class _Sites:
    """The finding half of a run (mixed into :class:`~ocr_clean.stages.words.run._Run`)."""

    # -- decisions -------------------------------------------------------------------------
    def decide_all(self, model: ErrorModel, first: list | None = None) -> list:
        """One pass over the text: the decision at each site (``None`` for a token looked at
        and kept).  Triage first: the verdict on a word form is reached once a pass, and only
        the occurrences of the forms that may change are looked at in their context (found on
        the first pass, kept for the second).  On the second pass (``first`` given) a site
        none of whose candidates uses a family the text has re-weighted keeps its decision."""
        self._types = {}
        self._memo = {}                               # (the costs may have changed: weigh again)
        self._pass_memo = {}
        if self._sites is None:
            self._sites = self._find_sites(model)
        learned = self.learned
        out: list = []
        for k, (m, core, low, prev, nxt, _) in enumerate(self._sites):
            cands = self.cands_of(core, low, model)
            if cands is None:
                out.append(None)
            elif first is not None and not any(f in learned for c in cands for f in c.families):
                out.append(first[k])
            else:
                e = self.decide(m, core, low, prev, nxt, cands)
                out.append(self._settled(e, m.start(), m.end(), self.text[m.start() + len(core):m.end()]))
        return out

    def decide_joins(self) -> list:
        """The decision at each join site (``None`` where the two tokens stay as they stand);
        a site an earlier stage queued a fix over keeps only a decision that settles it."""
        return [self._settled(self.decide_join(*site), site[0].start(), site[1].end()) for site in self._joins]

    def _find_sites(self, model: ErrorModel) -> list:
        """Every occurrence of a form that may change, with its neighbours (lower case, None
        where a mark or a line stands between), outside the unreadable stretches."""
        text = self.text
        toks, groups = self.toks, self.groups
        self.unreadable = self._unreadable(toks, groups)
        if self.unreadable:
            inside = self._in_spans(self.unreadable)
            readable = {g for s, g in zip(toks.starts, groups) if not inside(s)}
        else:
            inside, readable = None, None
        live: dict[str, tuple[str, str]] = {}
        lex = self.stage.lexicon
        names_kept = self.shift >= self.cfg["clean_shift"]
        for tok, (core, low) in self.cores().items():
            if readable is not None and tok not in readable:
                continue                              # only found where the text cannot be read
            if core in lex.protected or low in lex.user_lower:
                continue                              # a person's own word, or a fix a person rejected
            if names_kept and core[:1].isupper() and self.freq(low) == 0:
                continue                              # in a clean text, a capitalized word no list knows is a name
            if self.cands_of(core, low, model) is not None:
                live[tok] = (core, low)
        sites: list = []
        pending = self._pending()
        self._joins = self._find_joins(toks, groups, inside, pending)
        if not live:
            return sites
        markers = self._digit_markers()
        last = len(toks) - 1
        get = live.get
        for k in [k for k, g in enumerate(groups) if g in live]:
            if _short_capitals(groups[k]) and not self._set_in_capitals(k):
                continue                              # an acronym (USA), not a word set in capitals
            m = toks[k]
            got = get(groups[k])
            if (markers and _glued(text, m.start())) or (inside and inside(m.start())):
                continue
            if self._held(pending, m.start(), m.end()):
                continue
            core, low = got
            prev = _lower(groups[k - 1]) if k and self._adjacent(toks[k - 1], m) else None
            nxt = None
            if core == groups[k] and k < last and self._adjacent(m, toks[k + 1]):
                nxt = _lower(groups[k + 1])           # (after a clitic, no neighbour)
            sites.append((m, core, low, prev, nxt, k))
        return sites

    def stable(self, decisions: list) -> list:
        """The decisions less those that would not stand a second clean (see :meth:`_settle`);
        where two sure readings of neighbours only stand together (``thb tim`` -> ``the time``),
        both are taken, and the whole checked again (``settle_rounds`` times at most)."""
        for _ in range(self.cfg["settle_rounds"]):
            joint: dict = {}
            out = self._settle(decisions, joint)
            if not joint:
                return out
            decisions = list(out)
            for j, e in joint.items():
                decisions[j] = e
        return self._settle(decisions, None)

    def _settle(self, decisions: list, joint: dict | None) -> list:
        """The decisions less those that would not stand a second clean: a reading that makes
        a neighbouring form change in turn (``con ect`` -> ``con act`` -> ``can act``) is
        no fixed point, and the raw text stays (cleaning a cleaned text must change nothing)."""
        at = {site[5]: k for k, site in enumerate(self._sites)}
        model = self.stage.model
        out = list(decisions)
        for k, e in enumerate(decisions):
            if e is None or " " in e.after:
                continue
            word = _lower(e.after)
            ti = self._sites[k][5]
            for j, side in ((at.get(ti - 1), "next"), (at.get(ti + 1), "prev")):
                if j is None:
                    continue
                m, core, low, prev, nxt, _ = self._sites[j]
                if (side == "next" and nxt is None) or (side == "prev" and prev is None):
                    continue                          # not neighbours in a sentence
                cands = self.cands_of(core, low, model)
                if cands is None:
                    continue
                again = self.decide(m, core, low, word if side == "prev" else prev,
                                    word if side == "next" else nxt, cands)
                was = decisions[j]
                # only a neighbour that would then be changed breaks the fixed point: one queued
                # for a person keeps its raw text (tu tho -> tu the: tu -> to is a question)
                if again is not None and self.stage.would_apply(again.confidence) \
                        and (was is None or not self.stage.would_apply(was.confidence)):
                    if joint is not None and self.stage.would_apply(e.confidence) \
                            and self.stage.would_apply(again.confidence):
                        joint[j] = again              # read together: both misread (thb tim -> the time)
                    else:
                        out[k] = None                 # the neighbour would change (or be applied) in turn
                    break
        return out

    def _find_joins(self, toks, groups, inside, pending) -> list:
        """The pairs of neighbouring tokens one space apart that may be one word the OCR
        parted, and misread besides (``hui ricane``, ``b ing``, ``nomlnat on``): one of the two
        is no word or a lone letter (:func:`~.rules.parted_pair`), and the two joined are not too
        long; or two of small letters a mark apart, one of them no word at all
        (:func:`_marked_pair`: ``ques-tlon``, ``clo.e``).  Each with the words beside it (lower
        case, None where a mark stands between), and whether the pair is only *loosely* parted:
        a piece is a word, but one rarer than ``piece_freq`` (``short_piece_freq`` for two
        letters: ``ni ht``, ``hims lf``); such a pair is read only as it stands joined or with
        the space a lost letter, never by a search."""
        text, cfg = self.text, self.cfg
        max_len = cfg["max_token"]
        known, common = self._known_word, self._common_piece
        odd = {t for t in self.types if t.isalpha() and odd_piece(_lower(t), common)}
        out: list = []
        last = len(toks) - 1
        for k in range(last):
            if groups[k] not in odd and groups[k + 1] not in odd:
                continue
            m1, m2 = toks[k], toks[k + 1]
            if m2.start() - m1.end() != 1 or text[m1.end()] not in _SEPARATORS:
                continue
            t1, t2 = m1.group(), m2.group()
            if not (t1.isalpha() and t2.isalpha()) or len(t1) + len(t2) > max_len:
                continue
            if text[m1.end()] != " " and not _marked_pair(text[m1.end()], t1, t2, known):
                continue
            if not (t2.islower() or (t1.isupper() and t2.isupper() and len(t1) > 1)):
                continue                              # a capital after the space: a name, a new sentence
            l1, l2 = _lower(t1), _lower(t2)                # (a long s as the s it is: ſet is set)
            if not parted_pair(l1, l2, common):
                continue
            if inside and (inside(m1.start()) or inside(m2.start())):
                continue
            if self._held(pending, m1.start(), m2.end()):
                continue
            prev = _lower(toks[k - 1].group()) if k and self._adjacent(toks[k - 1], m1) else None
            nxt = _lower(toks[k + 2].group()) if k + 1 < last and self._adjacent(m2, toks[k + 2]) else None
            out.append((m1, m2, l1, l2, prev, nxt, not parted_pair(l1, l2, known)))
        return out

    def _set_in_capitals(self, k: int) -> bool:
        """Does the k-th token stand in a line set in capitals: every neighbour a word of
        capitals, one at least of four letters or more that English knows (``NOW IS THB TIME``;
        not ``the USA and``, nor a run of initials ``J. W. S.``)?"""
        groups = self.groups
        near = [groups[j] for j in (k - 1, k + 1) if 0 <= j < len(groups)]
        return bool(near) and all(w.isalpha() and w.isupper() and len(w) > 1 for w in near) \
            and any(len(w) >= 4 and self.freq(w.lower()) > 0 for w in near)

    def _known_word(self, low: str) -> bool:
        return self.freq(low) > 0

    def _common_piece(self, low: str) -> bool:
        """A piece that stands as a word of its own: one English knows at least ``piece_freq``
        (two letters: ``short_piece_freq``), or a word of English the text itself uses
        ``piece_uses`` times (its names and terms: ``trotsky``, ``collectivization``; the
        collection's counts when it belongs to one)."""
        least = self.cfg["short_piece_freq"] if len(low) <= 2 else self.cfg["piece_freq"]
        f = self.freq(low)
        if f >= least:
            return True
        return f > 0 and self.vocab is not None and self.vocab.count(low) >= self.cfg["piece_uses"]

    def _unreadable(self, toks, groups) -> list[tuple[int, int]]:
        """The stretches of the text where most words are known to no list (more than
        ``max_unknown`` of a run of ``window`` words): a table, a passage in another language,
        or OCR too damaged to read word by word.  The stage does not guess there (and does not
        spend a search on every form of it); the ledger says so."""
        cfg = self.cfg
        n, share = cfg["window"], cfg["max_unknown"]
        cores, freq = self.cores(), self.freq
        unknown = {tok for tok, (core, low) in cores.items() if core == tok and freq(low) == 0}
        least = share * (n // 5)
        if sum(self.types[t] for t in unknown) < least:
            return []                                 # too few unknown words for any window
        bad_at = [s for s, g in zip(toks.starts, groups) if g in unknown]
        spans: list[tuple[int, int]] = []
        text, a = self.text, 0
        while a < len(text):                          # paragraph by paragraph (never across a blank line)
            b = text.find("\n\n", a)
            b = len(text) if b < 0 else b
            if bisect.bisect_left(bad_at, b) - bisect.bisect_left(bad_at, a) >= least:
                i, j = bisect.bisect_left(toks.starts, a), bisect.bisect_left(toks.starts, b)
                self._judge([toks[k] for k in range(i, j) if groups[k] in cores], unknown, spans)
            a = b + 2
        return spans

    def _judge(self, words, unknown, spans) -> None:
        """Add to ``spans`` (text offsets) the unreadable runs of one paragraph's ``words``."""
        flags = [m.group() in unknown for m in words]
        for i, j in unreadable_runs(flags, self.cfg["window"], self.cfg["max_unknown"]):
            spans.append((words[i].start(), words[j - 1].end()))

    @staticmethod
    def _in_spans(spans):
        starts = [a for a, _ in spans]

        def inside(pos: int) -> bool:
            k = bisect.bisect_right(starts, pos) - 1
            return k >= 0 and pos < spans[k][1]

        return inside

    def _digit_markers(self) -> bool:
        """Does the text's profile show footnote markers printed as numbers glued to words
        (flattened superscripts: ``revolution.lo`` is marker 10 misread, the footnotes stage's)?
        Measured, that takes the notes they point to as well: a note entry for every
        ``MARKERS_PER_NOTE`` glued numbers at least (a run of newspapers glues figures to words
        and has no notes section; a book's glued numbers are its markers)."""
        prof = getattr(self.doc, "profile", None)
        habit = getattr(prof, "footnote_markers", None)
        if habit is None or habit.value != "digits" or habit.confidence < 0.5:
            return False
        ev = habit.evidence or {}
        if "digit_markers" not in ev:                 # set by a [scan] table, not measured
            return True
        return ev.get("note_entries", 0) * MARKERS_PER_NOTE >= ev["digit_markers"]

    def _pending(self):
        """A test of whether a span of the text holds a fix an earlier stage queued for a
        person, or one a person decided (rejected, accepted, edited): the raw reading stays
        until it is decided, and a decision is not ours to undo; None when there is none.
        The test answers True (leave the span alone), False (free), or, for a token whose only
        pending fixes an earlier stage queued, the token's text as each of them would make it:
        a second opinion that agrees with one of them, sure enough to apply, settles it
        (:meth:`_settled`)."""
        doc = self.doc
        if doc is None or doc.text is not self.text:
            return None
        held = sorted(((e.raw_start, e.raw_end, e) for e in doc.ledger.loose() if e.status != APPLIED),
                      key=lambda t: (t[0], t[1]))
        if not held:
            return None
        starts = [a for a, _, _ in held]
        raw, text = doc.raw, self.text

        def pending(start: int, end: int):
            r0, r1 = doc.raw_offset(start), doc.raw_offset(max(start, end - 1)) + 1
            k = bisect.bisect_right(starts, r1) - 1
            found = []
            while k >= 0 and held[k][0] < r1:
                a, b, e = held[k]
                if b > r0 or a == r0:
                    found.append(e)
                k -= 1
                if k >= 0 and r0 - held[k][0] > 200:
                    break
            if not found:
                return False
            if any(e.status != QUEUED or e.raw_start < r0 or e.raw_end > r1 for e in found) \
                    or raw[r0:r1] != text[start:end]:
                return True
            return tuple(raw[r0:e.raw_start] + e.after + raw[e.raw_end:r1] for e in found)

        return pending

    def _held(self, pending, start: int, end: int) -> bool:
        """Is the span ``start:end`` left to a person (:meth:`_pending`'s test)?  A span whose
        only pending fixes an earlier stage queued is not: the texts they would make are kept
        for :meth:`_settled`, a second opinion."""
        held = pending(start, end) if pending else False
        if held is True:
            return True
        if held:
            self._agree[start, end] = held
        return False

    def _settled(self, e, start: int, end: int, tail: str = ""):
        """The decision ``e`` on the span ``start:end`` (whose text after it ends in ``tail``),
        or None where an earlier stage queued a fix there that ``e`` does not settle: a span
        :meth:`_held` kept for a second opinion takes only the same text as one of the queued
        fixes, sure enough to apply.  (In a text too short for the confusion stage's profile,
        ``rneeting`` -> ``meeting`` is queued there and applied here, the word pairs agreeing;
        the split_words stage's open ``liberal s`` is joined.)"""
        held = self._agree.get((start, end))
        if held is None or (e is not None and self.stage.would_apply(e.confidence) and e.after + tail in held):
            return e
        return None

    def _adjacent(self, a, b) -> bool:
        """Two tokens are neighbours in a sentence: nothing but spaces and light marks between."""
        gap = self.text[a.end():b.start()]
        return len(gap) <= 3 and not any(c in ".!?;:()[]\"\u201c\u201d" or c == "\n" for c in gap)

    def _sentence_start(self, m) -> bool:
        before = self.text[max(0, m.start() - 4):m.start()].rstrip()
        return not before or before[-1] in ".!?:\"\u201c"


_SEPARATORS = " -.,:;"


def _marked_pair(mark: str, t1: str, t2: str, known) -> bool:
    """Are ``t1`` and ``t2``, a ``mark`` apart with no space, one word the OCR parted?  Both of
    small letters and one no word at all (:func:`~.rules.parted_pair`): a hyphen between pieces
    of two letters and more (a line-end hyphen the unit's lines lost: ``ques-tlon``; a compound,
    ``well-known``, ``e-mail``, ``X-ray``, stays), a full stop, comma, colon or semicolon where
    the pieces hold four letters and more (a letter read as a mark: ``clo.e``, ``w.ves``; an
    abbreviation, ``e.g``, ``a.m``, stays).

    >>> known = {"well", "known", "the", "e", "mail", "question"}.__contains__
    >>> _marked_pair("-", "ques", "tlon", known), _marked_pair("-", "well", "known", known)
    (True, False)
    >>> _marked_pair(".", "clo", "e", known), _marked_pair(".", "e", "g", known), _marked_pair("-", "e", "mail", known)
    (True, False, False)
    """
    if not (t1.islower() and t2.islower()) or not parted_pair(t1, t2, known):
        return False
    if mark == "-":
        return len(t1) > 1 and len(t2) > 1
    return len(t1) + len(t2) >= 4
