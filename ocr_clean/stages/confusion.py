"""Fix OCR glyph confusions inside words: ``lnost`` -> ``most``, ``frOln`` -> ``from``,
``Gennany`` -> ``Germany``, ``howevel\ufffd`` -> ``however,``, ``Trotsky'S`` -> ``Trotsky's``.

Change-averse by construction:

* only a token that is *not* a known word (English, the user's list, or a word the book
  itself uses consistently) or whose shape no printed word has (digits or a lost glyph
  among letters, capitals inside a lower-case word) is looked at, with a set look-up
  before any heavier work;
* its candidates are only what the scan's glyph confusions (``ocr_clean/dictionaries/confusions.tsv``)
  reach, and only words English or the book spells that way;
* candidates are ranked by a noisy-channel score (:mod:`ocr_clean.channel`), with the
  book's own counts first; a first pass learns which confusions the scan really makes
  (its sure fixes) and the second pass weights the rules by that profile;
* above ``apply_threshold`` the fix is applied, in ``[queue_threshold, apply_threshold)``
  it is queued with its ranked candidates and the raw text stays, below nothing happens.

Also: the case of the word is kept (``Inasses`` -> ``masses``, ``COlumunist`` -> ``Communist``;
a capital shaped like its small letter is decided by the book's own pairs: ``civil WaI\ufffd`` ->
``civil war,``); a lost glyph at a word's end is ``r`` + a mark, or the mark alone, the mark
being ``.`` before a word the book capitalizes only to start sentences, else ``,``; when the
first pass has read ``l\ufffd`` as ``r,`` many times, the profile reads it so in words no list
knows; a rare English word holding a strong confusion (``corning``) is doubted only where
the book's word pairs support the common reading, and queued unless that support is strong.

Digits right after a known word that fit the book's run of footnote numbers are footnote
markers (another stage's business) and are left alone; so are letters after a word that
look like a misread marker (``InternationaV``, ``organized.s``).
"""
from __future__ import annotations

import bisect
import collections
import functools
import itertools
import re
import weakref

import regex

from ..channel import (LOST, SAME_SHAPE, ConfusionModel, Reading, apply_case, case_anomalies, context_factor,
                       shape_odds)
from ..ledger import QUEUED, Edit
from ..policy import SCORED, SCORED_NO_QUEUE, SCORED_QUEUE, status_for
from ..lexicon import WORD
from .base import Stage, register

TOKEN = regex.compile(r"[\p{L}\p{N}\ufffd]+(?:['\u2019][\p{L}\p{N}\ufffd]+)*")
TOKEN_CHAR = regex.compile(r"[\p{L}\p{N}\ufffd]")
ASCII_RUN = re.compile(r"[\x00-\x7f]+")   # removed from a text: what is left is its other characters
# where a TOKEN match can start: not inside a token, nor right after a token's apostrophe
TOKEN_START = regex.compile(r"(?<![\p{L}\p{N}\ufffd])(?<![\p{L}\p{N}\ufffd]['\u2019])")
WORDISH = regex.compile(r"\p{L}+")
TRAILING_DIGITS = regex.compile(r"^(.*[\p{L}\ufffd])(\d+)$")
# a number straight after a word, or after the word's closing mark: a footnote marker or a glyph
MARKER = regex.compile(r"(?<=\p{L}[.,;:'\"\u2019)]?)\d{1,3}(?!\d)")
# capitals where a word has none: after a small letter, or a second one before small letters (COlne)
INNER_CAP = regex.compile(r"\p{Ll}\p{Lu}|^\p{Lu}\p{Lu}\p{Ll}{2}")
MID_CAPITAL = regex.compile(r"(?<=[\p{Ll},;] )\p{Lu}\p{Ll}+")
HAS_DIGIT = regex.compile(r"\d")
# capitals the scan puts for small letters: those shaped like their small letter, and l/I
CASE_SLIP = frozenset("CKOPSUVWXYZIL")
POSSESSIVE = ("'s", "'S", "\u2019s", "\u2019S")
# A token longer than this is no misread word: its readings are not searched (their number
# can grow with every letter), and the ledger says it was left as it stands (rule "too-long").
MAX_TOKEN = 64
_TOO_LONG = object()
OPENERS = "\"'\u201c\u2018([ "


@register
class Confusion(Stage):
    name = "confusion"
    data_files = ("confusions.tsv",)
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
        "suffix_case_confidence": 0.97,  # 'S after a word read as 's
        "profile_reading_odds": 0.92,   # l+lost glyph read r, as the scan's sure fixes read it
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
        "suffix_case_confidence": "confidence of 'S after a lower-case word read as 's",
        "profile_reading_odds": "odds of reading l + a lost glyph as r when the scan's sure fixes read it so (times n/(n+1))",
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
            edits.append(Edit(a, b, text[a:b], "too-long", 0.0, status=QUEUED,
                              note=f"{b - a} characters: longer than the {MAX_TOKEN} whose readings are searched"))
        return edits


