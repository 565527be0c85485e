"""words: correct the words any OCR engine misreads, by a noisy channel with word-pair context.

    "tbe Government"  -> "the Government"       (b/h)
    "advioes state"   -> "advices state"        (c/o)
    "brouglit"        -> "brought"              (li/h)
    "in tho sum"      -> "in the sum"           (e/o, a real word that the context rejects)
    "m some measure"  -> "in some measure"      (m/in)
    "thefe firft"     -> "these first"          (long s, when the text shows that habit)

For every token the stage weighs two hypotheses: *kept* (the token was printed as it stands)
and *misread* (it is one of the candidate words that the general error model,
:mod:`ocr_clean.errmodel`, reaches from it).  Each is scored::

    score(word) = log10 P(word | previous word) + log10 P(next word | word) - cost(token | word)
    score(kept) = the same for the token itself, with the odds that a token is read intact

* the word-pair probabilities come from :mod:`ocr_clean.langmodel` (English pairs that ship
  in a package) over English frequencies and the text's own counts (a form the text or the
  collection uses again and again is a word of its own: a name, a period spelling);
* ``cost`` is the sum of the confusions used (``dictionaries/ocr_errors.tsv``), re-weighted by
  the families the text's own sure fixes show (a first pass over the text);
* a historical spelling (``shew``, ``connexion``, ``publick``, ``honour``, ``returne``) is a word:
  a form that period spelling rules (``dictionaries/historical_spelling.tsv``) turn into an
  English word is kept, unless the change is long s (``f`` for ``s``) in a text that shows it.

Triage first: a common word in a common pair is an anchor and is not searched; a common word
is only doubted through the cheapest confusions, and changed only where both its neighbours
speak against it.  The best reading's share of the total score is the edit's confidence:
applied from ``apply_threshold``, queued (raw text kept) from ``queue_threshold``.  The ledger
records the family, the candidates and the evidence (frequencies, pair odds, cost).

The package: ``tokens`` (what a token is and what of it may change), ``rules`` (the named
decisions), ``run`` (one text: its habits and the candidates of its forms), ``sites`` (where
the forms stand, the unreadable stretches), ``decide`` (a site weighed in its context), and
this module, the stage.
"""
from __future__ import annotations

import bisect
import math
import weakref

import regex

from ...errmodel import DeleteIndex, ErrorModel, NearIndex, PrefixIndex
from ...langmodel import CharModel, LanguageModel
from ...languages import ForeignStretches, from_settings, withhold_inside
from ...ledger import QUEUED, Edit
from ...lexicon import marshal_cached
from ...policy import status_for
from ...settings import ConfigError
from ..base import Stage, register
from .rules import foreign_stretch
from .run import _Run
from .tokens import LONG_S, TOKEN, _word_like, load_historical

def _long_word(w: str) -> bool:
    """A word of four letters or more, letters and inner apostrophes only."""
    return len(w) >= 4 and _word_like(w)


