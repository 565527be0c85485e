"""The confusion stage: ties the parts together (see the package's docstring)."""
from __future__ import annotations

import collections

from ...channel import ConfusionModel
from ...ledger import QUEUED, Edit
from ..base import Stage, register
from .decide import Decide
from .rules import case_slips, too_long
from .targets import Targets
from .tokens import _Core, _Target, token_patterns
from .vocab import Vocab


@register
class Confusion(Stage):
    name = "confusion"
    data_files = ("confusions.tsv", "case_slips.txt")
    description = "Fix OCR glyph confusions in words (lnost->most, frOln->from, howevel\ufffd->however,)"
    defaults = {
        "apply_threshold": 0.9,      # confidence from which a fix is applied
        "queue_threshold": 0.5,      # confidence from which it is queued for review
        "english_min": 1e-7,         # an English word at least this frequent is known
        "candidate_english_min": 3e-8,
        "english_min_words": 100000,
        "english_weight": 0.3,       # English frequency, as expected counts in a text this long
        "protect_count": 8,          # a form the book uses this often is its own word...
        "protect_ratio": 0.02,       # ...unless the word it misreads is this much more common
        "keep_weight": 0.25,         # odds that an unknown form is printed as it stands
        "word_floor": 0.3,           # evidence of any dictionary word, however rare
        "queue_min_freq": 0.3,       # a queued candidate needs at least this much evidence
        "short_min_freq": 5.0,       # a candidate of 3 letters or fewer needs this much evidence
        "name_weight": 0.05,         # odds of a capitalized name being a misread common word
        "case_weight": 0.5,          # odds of each capital inside a lower-case word
        "sure_threshold": 0.97,      # first-pass fixes that teach the scan's confusion profile
        "profile_min_fixes": 20,     # fewer sure fixes than this: no profile
        "profile_min_uses": 10,      # a rule applied without a dictionary word needs this many
        "marker_window": 10,         # a number within this of its neighbours' is a footnote marker
        "max_candidates": 5,
        "marker_word_english_min": 1e-6,  # a word before digits that fit the markers' run: not ours
        # (before, after) pairs a person accepted in review (also from lexicon.learned_pairs): the rules
        # they used weigh in the confusion profile (the decisions themselves come back by id)
        "learned_pairs": (),
        # real-word errors (corning for coming): rare English words holding a strong confusion
        "realword": True,
        "realword_max_english": 1e-5,  # rarer than this in English...
        "realword_keep": 1.0,          # ...weighed as the word it is
        "realword_min_book": 10,       # the other reading is a word the book uses this often
        "realword_ratio": 20.0,        # and this many times more common
        "realword_apply_context": 4.0, # applied only with this much support from word pairs
    }
    settings_help = {
        "apply_threshold": "confidence from which a fix is applied",
        "queue_threshold": "confidence from which a fix is queued for review",
        "english_min": "an English word at least this frequent is known",
        "candidate_english_min": "a candidate reading must be at least this frequent in English (or known to the book)",
        "english_min_words": "English frequencies are weighed as counts in a text at least this many words long",
        "english_weight": "English frequency, as expected counts in a text this long",
        "protect_count": "a form the book uses this often is its own word...",
        "protect_ratio": "...unless the word it misreads is this much more common",
        "keep_weight": "odds that an unknown form is printed as it stands",
        "word_floor": "evidence of any dictionary word, however rare",
        "queue_min_freq": "a queued candidate needs at least this much evidence",
        "short_min_freq": "a candidate of 3 letters or fewer needs this much evidence",
        "name_weight": "odds of a capitalized name being a misread common word",
        "case_weight": "odds of each capital inside a lower-case word",
        "sure_threshold": "first-pass fixes at least this sure teach the scan's confusion profile",
        "profile_min_fixes": "fewer sure fixes than this: no profile",
        "profile_min_uses": "a rule applied without a dictionary word needs this many uses in the profile",
        "marker_window": "a number within this of its neighbours' is a footnote marker",
        "max_candidates": "candidate readings kept on a queued edit",
        "marker_word_english_min": "a word this frequent in English followed by digits that fit the footnote markers' run is left to the footnotes stage",
        "learned_pairs": "(before, after) pairs a person accepted in review: their rules weigh in the profile",
        "realword": "also fix real-word errors (corning for coming): rare words holding a strong confusion",
        "realword_max_english": "a real word rarer than this in English may be an error...",
        "realword_keep": "...weighed as the word it is",
        "realword_min_book": "the other reading is a word the book uses this often",
        "realword_ratio": "and this many times more common",
        "realword_apply_context": "applied only with this much support from word pairs",
    }

    def __init__(self, config=None, lexicon=None) -> None:
        super().__init__(config, lexicon)
        self.model = ConfusionModel.load()
        self.slips = case_slips()
        self._readings_cache: dict = {}

    # -----------------------------------------------------------------------------------
    def propose(self, text: str, doc=None) -> list[Edit]:
        run = _Run(self, text, doc)
        targets = run.targets()
        first = [run.decide(t, profile=None) for t in targets]
        profile = run.learn_profile(first)
        decisions = [run.decide(t, profile=profile) for t in targets] if profile else first
        edits = []
        for d in decisions:
            if d is not None:
                edits.append(d)
        for a, b in run.too_long:   # said in the ledger (and to a person): left as it stands, unsearched
            edits.append(Edit(a, b, text[a:b], too_long.rule.name, 0.0, status=QUEUED,
                              note=f"{b - a} characters: longer than the {self.config['max_token']} whose readings are searched",
                              evidence={"characters": b - a, "max_token": self.config["max_token"]}))
        return edits


class _Run(Vocab, Targets, Decide):
    """One text: its vocabulary, its tokens, the decisions."""

    def __init__(self, stage: Confusion, text: str, doc=None) -> None:
        self.stage = stage
        self.cfg = stage.config
        self.th = stage.thresholds      # the confidence policy's, for an early drop
        self.lex = stage.lexicon
        self.text = text
        self.too_long: list[tuple[int, int]] = []   # spans of tokens over MAX_TOKEN
        self.book = stage.book_vocab(text, doc)
        self.N = max(self.book.total, 1)
        # English frequencies as expected counts in a text of this length, but never less
        # than a book's: a short text alone says little, English then carries the evidence
        self.N_english = max(self.N, self.cfg["english_min_words"])
        self.english = self.lex.english
        self.user = self.lex.user_lower | {w.lower() for w in self.lex.protected}
        self.token, self.token_start = token_patterns(text)
        self.tokens = self.token.findall(text)     # TOKEN's, in text order
        self.exact, self.own = self._token_counts()
        self._markers = None
        self._forms: dict[str, str | None] = {}
        self._folded = None
        self._spellings: dict[str, list[str]] = {}
        self._broken_pairs = None
        self._midcap = None
        self._pieces = None
        self._book_words = None
        self._word_test = None      # is_word as one bound function (word_test), made when first needed
        self._around: dict[str, tuple] = {}
        self._runs: dict[str, tuple] = {}
        self._odd = None
        self._targets: list[_Target] = []
        self._pair_counts = None
        self.used: collections.Counter = collections.Counter()
        self.learned_used = self.learned()
        self.protected = self.lex.protected
        # readings depend on the vocabulary: cached per book (the book object is kept so
        # its identity cannot be taken by another one)
        if stage._readings_cache.get("\0book") is not self.book:
            stage._readings_cache.clear()
            stage._readings_cache["\0book"] = self.book
        self.cache = stage._readings_cache
        self._cores: dict[str, _Core] = {}