def token_patterns(text: str) -> tuple[re.Pattern, re.Pattern]:
    """``TOKEN`` and ``TOKEN_START`` for this text, the same matches in about 60% of the time:
    the same patterns for the standard ``re`` engine, their character class spelled out as
    ASCII letters and digits plus the characters of this text outside ASCII that ``TOKEN``
    takes (each asked of ``TOKEN``'s own class)."""
    others = "".join(sorted(c for c in set(ASCII_RUN.sub("", text)) if TOKEN_CHAR.match(c)))
    return _token_patterns(others)


@functools.lru_cache(maxsize=16)
def _token_patterns(others: str) -> tuple[re.Pattern, re.Pattern]:
    cls = "A-Za-z0-9" + re.escape(others)
    return re.compile(f"[{cls}]+(?:['\u2019][{cls}]+)*"), re.compile(f"(?<![{cls}])(?<![{cls}]['\u2019])")


def _sig(x: float) -> float:
    """``x`` to four significant digits (evidence is read by people, not recomputed)."""
    return float(f"{x:.4g}")


def length_odds(n: int) -> float:
    """A long form that lands on a word by a glyph rule rarely does so by chance."""
    if n <= 5:
        return 1.0
    if n <= 7:
        return 0.5
    if n <= 9:
        return 0.25
    return 0.12


# a single quote that opens a quotation: after a space, bracket or double quote, before a letter
_OPENING_SINGLE = regex.compile(r"(?:^|(?<=[\s(\[\"\u201c]))['\u2018](?=\p{L})")


class _Target:
    __slots__ = ("start", "end", "tok", "suffix", "new_suffix", "marker_tail", "alt", "realword", "near")

    def __init__(self, start, end, tok, suffix, new_suffix, marker_tail="", alt=None):
        self.start, self.end, self.tok = start, end, tok
        self.suffix, self.new_suffix, self.marker_tail = suffix, new_suffix, marker_tail
        self.alt = alt      # another reading of the token: a glyph, then a footnote marker
        self.realword = False   # a known word that may be a misread of a common one
        self.near = None        # (previous word, next word, sentence start), once asked


class _PairCounts(dict):
    """Counts of chosen word pairs ``(a, b)`` (lower case) of the book's words in text order:
    ``counts[a, b]``, the same as ``BookVocab.bigrams[a, b]``.

    Counted on the run's tokens as written, with no lower-case copy of the book: a token of
    letters is one word, so each pair wanted stands for the pairs of its words' spellings
    (:meth:`_Run.spellings`), found among adjacent tokens in one pass (a set look-up per
    pair); the pairs around the few tokens holding a digit or lost glyph are read from
    :meth:`_Run.broken_pairs`.  A pair outside the chosen ones is counted when asked."""

    def __init__(self, run: "_Run", wanted: set) -> None:
        super().__init__()
        # the run keeps these counts: a weak reference back makes no cycle, so the run and
        # all it holds are freed as soon as the stage is done (no garbage collection needed)
        self.run = weakref.proxy(run)
        self._count(wanted)

    def __missing__(self, pair: tuple[str, str]) -> int:
        self._count({pair})
        return self[pair]

    def _count(self, wanted: set) -> None:
        run = self.run
        written: dict[tuple[str, str], tuple[str, str]] = {}
        for pair in wanted:
            self[pair] = 0
            after = run.spellings(pair[1])
            for a in run.spellings(pair[0]):
                for b in after:
                    written[a, b] = pair
        tokens = run.tokens
        for pair in filter(written.__contains__, zip(tokens, itertools.islice(tokens, 1, None))):
            self[written[pair]] += 1
        for pair in filter(wanted.__contains__, run.broken_pairs()):
            self[pair] += 1


class _Core:
    """What is known of one form before its place in the text is looked at."""
    __slots__ = ("paths", "low", "n_t", "shape", "keep", "entries", "case_fix")


