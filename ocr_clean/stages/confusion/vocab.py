"""The book's vocabulary as the confusion stage asks it: known words, counts, usual
spellings, capitals, word pairs (a mixin of the run, :class:`~.stage._Run`)."""
from __future__ import annotations

import collections
import itertools

from ...channel import LOST, SAME_SHAPE
from ...lexicon import WORD
from .rules import case_slip
from .tokens import HAS_DIGIT, MID_CAPITAL, WORDISH, _Target


class Vocab:
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
        """Is ``cand`` a word a reading may become: the book's, the user's, or English's at least
        ``candidate_english_min`` common (one letter: only a and i)."""
        return self.word_test()(cand)

    def word_test(self):
        """:meth:`is_word` as one function with the sets and the threshold bound (the walk of
        :meth:`~ocr_clean.channel.ConfusionModel.readings` asks it tens of thousands of times on
        a book): made once a run, :meth:`is_word` answers through it."""
        if self._word_test is not None:
            return self._word_test
        if self._book_words is None:
            self.book_count("")
        book_words, user, english = self._book_words, self.user, self.english.get
        least = self.cfg["candidate_english_min"]

        def is_word(cand: str) -> bool:
            if len(cand) < 2 and cand not in ("a", "i"):
                return False
            return cand in book_words or cand in user or english(cand, 0.0) >= least

        self._word_test = is_word
        return is_word

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
        """Capitals inside a word that look like the scan's case slips (the rule ``case``)."""
        return case_slip(core, self.english, self.stage.slips, self.cfg["compound_english_min"])

    def well_cased(self, low: str) -> int:
        c = self.book.counts
        return c.get(low, 0) + c.get(low[:1].upper() + low[1:], 0) + c.get(low.upper(), 0)
