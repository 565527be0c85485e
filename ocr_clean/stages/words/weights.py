"""words: how likely a word form is as a word of the text (mixed into the run): English's
counts, the text's and the collection's own (a cache model), period spellings, derived forms
and the shape of its letters."""
from __future__ import annotations

import math

from .tokens import SUFFIXES, _named


class _Weights:
    """The weighing half of a run (mixed into :class:`~ocr_clean.stages.words.run._Run`)."""

    def derived(self, low: str) -> float:
        """How common ``low`` is as an English word with a common suffix (a plural, a
        participle: ``irreconcilables``), 0 when it is none: ``derived_share`` of its stem's
        frequency, for stems at least ``rare_freq`` common (the lists hold much noise below)."""
        best = 0.0
        floor = self.cfg["rare_freq"]
        freq = self.freq
        for suf in SUFFIXES:
            if low.endswith(suf) and len(low) - len(suf) >= 3:
                stem = low[:-len(suf)]
                forms = [stem, stem + "e"]
                if len(stem) > 3 and stem[-1] == stem[-2]:
                    forms.append(stem[:-1])
                if stem.endswith("i"):
                    forms.append(stem[:-1] + "y")
                for form in forms:
                    fr = freq(form)
                    if fr >= floor and fr > best:
                        best = fr
        return best * self.cfg["derived_share"]

    def modern_forms(self, low: str) -> list[tuple[str, str]]:
        """(today's word, rule) for each period spelling rule that turns ``low`` into a word
        of English at least ``historical_min`` common (the same for every text: kept by the stage)."""
        out = self.stage._modern_cache.get(low)
        if out is None:
            out = []
            for pat, rep, name in self.stage.historical:
                if pat.search(low):
                    modern = pat.sub(rep, low, count=1)
                    if modern != low and len(modern) >= 3 and self.freq(modern) >= self.cfg["historical_min"]:
                        out.append((modern, name))
            _keep(self.stage._modern_cache, low, out)
        return out

    def word_p(self, low: str, tok: str, sentence_start: bool, cands=()) -> tuple[float, str]:
        """Probability of ``low`` as a word of its own (the token itself not counted), and
        where it comes from.  The text's uses of the form count as evidence only beyond what
        misreadings of its candidates would explain (``tho`` 200 times beside ``the`` 5,000
        times is the OCR's habit, not a word of the text).  The same form with the same
        candidates (the same list: a pass's) is weighed once a pass."""
        name = _named(tok, sentence_start)
        return self.once_a_pass(("word_p", low, name), cands, lambda: self._word_p(low, tok, sentence_start, cands))

    def once_a_pass(self, key: tuple, cands, compute):
        """``compute()``, a verdict on ``key`` and the list ``cands`` (this very list: a
        pass's candidates of a form are one list, kept all the pass), found once a pass."""
        key += (id(cands),)
        got = self._pass_memo.get(key)
        if got is None or got[0] is not cands:
            got = self._pass_memo[key] = (cands, compute())
        return got[1]

    def _word_p(self, low: str, tok: str, sentence_start: bool, cands) -> tuple[float, str]:
        f = self.freq(low)
        d = self.derived(low) if f == 0 else 0.0
        period = self._period_p(low, f)
        if period > f:
            base, src = period, "period spelling"
        elif f > 0:
            base, src = f, "english"
        elif d > 0:
            base, src = max(d, self.cfg["unknown_word"] * self.clean_odds), "derived"
        elif _named(tok, sentence_start):
            base, src = self.cfg["name_word"] * self.clean_odds * self.shape(low, cands), "name"
        else:
            base, src = self.cfg["unknown_word"] * self.clean_odds * self.shape(low, cands), "unknown"
        n = self.vocab.count(low) - 1 if self.vocab is not None else 0
        if n > 0 and self._habit_reading(cands):
            n = 0                                     # the habit repeats its misreadings (feized x2, Juno x5)
        if n > 0 and cands:
            count = self.vocab.count
            explained = self.cfg["habit_odds"] * sum(count(c.word) * math.pow(10.0, -c.cost)
                                                     for c in cands[:8] if " " not in c.word)
            n = max(0, round(n - explained))
        if n > 0:
            src += f", text x{n + 1}"
        return self.adapt(base, n), src

    def _period_p(self, low: str, f: float) -> float:
        """How common ``low`` is as a period spelling (``shewn``, ``compleat``): ``period_share``
        of its commonest word of today (:meth:`modern_forms`), 0 for none.  A period spelling
        is a word of its own, not a rarer one than the misreadings it is near (shewn: not shawn).
        Only from ``period_min_len`` letters: the rules reach a short word by chance (thea, hew)."""
        if f >= self.cfg["historical_max"] or len(low) < self.cfg["period_min_len"]:
            return 0.0
        modern = self.modern_forms(low)
        if not modern:
            return 0.0
        return self.cfg["period_share"] * max(self.freq(m) for m, _ in modern)

    def _habit_reading(self, cands) -> bool:
        """Is one of the likeliest readings the work of the text's own habits alone: long s read
        as f in a text that shows it, or the families its sure fixes show often (the second
        pass)?  A form so read gets no credit as a word of the text for its repeats: an OCR
        habit repeats its misreadings (``feized`` twice, ``Juno`` in every date of a list)."""
        learned, long_s = self.learned, self.long_s
        return any(all(f in learned or (long_s and f == "long-s") for f in c.families) for c in cands[:3])

    def shape(self, low: str, cands) -> float:
        """How much less likely ``low`` is a word no list knows, for letters that English
        words do not string together the way its readings do (``beaoonsfield`` against
        ``beaconsfield``): ``shape_weight`` of the decades its letters fall short, at most 1."""
        weight = self.cfg["shape_weight"]
        if not cands or weight <= 0:
            return 1.0
        chars = self.chars
        ref = max(chars.logp(c.word) for c in cands[:3] if " " not in c.word) if any(
            " " not in c.word for c in cands[:3]) else None
        if ref is None:
            return 1.0
        short = chars.logp(low) - ref
        return math.pow(10.0, weight * short) if short < 0 else 1.0

    def adapt(self, base: float, n: int) -> float:
        """A word's probability in this text: its English ``base`` with the text's own ``n``
        uses (a cache model, Dirichlet-smoothed: the text's counts weigh in as it grows)."""
        if n <= 0:
            return base * self.mu / (self.N + self.mu)
        return (n + self.mu * base) / (self.N + self.mu)


def _keep(memo: dict, key, value, most: int = 200000):
    """``value``, kept in the process-wide ``memo`` under ``key`` (emptied when it holds
    ``most``: the memos of a stage stay bounded however many texts a process cleans)."""
    if len(memo) >= most:
        memo.clear()
    memo[key] = value
    return value