class _Run:
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

    def _token_counts(self) -> tuple[collections.Counter, collections.Counter]:
        """The counts of the tokens as written and in lower case, made from the book's word
        counts instead of a count of every token: a token of letters is one of the book's
        words, and a word of the book is such a token unless it lies inside a token holding
        a number or a lost glyph.  Only those few tokens, the ones the book's words do not
        know, are counted here, and their words taken out of the book's counts.  Their
        places among the tokens and their words are kept for :meth:`broken_pairs`."""
        exact, own, tokens = self.book.counts.copy(), self.book.lower.copy(), self.tokens
        found = list(itertools.filterfalse(exact.__contains__, tokens))
        places, k, index = [], -1, tokens.index
        for tok in found:       # each found from the one before: one pass over the tokens in all
            k = index(tok, k + 1)
            places.append(k)
        self.broken_places = places
        broken = collections.Counter(found)
        self.broken = set(broken)       # the tokens holding a number or a lost glyph
        self.broken_words = {}
        for tok, n in broken.items():
            words = self.broken_words[tok] = WORD.findall(tok)
            for w in words:
                for counts, key in ((exact, w), (own, w.lower())):
                    if counts[key] > n:
                        counts[key] -= n
                    else:
                        del counts[key]
            exact[tok] = n
            own[tok.lower()] += n
        return exact, own

    # -- vocabulary ------------------------------------------------------------------------
    def known(self, low: str) -> bool:
        return self.english.get(low, 0.0) >= self.cfg["english_min"] or low in self.user

    def is_word(self, cand: str) -> bool:
        if len(cand) < 2 and cand not in ("a", "i"):
            return False
        if self._book_words is None:
            self.book_count("")
        return (cand in self._book_words or cand in self.user
                or self.english.get(cand, 0.0) >= self.cfg["candidate_english_min"])

    def book_count(self, word: str) -> int:
        """How often the book spells ``word`` (lower case) as a whole word: not counting the
        pieces of forms broken by digits or a lost glyph (clearel\ufffd is no evidence of clearel)."""
        if self._pieces is None:
            pieces: collections.Counter = collections.Counter()
            exact = self.exact
            for t in self.broken:       # the tokens that can hold a digit or lost glyph
                if LOST in t or HAS_DIGIT.search(t):
                    for w in WORDISH.findall(t):
                        pieces[w.lower()] += exact[t]
            self._pieces = pieces
            # the words whose count is above 0, for the look-ups of is_word
            lower = self.book.lower
            self._book_words = set(lower).difference([w for w, n in pieces.items() if lower.get(w, 0) <= n])
        return self.book.lower.get(word, 0) - self._pieces.get(word, 0)

    def freq(self, cand: str) -> float:
        """Evidence that ``cand`` is a word: the book's count, English as expected counts,
        and a floor for any dictionary word (being a word at all is most of the evidence
        against a form that is none)."""
        e = self.english.get(cand, 0.0)
        return (self.book_count(cand)
                + self.cfg["english_weight"] * self.N_english * e
                + (self.cfg["word_floor"] if e >= self.cfg["english_min"] or cand in self.user else 0.0))

    def book_form(self, cand: str) -> str | None:
        """The book's usual spelling (case) of a word, if it has one: of the spellings the
        book folds to ``cand``, the most frequent, the first in the book on a tie.

        Asked of the usual spellings first (small, Capitalized, CAPITALS): when their
        counts add up to the book's folded count of ``cand`` there is no other one;
        else (McDonald) every spelling of the book is sorted out once."""
        if cand in self._forms:
            return self._forms[cand]
        counts = self.book.counts
        total = self.book.lower.get(cand, 0)
        form = None
        if total:
            spellings = [w for w in dict.fromkeys((cand, cand[:1].upper() + cand[1:], cand.upper()))
                         if counts.get(w, 0) and w.lower() == cand]
            if sum(counts[w] for w in spellings) == total:
                best = max(counts[w] for w in spellings)
                spellings = [w for w in spellings if counts[w] == best]
                if len(spellings) > 1:
                    spellings.sort(key=self.folded()[cand].index)
                form = spellings[0]
            else:   # the first of the most frequent
                form = max(self.folded()[cand], key=counts.__getitem__)
        self._forms[cand] = form
        return form

    def folded(self) -> dict[str, list[str]]:
        """Every spelling of the book's words, by the word in lower case, in the order of the
        book's counts (the order of first use)."""
        if self._folded is None:
            folded: dict[str, list[str]] = {}
            for w in self.book.counts:
                folded.setdefault(w.lower(), []).append(w)
            self._folded = folded
        return self._folded

    def spellings(self, low: str) -> list[str]:
        """The tokens of letters that are the word ``low`` in lower case: its usual spellings
        (small, Capitalized, CAPITALS) when their counts make up all its tokens, else
        every spelling of the book that stands as a token."""
        got = self._spellings.get(low)
        if got is None:
            exact, broken = self.exact, self.broken
            got = [w for w in dict.fromkeys((low, low[:1].upper() + low[1:], low.upper()))
                   if w in exact and w not in broken and w.lower() == low]
            if sum(exact[w] for w in got) != self.own.get(low, 0):
                got = [w for w in self.folded().get(low, ()) if w in exact]
            self._spellings[low] = got
        return got

    def prefer_capital(self, cand: str) -> bool:
        """Does the book capitalize this word inside sentences more than it writes it small?"""
        if self._midcap is None:
            self._midcap = collections.Counter(MID_CAPITAL.findall(self.text))
        cap = cand[:1].upper() + cand[1:]
        if self.book.counts.get(cand, 0) > 0:
            return False        # the book writes it small: capitals are for sentence starts
        return self._midcap.get(cap, 0) > 0 or self.english.get(cand, 0.0) == 0.0

    def capital_common(self, cand: str, t: _Target | None = None) -> bool:
        """Is a capital the book's usual spelling here?  First the same word pairs elsewhere in
        the book (civil war / the War; Comrade Rosmer), then how often it is capitalized
        inside sentences at all."""
        cap = cand[:1].upper() + cand[1:]
        if t is not None:
            prev, nxt = self.neighbours(t, raw=True)
            cap_before, cap_after = self.word_pairs(cap)
            low_before, low_after = self.word_pairs(cand)
            n_cap = n_low = 0
            if prev:
                n_cap += cap_before.get(prev, 0)
                n_low += low_before.get(prev, 0)
            if nxt:
                n_cap += cap_after.get(nxt, 0)
                n_low += low_after.get(nxt, 0)
            if n_cap != n_low:
                return n_cap > n_low
        if self._midcap is None:
            self._midcap = collections.Counter(MID_CAPITAL.findall(self.text))
        return 3 * self._midcap.get(cap, 0) >= self.book.counts.get(cand, 0)

    def word_pairs(self, word: str) -> tuple[collections.Counter, collections.Counter]:
        """The words (runs of letters, as written) right before and right after ``word``
        wherever the book has it as a run of letters of its own: a count of each.

        Counted for a few words at a time in one pass over the tokens (a run of letters lies
        inside one token): the first word asked comes with every word a capital may be asked
        of (:meth:`capital_words`), a later one not among them alone."""
        got = self._around.get(word)
        if got is None:
            self._count_around({word} | (self.capital_words() if not self._around else set()))
            got = self._around[word]
        return got

    def capital_words(self) -> set[str]:
        """The words :meth:`capital_common` can be asked about: the candidates (small and
        Capitalized) of the targets that start with a capital shaped like its small letter."""
        words = set()
        for t in self._targets:
            while t is not None:
                if t.tok[:1] in SAME_SHAPE and t.tok[0].isupper():
                    info = self.core_info(t.tok)
                    cands = [p.cand for p, _, _ in info.entries]
                    if info.case_fix:
                        cands.append(info.case_fix[1].cand)
                    words.update(cands)
                    words.update(c[:1].upper() + c[1:] for c in cands)
                t = t.alt
        return words

    def _count_around(self, words: set[str]) -> None:
        """Fill :meth:`word_pairs` for ``words``: the tokens holding one of them as a run are
        found with set look-ups, the runs around each place are read from the tokens."""
        for w in words:
            self._around[w] = (collections.Counter(), collections.Counter())
        tokens, runs_of = self.tokens, self.runs_of
        holders = words & self.exact.keys()     # tokens of ASCII letters are runs themselves
        holders.update(t for t in self.odd_tokens() if not words.isdisjoint(runs_of(t)))
        last = len(tokens) - 1
        for k in itertools.compress(itertools.count(), map(holders.__contains__, tokens)):
            runs = runs_of(tokens[k])
            for r, w in enumerate(runs):
                if w not in words:
                    continue
                before, after = self._around[w]
                if r > 0:
                    before[runs[r - 1]] += 1
                else:       # the last run of the nearest token before that has one
                    j = k - 1
                    while j >= 0:
                        near = runs_of(tokens[j])
                        if near:
                            before[near[-1]] += 1
                            break
                        j -= 1
                if r + 1 < len(runs):
                    after[runs[r + 1]] += 1
                else:       # the first run of the nearest token after that has one
                    j = k + 1
                    while j <= last:
                        near = runs_of(tokens[j])
                        if near:
                            after[near[0]] += 1
                            break
                        j += 1

    def odd_tokens(self) -> list[str]:
        """The distinct tokens that are not all ASCII letters (digits, apostrophes, a lost glyph,
        other letters): the few whose words and runs of letters are not the token itself."""
        if self._odd is None:
            self._odd = [t for t in self.exact if not (t.isascii() and t.isalpha())]
        return self._odd

    def runs_of(self, tok: str) -> tuple[str, ...]:
        """The runs of letters (``WORDISH``) of a token, as written."""
        runs = self._runs.get(tok)
        if runs is None:
            runs = self._runs[tok] = (tok,) if tok.isascii() and tok.isalpha() else tuple(WORDISH.findall(tok))
        return runs

    def capitalized_inside(self, cand: str) -> bool:
        """Does the book (or English) write this word with a capital inside sentences?"""
        if self._midcap is None:
            self._midcap = collections.Counter(MID_CAPITAL.findall(self.text))
        cap = cand[:1].upper() + cand[1:]
        return self._midcap.get(cap, 0) > 0 or (self.book.counts.get(cand, 0) == 0
                                                and self.english.get(cand, 0.0) == 0.0)

    def case_slip(self, core: str) -> bool:
        """Capitals inside a word that look like the scan's case slips (bourgeOisie, UglanOV),
        not a compound of two words written with inner capitals (MacDonald, NetBeans)."""
        if HAS_DIGIT.search(core) or LOST in core or not INNER_CAP.search(core):
            return False
        inner = [i for i, c in enumerate(core) if i > 0 and c.isupper()]
        if any(core[i] not in CASE_SLIP for i in inner):
            return False
        for i in inner:
            head, rest = core[:i].lower(), core[i:].lower()
            if len(head) >= 2 and len(rest) >= 2 and self.english.get(head, 0.0) >= 1e-6 \
                    and self.english.get(rest, 0.0) >= 1e-6:
                return False
        return True

    def well_cased(self, low: str) -> int:
        c = self.book.counts
        return c.get(low, 0) + c.get(low[:1].upper() + low[1:], 0) + c.get(low.upper(), 0)

    # -- footnote markers --------------------------------------------------------------------
    def plausible_marker(self, pos: int, number: int) -> bool:
        if self._markers is None:
            pos_list, nums = [], []
            for m in MARKER.finditer(self.text):
                pos_list.append(m.start())
                nums.append(int(m.group()))
            self._markers = (pos_list, nums)
        pos_list, nums = self._markers
        k = bisect.bisect_left(pos_list, pos)
        around = [nums[j] for j in range(max(0, k - 4), min(len(nums), k + 5))
                  if pos_list[j] != pos]
        if not around:
            return True
        around.sort()
        med = around[len(around) // 2]
        return abs(number - med) <= self.cfg["marker_window"]

    # -- which tokens to look at ---------------------------------------------------------------
    def screen(self, tok: str):
        """Is this form worth a look?  None, or (core, suffix, new_suffix, has_digit).

        Decided once per distinct form, with set and dict look-ups only.
        """
        protect = self.cfg["protect_count"]
        own, exact = self.own, self.exact
        if tok in self.protected:
            return None         # a person rejected a fix of this form
        if tok.isascii() and tok.isalpha() and (tok.islower() or (tok[0].isupper() and tok[1:].islower())):
            # the common cases, a plain word in small letters or Capitalized: the same tests
            # as below, short (no lost glyph, digit, possessive or inner capital here)
            if len(tok) < 3:
                return None
            low = tok.lower()
            english = self.english.get(low, 0.0)
            if english >= self.cfg["english_min"] or low in self.user or own[low] >= protect:
                if tok[0].isupper() or english >= self.cfg["realword_max_english"]:
                    return None     # no real-word suspect (as realword_suspect says)
                return (tok, "", "", False, True) if self.realword_suspect(tok, low) else None
            return tok, "", "", False, False
        suffix = ""
        core = tok
        if tok[-2:] in POSSESSIVE and len(tok) > 2:
            core, suffix = tok[:-2], tok[-2:]
        new_suffix = suffix
        if suffix[-1:] == "S" and not core.isupper():
            new_suffix = suffix[:-1] + "s"
        has_lost = LOST in core
        if len(core) < 2 or core[0].isdigit() or (not has_lost and not any(c.isalpha() for c in core)):
            return None
        if not has_lost and (core.isupper() or len(core) < 3):
            return (core, suffix, new_suffix, False, False) if new_suffix != suffix else None
        low = core.lower()
        has_digit = HAS_DIGIT.search(core) is not None
        inner = INNER_CAP.search(core) is not None
        if not (has_lost or has_digit or inner):
            if new_suffix == suffix and (self.known(low) or own[low] >= protect):
                if self.realword_suspect(core, low):
                    return core, suffix, new_suffix, False, True
                return None
        elif not has_lost and not has_digit:
            # capitals inside a word: a form the book repeats is its own (MacDonald)
            if exact[core] >= protect or (self.known(low) and exact[core] >= 3):
                return None
        return core, suffix, new_suffix, has_digit, False

    def learned(self) -> collections.Counter:
        """What the review taught: the glyph rules behind the fixes a person accepted."""
        used: collections.Counter = collections.Counter()
        lex = self.stage.lexicon
        for pair in (*(self.cfg.get("learned_pairs") or ()), *(lex.learned_pairs if lex is not None else ())):
            before, after = pair[0], pair[1]
            if not before or before == after:
                continue
            target = after.lower().rstrip(",.;:")
            paths = self.stage.model.readings(before, lambda c, a=target: c == a)
            if paths:
                for r in paths[0].rules:
                    used[r] += 1
        return used

    def realword_suspect(self, core: str, low: str) -> bool:
        """A rare English word, rare in the book, holding a strong glyph confusion: it may
        be a misread of a common one (corning for coming).  Only context can tell."""
        cfg = self.cfg
        if not cfg["realword"] or len(core) < 4 or not core.islower():
            return False
        if self.english.get(low, 0.0) >= cfg["realword_max_english"] or self.own[low] > 2:
            return False
        return self.stage.model.strong.search(core) is not None

    def targets(self) -> list[_Target]:
        hot = {}
        cfg, english, own, strong = self.cfg, self.english.get, self.own, self.stage.model.strong.search
        known, common, realword = cfg["english_min"], cfg["realword_max_english"], cfg["realword"]
        # most forms are words of small ASCII letters that English knows and that are no
        # real-word suspect (too common, too short, used often, or holding no strong
        # confusion): screen passes them over, so they are left out at once, the same tests
        # as screen's and realword_suspect's in one expression
        for tok in [t for t in self.exact
                    if not (t.islower() and t.isascii() and t.isalpha() and (e := english(t, 0.0)) >= known
                            and (e >= common or not realword or len(t) < 4 or own[t] > 2 or not strong(t)))]:
            info = self.screen(tok) if len(tok) <= MAX_TOKEN else _TOO_LONG
            if info is not None:
                hot[tok] = info
        out: list[_Target] = []
        if not hot:
            return out
        own = self.own
        text = self.text
        token, token_start = self.token, self.token_start
        pos = 0
        # the hot tokens in text order, each found from the end of the one before: the first
        # place the string stands as a whole token (as TOKEN.finditer reads the text) is it
        for tok in filter(hot.__contains__, self.tokens):
            start = text.find(tok, pos)
            while not (token_start.match(text, start) and token.match(text, start).end() == start + len(tok)):
                start = text.find(tok, start + 1)
                if start < 0:
                    raise AssertionError(f"token {tok!r} not found again in the text")
            pos = start + len(tok)
            if hot[tok] is _TOO_LONG:
                self.too_long.append((start, start + len(tok)))
                continue
            core, suffix, new_suffix, has_digit, realword = hot[tok]
            alt = None
            if has_digit:
                d = TRAILING_DIGITS.match(core)
                if d:
                    prefix, digits = d.group(1), d.group(2)
                    pl = prefix.lower()
                    prefix_known = (self.english.get(pl, 0.0) >= 1e-6 or pl in self.user
                                    or own[pl] >= 3) and not HAS_DIGIT.search(prefix) and LOST not in prefix
                    if prefix_known and self.plausible_marker(start + len(prefix), int(digits)):
                        continue            # word + footnote marker: not ours
                    if not prefix_known and self.plausible_marker(start + len(prefix), int(digits)):
                        # the word, then a marker (MolinieI\ufffd145)
                        alt = _Target(start, start + len(prefix), prefix, "", "", digits)
                    if not prefix_known and len(digits) >= 2 and self.plausible_marker(
                            start + len(prefix) + 1, int(digits[1:])):
                        # the first digit may be a glyph, the rest a marker (Krylenk084)
                        cut = prefix + digits[0]
                        alt = _Target(start, start + len(cut), cut, "", "", digits[1:], alt)
            tg = _Target(start, start + len(core), core, suffix, new_suffix, "", alt)
            tg.realword = realword
            out.append(tg)
        self._targets = out
        return out

    # -- word pairs -------------------------------------------------------------------------------
    def pair_counts(self) -> "_PairCounts":
        """The book's word pairs that the decisions ask about (each target's neighbours with
        each of its candidates), counted in one pass: the same counts as ``BookVocab.bigrams``
        without a count of every pair of the book."""
        if self._pair_counts is None:
            wanted = set()
            for t in self._targets:
                while t is not None:        # the target, then its other readings
                    entries = self.core_info(t.tok).entries
                    if entries:
                        prev, nxt, _ = self.near(t)
                        for p, _, _ in entries:
                            if prev:
                                wanted.add((prev, p.cand))
                            if nxt:
                                wanted.add((p.cand, nxt))
                    t = t.alt
            self._pair_counts = _PairCounts(self, wanted)
        return self._pair_counts

    def broken_pairs(self) -> list[tuple[str, str]]:
        """The book's word pairs (lower case) that are no pair of adjacent tokens of letters:
        those around and inside each stretch of tokens holding a digit or lost glyph, whose
        words (``lexicon.WORD``'s, none in a number) are not the token itself.  Found from
        the places of those few tokens, worked out once."""
        if self._broken_pairs is None:
            tokens = self.tokens
            words_of = {tok: [w.lower() for w in words] for tok, words in self.broken_words.items()}
            pairs: list[tuple[str, str]] = []
            places = self.broken_places
            i, n = 0, len(places)
            while i < n:
                first = last = places[i]
                while i + 1 < n and places[i + 1] == last + 1:
                    i += 1
                    last += 1
                i += 1
                words = [tokens[first - 1].lower()] if first > 0 else []
                for k in range(first, last + 1):
                    words += words_of[tokens[k]]
                if last + 1 < len(tokens):
                    words.append(tokens[last + 1].lower())
                pairs.extend(zip(words, words[1:]))
            self._broken_pairs = pairs
        return self._broken_pairs

    def near(self, t: _Target) -> tuple[str | None, str | None, bool]:
        """(previous word, next word, sentence start) of a target, worked out once."""
        if t.near is None:
            t.near = (*self.neighbours(t), self.sentence_start(t.start))
        return t.near

    # -- scoring --------------------------------------------------------------------------------
    def readings(self, core: str):
        r = self.cache.get(core)
        if r is None:
            r = self.cache[core] = self.stage.model.readings(core, self.is_word)
        return r

    def neighbours(self, t: _Target, raw: bool = False) -> tuple[str | None, str | None]:
        """The words either side (lower case, or as written with ``raw``)."""
        text = self.text
        prev = None
        i = t.start - 1
        while i >= 0 and text[i] == " ":
            i -= 1
        if i >= 0 and text[i].isalpha():
            j = i
            while j > 0 and text[j - 1].isalpha():
                j -= 1
            prev = text[j:i + 1] if raw else text[j:i + 1].lower()
        nxt = None
        e = t.end + len(t.suffix) + len(t.marker_tail)
        m = WORDISH.match(text, e + 1) if e < len(text) and text[e] == " " else None
        if m:
            nxt = m.group() if raw else m.group().lower()
        return prev, nxt

    def sentence_start(self, pos: int) -> bool:
        i = pos - 1
        text = self.text
        while i >= 0 and text[i] in OPENERS:
            i -= 1
        return i < 0 or text[i] in ".!?\n"

    def end_mark(self, t: _Target) -> tuple[str, float]:
        """The mark a lost glyph at a word's end stood for, and how sure that is."""
        text = self.text
        e = t.end + len(t.suffix) + len(t.marker_tail)
        if e < len(text) and text[e] in ",.;:!?)":
            return "", 1.0
        if e >= len(text) or text[e] == "\n":
            return ".", 0.9
        m = WORDISH.match(text, e + 1)
        if m:
            w = m.group()
            if w[0].isupper():
                lower_n = self.book.counts.get(w.lower(), 0)
                upper_n = self.book.counts.get(w, 0)
                if lower_n > upper_n:
                    return ".", 0.92    # a word that is capitalized only to start a sentence
                return ",", 0.95
        return ",", 1.0

    def core_info(self, core: str) -> _Core:
        """What the decision about a form owes to the form alone, worked out once per form."""
        info = self._cores.get(core)
        if info is not None:
            return info
        cfg = self.cfg
        info = self._cores[core] = _Core()
        info.paths = paths = self.readings(core)
        info.low = low = core.lower()
        # the keep hypothesis
        n_t = self.own.get(low, 0) if not (INNER_CAP.search(core)) else self.exact.get(core, 0)
        info.n_t = n_t
        info.shape = shape = shape_odds(core)
        keep_freq = max(n_t, 1) + cfg["english_weight"] * self.N_english * self.english.get(low, 0.0)
        info.keep = shape * keep_freq * cfg["keep_weight"] * length_odds(len(core))
        # the readings worth scoring, with their evidence and the odds of their case
        entries = []
        for p in paths:
            f = self.freq(p.cand)
            if len(p.cand) <= 3 and f < cfg["short_min_freq"]:
                continue        # a short form reaches some rare short word too easily
            entries.append((p, f, cfg["case_weight"] ** case_anomalies(core, p)))
        info.entries = entries
        # a case-only fix: the word itself, with capitals inside it set right
        info.case_fix = None
        if self.case_slip(core) and self.is_word(low):
            p = Reading(low, 1.0, ("case",), tuple(range(len(core))), True)
            k = sum(1 for i, c in enumerate(core) if i > 0 and c.isupper())
            f = self.well_cased(low) + cfg["english_weight"] * self.N_english * self.english.get(low, 0.0)
            if f >= 1:
                info.case_fix = (cfg["case_weight"] ** k * f * 0.2, p)
        return info

    def decide(self, t: _Target, profile: dict | None) -> Edit | None:
        core = t.tok
        cfg = self.cfg
        info = self.core_info(core)
        if not info.paths and t.alt is not None:
            return self.decide(t.alt, profile)
        low = core.lower()
        n_t = info.n_t
        scored = []
        factors: dict = {}     # id(reading) -> (profile, case odds, name?, frequency, context)
        if info.entries or info.case_fix:
            keep = info.keep
            if t.realword:
                keep = self.freq(low) * cfg["realword_keep"]
            prev, nxt, ss = self.near(t)
            name_like = core[:1].isupper() and core[:1] not in SAME_SHAPE and not ss
            for p, f, case_odds in info.entries:
                w = p.weight
                if profile:
                    for r in p.rules:
                        w *= profile.get(r, 1.0)
                w *= case_odds
                name = name_like and p.first_kept and not self.capitalized_inside(p.cand)
                if name:
                    # a capitalized form inside a sentence is a name; the book never writes the
                    # word it would become with a capital there (Garnes is no misread Games)
                    w *= cfg["name_weight"]
                ctx = context_factor(prev, nxt, p.cand, self.book, self.pair_counts())
                if t.realword and (ctx <= 1.0 or self.book_count(p.cand) < cfg["realword_min_book"]
                                   or f < cfg["realword_ratio"] * self.freq(low)):
                    continue    # a real word is only doubted where the book's own pairs say so
                factors[id(p)] = (w / case_odds / (cfg["name_weight"] if name else 1.0) / p.weight,
                                  case_odds, name, f, ctx)
                scored.append((w * f * ctx, p))
            if info.case_fix:
                scored.append(info.case_fix)
        suffix_fix = t.new_suffix != t.suffix
        if not scored:
            if suffix_fix:
                return Edit(t.end, t.end + len(t.suffix), t.new_suffix, "case", cfg["suffix_case_confidence"],
                            SCORED, (t.new_suffix,), note="'S after a word is 's")
            return self.profile_only(t, profile)
        scored.sort(key=lambda x: -x[0])
        total = sum(s for s, _ in scored) + keep
        best_s, best = scored[0]
        conf = best_s / total
        # ratio protection: a form the book uses often is its own word unless the word it
        # would misread is far more common
        if n_t >= cfg["protect_count"] and info.shape == 1.0:
            if n_t > cfg["protect_ratio"] * self.book_count(best.cand):
                return None
        mark, mark_conf = ("", 1.0)
        if best.punct:
            mark, mark_conf = self.end_mark(t)
            conf *= mark_conf
        if status_for(SCORED, conf, self.th) is None:
            return None         # the policy would drop it: no need to spell its readings
        cands = []
        for s, p in scored[: cfg["max_candidates"]]:
            m = mark if p.punct else ""
            c = apply_case(core, p, p.cand, sentence_start=ss, prefer_capital=self.prefer_capital(p.cand),
                           book_form=self.book_form(p.cand),
                           capital_common=lambda c=p.cand: self.capital_common(c, t)) + m + t.new_suffix
            if c not in cands:
                cands.append(c)
        after = cands[0]
        if after == core + t.suffix:
            return None
        status = SCORED
        if t.realword and context_factor(prev, nxt, best.cand, self.book, self.pair_counts()) \
                < cfg["realword_apply_context"]:
            status = SCORED_QUEUE   # a real word doubted on too little context: a person decides
        if best.rules != ("case",):
            f = self.freq(best.cand)
            known = self.english.get(best.cand, 0.0) >= cfg["english_min"] or \
                self.book_count(best.cand) >= 3
            if f < cfg["queue_min_freq"] * (20 if len(core) <= 4 else 1) or not known:
                # a doubtful fix to a word with next to no evidence is not worth a look
                if status == SCORED_QUEUE:
                    return None
                status = SCORED_NO_QUEUE
        rule = "lost-glyph" if LOST in core else ("case" if best.rules == ("case",) else "glyph")
        if t.realword:
            rule = "real-word"
        end = t.end + len(t.suffix)
        note = " ".join(best.rules)
        if self._stray_apostrophe(end, core, after):
            # `strongel' industry`: the apostrophe is part of the misread glyph, not a quote
            # (none opens before it): the item spans it, and keeping it is a candidate
            end += 1
            cands.append(after + "'")
            note += "; the apostrophe after it read as part of the glyph"
        return Edit(t.start, end, after, rule, round(conf, 4), status, tuple(cands), note=note,
                    evidence=self.evidence(best, best_s, sum(s for s, _ in scored[1:]), keep, mark_conf, n_t,
                                           factors.get(id(best))))

    def _stray_apostrophe(self, end: int, core: str, after: str) -> bool:
        """An apostrophe right after a word whose last letter the fix changes, followed by no
        letter, with no single quote opening before it in the paragraph (nor a plural
        possessive): part of the misread glyph."""
        text = self.text
        if not text.startswith("'", end) or (end + 1 < len(text) and text[end + 1].isalnum()):
            return False
        if not after[-1:].isalpha() or after[-1:] == core[-1:] or after.endswith("s"):
            return False
        para = text.rfind("\n", 0, end) + 1
        return _OPENING_SINGLE.search(text, max(para, end - 400), end) is None

    def evidence(self, best: Reading, best_s: float, others: float, keep: float, mark_conf: float,
                 n_t: int, factors: tuple | None) -> dict:
        """The factors of a noisy-channel score, by name: the channel's weight of the rules
        read, the scan profile's weight of them, the odds of the capitals, a name's odds,
        the candidate's frequency (the book's uses + English), the context of the word pairs;
        their product ``score``, the odds of ``keep``ing the form (seen ``form_uses`` times in
        the book) and of the ``others`` readings; confidence = score / (score + keep + others)."""
        ev: dict = {"channel": _sig(best.weight)}
        if factors is None:        # the case-only fix: capitals set right in a known word
            ev["case_only"] = True
        else:
            profile, case_odds, name, f, ctx = factors
            if profile != 1.0:
                ev["profile"] = _sig(profile)
            if case_odds != 1.0:
                ev["case"] = _sig(case_odds)
            if name:
                ev["name"] = _sig(self.cfg["name_weight"])
            ev["freq"], ev["context"] = _sig(f), _sig(ctx)
        ev["score"], ev["keep"], ev["others"] = _sig(best_s), _sig(keep), _sig(others)
        ev["form_uses"] = n_t
        if mark_conf != 1.0:
            ev["mark"] = _sig(mark_conf)
        return ev

    def profile_only(self, t: _Target, profile: dict | None) -> Edit | None:
        """A word no list knows, ending in l/I + lost glyph: when the scan's sure fixes read
        that ending as "r," again and again, read it so here too (Reissnel\ufffd -> Reissner,)."""
        core = t.tok
        if profile is None or len(core) < 4 or core[-1] != LOST or core[-2] not in "lI" \
                or not core[:-2].isalpha() or t.suffix:
            return None
        n = self.used.get("l\ufffd>r,", 0)
        if n < self.cfg["profile_min_uses"]:
            return None
        mark, mark_conf = self.end_mark(t)
        conf = round(n / (n + 1.0) * self.cfg["profile_reading_odds"] * mark_conf, 4)
        after = core[:-2] + "r" + mark
        return Edit(t.start, t.end, after, "lost-glyph", conf, SCORED, (after,),
                    note=f"l\ufffd>r, (profile: {n} sure fixes)",
                    evidence={"profile_uses": n, "mark": _sig(mark_conf)})

    def learn_profile(self, first: list) -> dict | None:
        """Re-weight each rule by how often the scan's sure fixes used it."""
        sure = [e for e in first if e is not None and e.confidence >= self.cfg["sure_threshold"]]
        if len(sure) < self.cfg["profile_min_fixes"] and not self.learned_used:
            return None
        used = collections.Counter()
        if len(sure) >= self.cfg["profile_min_fixes"]:
            for e in sure:
                for r in e.note.split():
                    used[r] += 1
        for r, n in self.learned_used.items():
            used[r] += 2 * n        # a person's decision counts double
        self.used = used
        keys = {r.key for r in self.stage.model.rules}
        return {k: 1.0 + min(2.0, used.get(k, 0) / 5.0) for k in keys}