@register
class Words(Stage):
    name = "words"
    description = "correct misread words by a general OCR error model with word-pair context (tbe->the, m->in)"
    defaults = {
        "apply_threshold": 0.85,
        "queue_threshold": 0.55,
        "intact": 0.97,
        "unknown_word": 5e-9,
        "name_word": 3e-7,
        "text_prior": 1e5,
        "common_margin": 1.3,
        "word_margin": 1.0,
        "anchor_freq": 1e-4,
        "cheap_cost": 2.2,
        "rare_freq": 1e-6,
        "candidate_min_freq": 1e-7,
        "generic": 3.0,
        "generic_search": True,
        "generic_min_len": 5,
        "mixed_min_len": 6,
        "mixed_distance": 2,
        "two_min_len": 7,
        "near_min_freq": 1e-6,
        "generic_min_freq": 1e-6,
        "max_cost": 4.5,
        "long_cost": 0.6,
        "max_token": 30,
        "unmarked_misreads": True,
        "digit_short_freq": 1e-4,
        "long_s_cost": 0.6,
        "long_s_lookalike_cost": 1.5,
        "long_s_letter": "auto",
        "long_s_min": 2,
        "historical_min": 1e-5,
        "historical_max": 1e-5,
        "period_share": 0.01,
        "period_min_len": 5,
        "merge_cost": 1.5,
        "glued_word_freq": 1e-3,
        "split_cost": 1.5,
        "gap_letter_cost": 2.5,
        "piece_freq": 1e-6,
        "short_piece_freq": 2e-5,
        "piece_uses": 2,
        "join_margin": 1.0,
        "join_short_freq": 1e-4,
        "speck_glyphs": "iIj",
        "speck_cost": 4.0,
        "speck_margin": 1.0,
        "speck_capital_cost": 3.0,
        "long_join_len": 7,
        "learn_min": 3,
        "learn_share": 1e-3,
        "learn_confidence": 0.95,
        "derived_share": 0.01,
        "odds_min": 0.1,
        "fragment_min_len": 10,
        "fragment_shape": -1.0,
        "short_len": 4,
        "short_generic": True,
        "short_generic_below": 1e-5,
        "name_no_generic": True,
        "name_generic_freq": 1e-6,
        "short_generic_cost": 3.0,
        "shape_weight": 1.0,
        "window": 100,
        "max_unknown": 0.5,
        "shortlist": 8,
        "settle_rounds": 3,
        "unseen_pair_margin": 0.5,
        "odds_max": 30.0,
        "common_pair": 10000000,
        "clean_shift": 0.5,
        "habit_odds": 3.0,
        "triage_odds": 3.0,
        "realword_max_len": 4,
        "common_reach_freq": 1e-3,
        "long_realword_below": 1e-5,
        "long_reach_freq": 1e-4,
        "far_common_freq": 1e-4,
        "far_min_len": 4,
        "far_max_len": 6,
        "capitals": True,
        "noise_ref": 0.03,
        "shift_max": 1.5,
        "shift_min": -0.5,
    }
    settings_help = {
        "apply_threshold": "confidence from which a correction is applied",
        "queue_threshold": "from which it is queued for review (raw text kept)",
        "intact": "odds that a token is read as printed",
        "unknown_word": "frequency of a word no list knows (names, rare words)",
        "name_word": "... of a capitalized one inside a sentence",
        "text_prior": "words of English the text's own counts weigh as much as",
        "common_margin": "log10 odds a correction of a word that common must win by",
        "word_margin": "... of a rarer word of English",
        "anchor_freq": "a word this common in English is searched by cheap confusions only",
        "cheap_cost": "the most a confusion of a common word may cost",
        "rare_freq": "a word rarer than this gets the full search",
        "candidate_min_freq": "candidates are English words at least this frequent",
        "generic": "cost of a letter misread outside the model's families",
        "generic_search": "also search readings with one such letter...",
        "generic_min_len": "...in tokens this long",
        "mixed_min_len": "a token this long that neither finds a reading may take a confusion and a letter outside the families together",
        "two_min_len": "...and one this long, two letters outside them",
        "mixed_distance": "...among the words this many letters from it (first or last letter the same)",
        "near_min_freq": "...and at least this frequent",
        "generic_min_freq": "...among the English words at least this frequent (four letters or more)",
        "max_cost": "the most a reading may cost in all",
        "long_cost": "...and this much more for each letter of a token past seven, in a text not clean (long words have few neighbours)",
        "max_token": "longer tokens are not searched (and the ledger says nothing)",
        "unmarked_misreads": "in a text without footnote markers glued to words, a digit at a word's start or end, or a capital inside it, may be a misread letter (8ir, hi3, dowB)",
        "digit_short_freq": "...read, in a token of short_len characters or fewer, only as a word this common (8he, not 6tb)",
        "long_s_cost": "cost of f for s in a text that shows long s",
        "long_s_lookalike_cost": "cost of l for s, or h for sh at a word's start, in a text that shows long s (the long s misread as the letter it resembles, or lost before h)",
        "long_s_min": "words that only long s explains, for the text to show it",
        "long_s_letter": "a long s the OCR read as f is written as: \u017f (as printed), s (as spelled today), or auto: \u017f where the scan profile found the habit over the text, else s",
        "historical_min": "a period spelling stands for an English word this common",
        "historical_max": "a word of English rarer than this may be a period spelling (never changed into today's)",
        "period_share": "a period spelling is as common as this share of the word of today it spells (shewn: shown)",
        "period_min_len": "...one of this many letters or more",
        "merge_cost": "cost of a space the OCR lost between two words",
        "glued_word_freq": "a word this common, of two or three letters, may be glued to a misread one (subjeclof -> subject of)",
        "split_cost": "cost of a space the OCR put inside a word",
        "gap_letter_cost": "cost of a letter the OCR read as a space (w lling -> willing)",
        "piece_freq": "a token rarer than this beside another may be half of a word the OCR parted",
        "short_piece_freq": "...one of two letters rarer than this (ni ht -> night)",
        "piece_uses": "...unless the text uses it this many times (its names and terms)",
        "join_short_freq": "a word of four letters or fewer read from two tokens must be this common",
        "speck_glyphs": "the lone strokes between two words that may be a speck or a column rule the OCR read as a letter (none: never dropped)",
        "speck_cost": "log10 cost of a speck read as a stroke (the text's shift added)",
        "speck_margin": "log10 odds the two words side by side must beat the stroke between them by",
        "speck_capital_cost": "... of a capital stroke before a capitalized word (the pair table, in small letters, cannot tell I The from i the)",
        "long_join_len": "a word this long read from two tokens as they stand need only be on English's candidate list (refu tation)",
        "join_margin": "log10 odds a word read from two tokens must win by over the two kept",
        "unseen_pair_margin": "... and this much more where no word pair shows the correction beside a neighbour",
        "settle_rounds": "rounds in which two sure readings of neighbours that only stand together are both taken (0: never)",
        "shortlist": "candidates weighed in context (the likeliest without it)",
        "window": "words in a run judged for readability",
        "max_unknown": "a run with more than this share of words known to no list is not corrected (unreadable)",
        "shape_weight": "how much a token's letters, strung as no English word strings them, count against it (0: not at all)",
        "short_generic": "a short token may also be a common short word with one letter misread outside the families (wrs, hie)",
        "short_generic_cost": "...at this cost",
        "short_generic_below": "...if the token itself is a word rarer than this",
        "name_generic_freq": "...except, in a text not clean, a reading this common in English of a token of five letters or more",
        "name_no_generic": "a capitalized token inside a sentence is a name sooner than a word with a letter misread outside the families",
        "short_len": "a token this short may be a common word that lost a letter (th, wa, hi)",
        "fragment_min_len": "two pieces this long together, one no word, may be one word the OCR parted...",
        "fragment_shape": "...when their letters average at least this (log10 a letter): neither is corrected alone",
        "odds_min": "the least a noisy text weighs its unknown words and names (times their frequency setting)",
        "odds_max": "the most a clean text weighs them",
        "derived_share": "a stem's frequency its forms with a suffix no list knows are taken to have (share)",
        "learn_confidence": "a fix at least this sure (and applied) counts for the text's families",
        "learn_min": "sure fixes of a family before the text's profile lowers its cost",
        "learn_share": "...and at least this share of the text's tokens (four fixes in a book are no habit of its OCR)",
        "common_pair": "a run-together form English knows is split only into a pair this common (word-pair table count)",
        "clean_shift": "a text this much cleaner than noise_ref (log10) keeps its capitalized unknown words as names",
        "habit_odds": "a form's uses count as a word's only beyond this many times the misreadings its candidates explain",
        "triage_odds": "a word of English is an anchor when its candidates are all this much rarer (log10, cost included)",
        "realword_max_len": "a word of English longer than this is taken as printed (real-word errors are sought in short words); in a text noisier than noise_ref, only one at least rare_freq common",
        "common_reach_freq": "in a text noisier than noise_ref, a short word of English rarer than anchor_freq may be a misreading of a word this common that several confusions reach (boon -> been, ho -> be)",
        "long_realword_below": "in a text noisier than noise_ref, a word of English longer than realword_max_len and rarer than this may be a misreading (daring -> during, moans -> means)",
        "long_reach_freq": "...of a word at least this common the families reach",
        "far_common_freq": "in a text noisier than clean_shift, an unknown token of far_min_len to far_max_len letters may be a word this common two letters away (each letter at the generic cost: wacn -> when, trmn -> from)",
        "far_min_len": "the shortest token searched so",
        "far_max_len": "the longest",
        "capitals": "a token set in capitals (PANTOMIMB) is read by the error model's rows for capitals too (E read as B, F as P)",
        "noise_ref": "share of unknown small-letter words at which the confusion costs hold as written",
        "shift_max": "the most a clean text raises each confusion's cost (log10)",
        "shift_min": "the most a noisy text lowers it",
    }

    _shared: dict = {}

    def __init__(self, config=None, lexicon=None) -> None:
        super().__init__(config, lexicon)
        cfg = self.config
        if cfg["long_s_letter"] not in ("auto", LONG_S, "s"):
            raise ConfigError(f"[stages.words] long_s_letter must be \"auto\", \"{LONG_S}\" (as printed) or \"s\" "
                              f"(as spelled today), not {cfg['long_s_letter']!r}")
        self.languages = from_settings(cfg, self.name)  # (the rule foreign-stretch's settings)
        self.model = ErrorModel.load(generic=cfg["generic"], max_cost=cfg["max_cost"])
        # a token set in capitals is read by the capitals' rows too (the same model without them)
        self.caps_model = ErrorModel.load(capitals=True, generic=cfg["generic"], max_cost=cfg["max_cost"]) \
            if cfg["capitals"] else self.model
        self._cands_cache: dict = {}
        self._modern_cache: dict = {}             # word form -> its period-spelling readings
        self._far_cache: dict = {}                # unknown token -> the commonest words two letters away
        self._common_cache: dict = {}             # (candidates key, least) -> its readings that common
        self._log_freqs: dict = {}                # candidate word -> log_freq
        self._collection_noise: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.historical = [(regex.compile(p), r, n) for p, r, n in load_historical()]

    def log_freq(self, word: str) -> float:
        """log10 of the English frequency of a candidate's (first) word, at least 1e-12: what
        the stage ranks and triages candidates by (kept once a process: the same words come
        up in every text)."""
        got = self._log_freqs.get(word)
        if got is None:
            if len(self._log_freqs) > 200000:
                self._log_freqs.clear()
            got = self._log_freqs[word] = math.log10(max(self.lexicon.freq_lower(word.split(" ")[0]), 1e-12))
        return got

    def warm(self) -> None:
        """The English candidates, their prefixes, the word pairs and the word indexes."""
        self._english()
        self._neighbours()
        self._near_words()
        self._short_words()
        self._common_words()

    def _index(self, kind, cls, floor_key: str, keep) -> object:
        """An index of the words of English at least ``config[floor_key]`` common that
        ``keep(word)`` accepts, built on first use, once per process."""
        floor = self.config[floor_key]
        key = (kind, id(self.lexicon.english), floor, self.config["short_len"])
        got = Words._shared.get(key)
        if got is None:
            got = Words._shared[key] = cls(w for w, f in self.lexicon.english.items() if f >= floor and keep(w))
        return got

    def _neighbours(self) -> DeleteIndex:
        """The one-letter neighbours of tokens among the commoner words of English."""
        return self._index("neighbours", DeleteIndex, "generic_min_freq", _long_word)

    def _near_words(self) -> NearIndex:
        """The commoner words of English filed for the two-letter search of a token nothing
        else reads."""
        return self._index("near", NearIndex, "near_min_freq", _long_word)

    def _common_words(self) -> NearIndex:
        """English's commonest words (``far_common_freq``), filed for the two-letter search of
        an unknown token in a noisy text (:meth:`~ocr_clean.stages.words.run._Run.far_readings`)."""
        return self._index("common", lambda words: NearIndex(words, by_ends=False), "far_common_freq",
                           lambda w: len(w) >= 2 and w.isalpha())

    def _glue_words(self) -> tuple:
        """English's commonest words of two or three letters (``glued_word_freq``), commonest first."""
        english = self.lexicon.english
        return self._index("glue", lambda words: tuple(sorted(words, key=lambda w: -english[w])),
                           "glued_word_freq", lambda w: 2 <= len(w) <= 3 and w.isalpha())

    def _short_words(self) -> DeleteIndex:
        """The common short words of English (a letter lost from them leaves a short token:
        ``th``, ``wa``, ``hi``)."""
        most = self.config["short_len"] + 1
        return self._index("short", DeleteIndex, "anchor_freq", lambda w: len(w) <= most and w.isalpha())

    # -- shared English data (built once per process) ----------------------------------------
    def _english(self):
        key = (id(self.lexicon.english), self.config["candidate_min_freq"])
        got = Words._shared.get(key)
        if got is None:
            floor = self.config["candidate_min_freq"]
            tag = f"{self.lexicon.source_key}-{floor:g}-v1" if self.lexicon.source_key else None   # (v: the format)
            ordered = _candidate_words(self.lexicon.english, floor, tag)
            cands = set(ordered)
            got = (cands, PrefixIndex(ordered, presorted=True), LanguageModel(self.lexicon.freq_lower),
                   CharModel(ordered, tag))
            Words._shared[key] = got
        return got

    # -------------------------------------------------------------------------------------
    def propose(self, text: str, doc=None) -> list[Edit]:
        run = _Run(self, text, doc)
        first = run.decide_all(self.model)
        learned = run.learn(first)
        if learned:
            run.learned = learned
            decisions = run.decide_all(self.model, first)
        else:
            decisions = first
        decisions = run.stable(decisions)
        edits = _with_joins([e for e in decisions if e is not None],
                            run.decide_joins(), self.would_apply)
        edits = _with_specks(edits, run.decide_specks())
        edits = self._outside_foreign(text, edits)
        for a, b in run.unreadable:                  # said in the ledger (and to a person), at its first word
            word = TOKEN.match(text, a)             # (a stretch starts at a token)
            end = word.end() if word else a + 1
            edits.append(Edit(a, end, text[a:end], "unreadable-stretch", 0.0, status=QUEUED,
                              note=f"here begin {b - a} characters where most words are known to no list "
                                   f"(a table, another language, or OCR too damaged): not corrected word by word"))
        return edits

    def _outside_foreign(self, text: str, edits: list[Edit]) -> list[Edit]:
        """``edits`` with those the policy would keep inside a stretch in another language
        (:func:`~.rules.foreign_stretch`: ``vivait`` is no misread ``visit``) made the rule's
        rejections of them: the text stays as printed, the ledger says what was withheld."""
        if not edits or not self.enabled(foreign_stretch.rule.name):
            return edits
        stretches = ForeignStretches(text, self.lexicon.freq_lower, self.languages, self.config)
        th = self.thresholds
        return withhold_inside(edits, lambda pos: foreign_stretch(stretches, pos),
                               lambda e: status_for(e.status, e.confidence, th) is not None)


