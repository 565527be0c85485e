"""Which tokens the confusion stage looks at: the screen of each form, the footnote markers
it leaves alone, the targets in text order and the word pairs around them (a mixin of the
run, :class:`~.stage._Run`)."""
from __future__ import annotations

import bisect
import collections

from ...channel import LOST
from .rules import realword_suspect, too_long
from .tokens import (HAS_DIGIT, INNER_CAP, MARKER, OPENERS, POSSESSIVE, TRAILING_DIGITS, WORDISH,
                     _TOO_LONG, _PairCounts, _Target)


class Targets:
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
        be a misread of a common one (corning for coming); the rule ``real-word``."""
        return realword_suspect(core, self.english.get(low, 0.0), self.own[low], self.stage.model.strong, self.cfg)

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
            info = _TOO_LONG if too_long(tok, cfg["max_token"]) else self.screen(tok)
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
                    prefix_known = (self.english.get(pl, 0.0) >= self.cfg["marker_word_english_min"] or pl in self.user
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
