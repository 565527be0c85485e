"""The split_words stage: its settings, and the run (chains, pairs of words, split years)."""
from __future__ import annotations

from ...languages import ForeignStretches, from_settings, withhold_inside
from ...ledger import Edit
from ...policy import status_for
from ..base import Stage, register
from .chains import Chains
from .evidence import Evidence
from .rules import Decisions, foreign_stretch, split_year
from .scanners import for_text, number_matches, overlaps


@register
class SplitWords(Evidence, Chains, Decisions, Stage):
    name = "split_words"
    data_files = ("short_words.txt", "split_prefixes.txt")
    description = "join words the scan split with a space (Tro tsky -> Trotsky, 1 930 -> 1930)"
    defaults = {
        "short_words": "short_words.txt",
        "prefixes": "split_prefixes.txt",
        "common_freq": 1e-5,       # English frequency from which a piece is a word of its own
        "rare_freq": 1e-6,         # ... or this frequency (or 5+ letters) and
        "rare_book_count": 3,      # ... this many uses in the book (not next to its other half)
        "book_word_count": 10,     # ... or this many uses in the book (3-4 letters)
        "weak_factor": 0.02,       # a rare piece kept alone: its frequency times this
        "floor": 1e-9,             # a piece that is no word at all
        "join_penalty": 4.0,       # log-odds against removing one space
        "caps_penalty": 1.5,       # ... inside letter-spaced text (capitals, or single letters)
        "max_group": 4,            # pieces joined at most (letter-spaced text: max_caps_group)
        "max_caps_group": 16,
        "known_book": 2,           # a joined word is known from this many whole uses in the book
        "known_freq": 1e-6,        # ... or this English frequency
        "short_join": 4,           # joins of this many letters or fewer need the book
        "prefix_factor": 0.01,     # prefix + word unknown to the lists: the word's frequency times this
        "apply_margin": 3.0,       # margin (log) from which a join is applied
        "queue_margin": 1.0,       # margin from which it is queued
        "pair_queue_count": 20,    # two real words: queue the join if the book writes it this often
        "pair_queue_ratio": 50.0,  # ... and this many times more often than the pair
        "letter_join_book": 5,     # a lone letter + real words: the joined word's uses in the book
        "min_year_count": 3,       # split numbers: the whole number's uses in the book
        "min_book_tokens": 20000,
    }
    settings_help = {
        "short_words": "the list of short words (in dictionaries/) that stand alone",
        "prefixes": "the list of prefixes (in dictionaries/) that may be split from their word",
        "common_freq": "English frequency from which a piece is a word of its own",
        "rare_freq": "... or this frequency (or 5+ letters) and",
        "rare_book_count": "... this many uses in the book (not next to its other half)",
        "book_word_count": "... or this many uses in the book (3-4 letters)",
        "weak_factor": "a rare piece kept alone: its frequency times this",
        "floor": "frequency of a piece that is no word at all",
        "join_penalty": "log-odds against removing one space",
        "caps_penalty": "... inside letter-spaced text (capitals, or single letters)",
        "max_group": "pieces joined at most",
        "max_caps_group": "pieces joined at most in letter-spaced text",
        "known_book": "a joined word is known from this many whole uses in the book",
        "known_freq": "... or this English frequency",
        "short_join": "joins of this many letters or fewer need the book",
        "prefix_factor": "prefix + word unknown to the lists: the word's frequency times this",
        "apply_margin": "margin (log) from which a join is applied",
        "queue_margin": "margin from which it is queued",
        "pair_queue_count": "two real words: queue the join if the book writes it this often",
        "pair_queue_ratio": "... and this many times more often than the pair",
        "letter_join_book": "a lone letter + real words: the joined word's uses in the book",
        "min_year_count": "split numbers: the whole number's uses in the book",
        "min_book_tokens": "book frequencies mean little in a short text: it counts as at least this long",
    }

    def __init__(self, config=None, lexicon=None) -> None:
        super().__init__(config, lexicon)
        self.languages = from_settings(self.config, self.name)   # (the rule foreign-stretch's settings)

    # -- the stage -------------------------------------------------------------------------
    def propose(self, text: str, doc=None) -> list[Edit]:
        self._prepare(text, doc)
        self._count_split_uses()
        chain, letters, split_number, space_digit = for_text(text)
        edits = self._words(text, chain, letters)
        edits += self._pairs(text, edits)
        taken = [(e.start, e.end) for e in edits]
        numbers = number_matches(split_number, space_digit, text)
        edits += [e for e in self._numbers(text, numbers) if not overlaps(e, taken)]
        return self._outside_foreign(text, edits)

    def _outside_foreign(self, text: str, edits: list[Edit]) -> list[Edit]:
        """``edits`` with the joins the policy would keep inside a stretch in another language
        (:func:`~.rules.foreign_stretch`: ``un pays`` is no ``unpays``) made the rule's
        rejections of them: the text stays as printed, the ledger says what was withheld.  A
        split number (``1 930``) is no word of any language: it stays."""
        if not edits or not self.enabled(foreign_stretch.rule.name) or self.lexicon is None:
            return edits
        stretches = ForeignStretches(text, self.lexicon.freq_lower, self.languages, self.config)
        th, year = self.thresholds, split_year.rule.name
        return withhold_inside(edits, lambda pos: foreign_stretch(stretches, pos),
                               lambda e: e.rule != year and status_for(e.status, e.confidence, th) is not None)