def _with_joins(edits: list[Edit], joins: list, would_apply) -> list[Edit]:
    """The single-token edits and the joins of two tokens, none overlapping: a join takes
    the place of edits on its tokens, and of a less sure join it overlaps; but a join only
    queued for a person yields to a reading of one of its tokens sure enough to apply (``In
    spito``: a doubtful ``Inspire`` to ``spite``; a sure join, ``nega tived`` -> ``negative``,
    stands against a sure ``tived`` -> ``lived``)."""
    chosen: list[Edit] = []
    edits = sorted(edits, key=lambda e: e.start)      # (single tokens: none overlaps another)
    at = [e.start for e in edits]
    for j in sorted((j for j in joins if j is not None), key=lambda e: -e.confidence):
        if not would_apply(j.confidence) and any(
                would_apply(e.confidence) for e in _overlapping(edits, at, j.start, j.end)):
            continue                                  # a queued join yields to a sure token reading
        if all(j.end <= c.start or c.end <= j.start for c in chosen):
            chosen.append(j)
    if not chosen:
        return edits
    chosen.sort(key=lambda e: e.start)
    starts = [c.start for c in chosen]
    out = []
    for e in edits:
        k = bisect.bisect_right(starts, e.start) - 1
        if k >= 0 and e.start < chosen[k].end:
            continue                                  # inside a join
        if k + 1 < len(chosen) and chosen[k + 1].start < e.end:
            continue
        out.append(e)
    return sorted(out + chosen, key=lambda e: e.start)


