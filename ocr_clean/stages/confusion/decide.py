"""The decision about each target: the noisy-channel score of its readings, the rule that
made the edit, and the evidence recorded with it (a mixin of the run, :class:`~.stage._Run`)."""
from __future__ import annotations

import collections

from ...channel import LOST, SAME_SHAPE, Reading, apply_case, case_anomalies, context_factor, shape_odds
from ...ledger import Edit
from ...policy import SCORED, SCORED_NO_QUEUE, SCORED_QUEUE, status_for
from .rules import end_mark, glyph, length_odds, realword_doubted
from .tokens import INNER_CAP, _OPENING_SINGLE, _Core, _sig, _Target


class Decide:
    # -- scoring --------------------------------------------------------------------------------
    def readings(self, core: str):
        r = self.cache.get(core)
        if r is None:
            r = self.cache[core] = self.stage.model.readings(core, self.word_test())   # (is_word, bound)
        return r

    def end_mark(self, t: _Target) -> tuple[str, float]:
        """The mark a lost glyph at a word's end stood for, and how sure that is (the rule
        ``lost-glyph``)."""
        return end_mark(self.text, t.end + len(t.suffix) + len(t.marker_tail), self.book.counts, self.cfg)

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
        info.keep = shape * keep_freq * cfg["keep_weight"] * length_odds(len(core), cfg["length_odds"])
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
                info.case_fix = (cfg["case_weight"] ** k * f * cfg["case_only_odds"], p)
        return info

    def decide(self, t: _Target, profile: dict | None) -> Edit | None:
        """The edit of a target (scored; the confidence policy decides its status), or None."""
        core = t.tok
        cfg = self.cfg
        info = self.core_info(core)
        if not info.paths and t.alt is not None:
            return self.decide(t.alt, profile)
        scored, factors, keep, near = self._score(t, info, profile)
        if not scored:
            if t.new_suffix != t.suffix:
                return Edit(t.end, t.end + len(t.suffix), t.new_suffix, "case", cfg["suffix_case_confidence"],
                            SCORED, (t.new_suffix,), note="'S after a word is 's",
                            evidence={"suffix": t.suffix})
            return self.profile_only(t, profile)
        scored.sort(key=lambda x: -x[0])
        best_s, best = scored[0]
        # ratio protection: a form the book uses often is its own word unless the word it
        # would misread is far more common
        if info.n_t >= cfg["protect_count"] and info.shape == 1.0:
            if info.n_t > cfg["protect_ratio"] * self.book_count(best.cand):
                return None
        mark, mark_conf = self.end_mark(t) if best.punct else ("", 1.0)
        conf = glyph([s for s, _ in scored], keep, mark_conf)
        if status_for(SCORED, conf, self.th) is None:
            return None         # the policy would drop it: no need to spell its readings
        cands = self._readings_as_printed(t, scored, mark, near[2])
        after = cands[0]
        if after == core + t.suffix:
            return None
        status = self._proposed_status(t, best, near)
        if status is None:
            return None
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
                    evidence=self.evidence(best, best_s, sum(s for s, _ in scored[1:]), keep, mark_conf, info.n_t,
                                           factors.get(id(best))))

    def _score(self, t: _Target, info: _Core, profile: dict | None):
        """The scored readings of a target (score, reading), the factors of each score by the
        reading's id, the odds of keeping the form, and (previous word, next word, sentence start)."""
        cfg = self.cfg
        core, low = t.tok, t.tok.lower()
        scored: list = []
        factors: dict = {}     # id(reading) -> (profile, case odds, name?, frequency, context)
        keep, near = 0.0, (None, None, False)
        if not (info.entries or info.case_fix):
            return scored, factors, keep, near
        keep = info.keep
        if t.realword:
            keep = self.freq(low) * cfg["realword_keep"]
        near = prev, nxt, ss = self.near(t)
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
            if t.realword and not realword_doubted(ctx, self.book_count(p.cand), f, self.freq(low), cfg):
                continue    # a real word is only doubted where the book's own pairs say so
            factors[id(p)] = (w / case_odds / (cfg["name_weight"] if name else 1.0) / p.weight,
                              case_odds, name, f, ctx)
            scored.append((w * f * ctx, p))
        if info.case_fix:
            scored.append(info.case_fix)
        return scored, factors, keep, near

    def _readings_as_printed(self, t: _Target, scored: list, mark: str, ss: bool) -> list[str]:
        """The readings of the best ``max_candidates``, each in the case and spelling the book
        would print it (a lost glyph's mark and the suffix after it)."""
        core, cands = t.tok, []
        for s, p in scored[: self.cfg["max_candidates"]]:
            m = mark if p.punct else ""
            c = apply_case(core, p, p.cand, sentence_start=ss, prefer_capital=self.prefer_capital(p.cand),
                           book_form=self.book_form(p.cand),
                           capital_common=lambda c=p.cand: self.capital_common(c, t)) + m + t.new_suffix
            if c not in cands:
                cands.append(c)
        return cands

    def _proposed_status(self, t: _Target, best: Reading, near) -> str | None:
        """How the confidence policy is to decide the edit: from its score (``SCORED``); a
        real word on too little context only ever queued; a reading with next to no evidence
        never queued (not worth a person's look); None: no edit."""
        cfg = self.cfg
        status = SCORED
        prev, nxt, _ = near
        if t.realword and context_factor(prev, nxt, best.cand, self.book, self.pair_counts()) \
                < cfg["realword_apply_context"]:
            status = SCORED_QUEUE
        if best.rules != ("case",):
            f = self.freq(best.cand)
            known = self.english.get(best.cand, 0.0) >= cfg["english_min"] or \
                self.book_count(best.cand) >= 3
            if f < cfg["queue_min_freq"] * (20 if len(t.tok) <= 4 else 1) or not known:
                return None if status == SCORED_QUEUE else SCORED_NO_QUEUE
        return status

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