def _with_specks(edits: list[Edit], specks: list[Edit]) -> list[Edit]:
    """``edits`` (sorted, none overlapping) with the specks dropped that no edit touches: a
    reading of the stroke's token, or a join that takes it in, stands before a speck."""
    if not specks:
        return edits
    at = [e.start for e in edits]
    free = [s for s in specks if next(_overlapping(edits, at, s.start, s.end), None) is None]
    return sorted(edits + free, key=lambda e: e.start) if free else edits


def _overlapping(edits: list[Edit], at: list[int], start: int, end: int):
    """The edits of ``edits`` (sorted, none overlapping another; ``at`` their starts) that
    overlap ``start:end``."""
    k = max(0, bisect.bisect_left(at, start) - 1)
    while k < len(edits) and edits[k].start < end:
        if start < edits[k].end:
            yield edits[k]
        k += 1


def _candidate_words(english: dict[str, float], floor: float, tag: str | None) -> list[str]:
    """The words of the English list at least ``floor`` common that look like words, sorted
    (what the walk's prefix index needs), cached on disk under ``tag`` (the list's identity)."""
    return marshal_cached(f"candidates-{tag}.marshal" if tag else None,
                          lambda: sorted(w for w, f in english.items() if f >= floor and _word_like(w)),
                          lambda got: isinstance(got, list))
