"""words: one site weighed in its context: the token kept against its readings."""
from __future__ import annotations

import math
from dataclasses import replace

from ...ledger import Edit
from ...policy import SCORED, status_for
from ...errmodel import Candidate
from .rules import (LOOKALIKE_FAMILIES, best_reading, long_s_lookalikes, long_s_readings, merged_words,
                    parted_pair)
from .tokens import (HAS_DIGIT, LONG_S, _named, _recase, as_printed_long_s, capital_long_s, digit_misread,
                     stray_letter)

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_JOINED_AT = {" ": "split", "-": "hyphen"}     # what stood between two pieces read as one word (else a mark)


_UNSEEN = object()       # (a key the memo of weighed tokens does not hold yet)


def _rule_of(families) -> str:
    """The rule a reading is the work of: two words parted, long s alone, long s read as the
    letter it resembles (or lost before h), or the error model.

    >>> _rule_of(("merged",)), _rule_of(("long-s", "long-s")), _rule_of(("b/h",)), _rule_of(("long-s", "c/e"))
    ('merged-words', 'long-s', 'ocr-confusion', 'ocr-confusion')
    >>> _rule_of(("l/\u017f",)), _rule_of(("h/\u017fh",))
    ('long-s-lookalike', 'long-s-lookalike')
    """
    if families == ("merged",):
        return merged_words.rule.name
    if families and all(f == "long-s" for f in families):
        return long_s_readings.rule.name
    if len(families) == 1 and families[0] in LOOKALIKE_FAMILIES:
        return long_s_lookalikes.rule.name
    return best_reading.rule.name


_LONG_S_FAMILIES = LOOKALIKE_FAMILIES | {"long-s"}    # the readings of a long s misread or lost


class _Decide:
    """The deciding half of a run (mixed into :class:`~ocr_clean.stages.words.run._Run`)."""

    def decide(self, m, tok: str, low: str, prev, nxt, cands):
        """The reading of the token ``tok`` at ``m`` between ``prev`` and ``nxt`` (lower case,
        None where a mark or a line stands between), or None to keep it.  The same token
        between the same neighbours (and as much at a sentence start, which only a capital or a
        digit cares about) is weighed once a pass: the verdict is the same wherever it stands."""
        start = m.start()
        if self._at_hyphen(start, start + len(tok)):
            return None                               # half of a word broken at a hyphen (in- structed, cer- tain)
        first = tok[:1]
        sentence_start = (first.isupper() or first.isdigit()) and self._sentence_start(m)
        key = (tok, prev, nxt, sentence_start)
        memo = self._memo
        got = memo.get(key, _UNSEEN)
        if got is _UNSEEN:
            got = memo[key] = self._weigh(tok, low, prev, nxt, cands, sentence_start)
        if got is None:
            return None
        after = got.after
        if first.isdigit() and after[:1].islower() and (sentence_start or self._among_capitals(start, start + len(tok))):
            after = after[:1].upper() + after[1:]     # a digit stands as high as a capital (8ir John -> Sir John)
        return replace(got, start=start, end=start + len(tok), after=after, evidence=dict(got.evidence))

    def _as_printed(self, tok: str, after: str) -> str:
        """``after`` with the long s the page shows (:func:`as_printed_long_s`): where ``tok``
        has one, and in a text written with it where the reading reads a misread one."""
        if self.long_s_letter == LONG_S or LONG_S in tok:
            return as_printed_long_s(tok, after, self.long_s_letter == LONG_S)
        return after

    def _among_capitals(self, start: int, end: int) -> bool:
        """Does the word before or after ``start:end`` (a space apart) begin with a capital?"""
        text = self.text
        before = text[max(0, start - 30):start]
        after = text[end:end + 30]
        return (before.endswith(" ") and before.rstrip().rsplit(" ", 1)[-1][:1].isupper()) or \
            (after.startswith(" ") and after.lstrip()[:1].isupper())

    def _weigh(self, tok: str, low: str, prev, nxt, cands, sentence_start: bool):
        """:meth:`decide` at offset 0 (the caller moves the edit where the token stands)."""
        cfg, lm = self.cfg, self.lm
        f = self.freq(low)
        for a, b, other in ((prev, low, prev), (low, nxt, nxt)):
            if other and ((self.freq(other) == 0 and (self.freq(a + b) >= cfg["rare_freq"] or self._one_word(a + b)))
                          or stray_letter(other)):
                return None                           # half of a split word (impermissibi lity, peasan s)
        if f >= cfg["anchor_freq"] and (prev is None or lm.pair_count(prev, low)) \
                and (nxt is None or lm.pair_count(low, nxt)):
            return None                               # an anchor: a common word in common pairs
        if digit_misread(low) and any(w and w[:1].isdigit() for w in (prev, nxt)):
            return None                               # beside a number: a figure of a table sooner (11 3jd 12)
        if len(low) <= 2 and f < cfg["rare_freq"] and prev and prev[:1].isdigit():
            return None                               # after a number: a unit or a fraction misread (1 Ih), not a word
        if cfg["name_no_generic"] and _named(tok, sentence_start):
            # a name sooner (Tse-tung), unless the text is noisy, the token long and the reading
            # a common word (CHBI8TMAS -> CHRISTMAS)
            cands = self.once_a_pass(("named", low), cands, lambda: self._as_name(low, cands))
            if not cands:
                return None
        if not tok.islower() and any(_LONG_S_FAMILIES.intersection(c.families) for c in cands):
            # no capital is a long s: Hould is no Should misread, nor, where long s was printed, Fame Same
            cands = self.once_a_pass(("capital", tok), cands, lambda: [
                c for c in cands if not (_LONG_S_FAMILIES.intersection(c.families)
                                         and capital_long_s(tok, c.word, self.long_s))])
            if not cands:
                return None
        p_keep, keep_src = self.word_p(low, tok, sentence_start, cands)
        if HAS_DIGIT.search(low):
            p_keep *= 1e-3                            # digits among letters: no printed word looks so
        keep_score = lm.logp(prev, low, p_keep) + (lm.logp(low, nxt) if nxt else 0.0) + math.log10(cfg["intact"])
        scored = [(self.seq_score(prev, c.word, nxt) - c.cost, c) for c in self.shortlist(cands)]
        scored.sort(key=lambda x: -x[0])
        got = best_reading(keep_score, scored, self._need(f, prev, scored[0][1].word, nxt))
        if got is None:
            return None
        best_s, best, conf = got
        if status_for(SCORED, conf, self.stage.thresholds) is None:
            return None                               # the policy would drop it: spare the checks below
        if " " not in best.word and self._doubted(best.word, tok, prev, nxt, sentence_start):
            return None                               # the reading would itself be corrected: no fixed point
        after = self._as_printed(tok, _recase(tok, best.word))
        if after == tok:
            return None
        best_f = math.prod(self.freq(w) for w in best.word.split(" "))
        note = (f"{'+'.join(best.families)} cost {best.cost:.1f}; "
                f"{best.word} {best_f:.1e} vs {low} {p_keep:.1e} ({keep_src}); "
                f"context {prev or '-'} _ {nxt or '-'}; margin {best_s - keep_score:.1f}")
        cand_words = tuple(_recase(tok, c.word) for _, c in scored[:4])
        evidence = {
            "family": "+".join(best.families),
            "cost": round(best.cost, 2),
            "english": float(f"{best_f:.3g}"),
            "kept_p": float(f"{p_keep:.3g}"),
            "kept_as": keep_src,
            "context": f"{prev or '-'} _ {nxt or '-'}",
            "noise": round(self.noise, 4),
            "scores": {c.word: round(sc, 2) for sc, c in scored[:4]} | {low + " (kept)": round(keep_score, 2)},
            "margin": round(best_s - keep_score, 2),
        }
        kept = () if self.stage.would_apply(conf) else (tok,)   # a queued fix offers the raw text too
        return Edit(0, len(tok), after, _rule_of(best.families), round(conf, 4), SCORED,
                    cand_words + kept, note, evidence=evidence)

    def decide_join(self, m1, m2, l1: str, l2: str, prev, nxt, loose: bool = False):
        """Two tokens one space (or a lost line-end hyphen) apart read as one word: its
        readings (the joined form itself when it is a word, the error model's readings of it,
        each costing a space the OCR put in, and the words with a letter where the space
        stands), weighed against the two tokens kept as they stand.  A ``loose`` pair (both
        pieces words, one rare) has no search: only the joined form and the lost letter."""
        cfg, lm = self.cfg, self.lm
        join = l1 + l2
        split = cfg["split_cost"]
        sep = _JOINED_AT.get(self.text[m1.end()], "mark")             # the family the ledger names
        cands = []
        # the pieces joined as they stand: a word of English at least rare_freq common, or any
        # word of English's candidate list when it is long (long words are rare ones:
        # refu tation, par tiality)
        least = cfg["candidate_min_freq"] if len(join) >= cfg["long_join_len"] else cfg["rare_freq"]
        if self.freq(join) >= least:
            cands.append(Candidate(join, split, (sep,)))
        # a common word beside a fragment: one letter read outside the families is too weak
        # a reason to take the word apart (their sty -> thirsty, wo may -> woman)
        generic = max(self.freq(l1), self.freq(l2)) < cfg["anchor_freq"]
        for c in () if loose else self.candidates(join, self.stage.model, cheap=False, generic=True, mixed=False):
            if c.word not in (join, l1, l2) and (generic or "generic" not in c.families):
                cands.append(Candidate(c.word, c.cost + split, c.families + (sep,)))
        cands = self._with_gap_letter(l1, l2, cands)
        if not cands:
            return None
        t1, t2 = m1.group(), m2.group()
        sentence_start = self._sentence_start(m1)
        p1, src1 = self.word_p(l1, t1, sentence_start)
        p2, src2 = self.word_p(l2, t2, False)
        intact = math.log10(cfg["intact"])
        keep_score = lm.logp(prev, l1, p1) + lm.logp(l1, l2, p2) + (lm.logp(l2, nxt) if nxt else 0.0) + 2 * intact
        scored = [(self.seq_score(prev, c.word, nxt) - c.cost + intact, c) for c in self.shortlist(cands)]
        scored.sort(key=lambda x: -x[0])
        got = best_reading(keep_score, scored, cfg["join_margin"])
        if got is None:
            return None
        best_s, best, conf = got
        if status_for(SCORED, conf, self.stage.thresholds) is None:
            return None
        if len(best.word) <= 4 and self.freq(best.word) < cfg["join_short_freq"]:
            return None                               # a short rare word is as likely noise beside a stray letter
        tok = t1 + t2
        after = self._as_printed(tok, _recase(tok, best.word))     # (refpec-tive -> reſpective)
        best_f = self.freq(best.word)
        kept = () if self.stage.would_apply(conf) else (t1 + " " + t2,)
        note = (f"{'+'.join(best.families)} cost {best.cost:.1f}; {best.word} {best_f:.1e} vs "
                f"{l1} {p1:.1e} ({src1}) + {l2} {p2:.1e} ({src2}); context {prev or '-'} _ {nxt or '-'}; "
                f"margin {best_s - keep_score:.1f}")
        evidence = {
            "family": "+".join(best.families), "cost": round(best.cost, 2), "english": float(f"{best_f:.3g}"),
            "kept_p": [float(f"{p1:.3g}"), float(f"{p2:.3g}")], "kept_as": f"{src1} + {src2}",
            "context": f"{prev or '-'} _ {nxt or '-'}", "noise": round(self.noise, 4),
            "scores": {c.word: round(sc, 2) for sc, c in scored[:4]} | {f"{l1} {l2} (kept)": round(keep_score, 2)},
            "margin": round(best_s - keep_score, 2),
        }
        return Edit(m1.start(), m2.end(), after, parted_pair.rule.name, round(conf, 4), SCORED,
                    tuple(_recase(tok, c.word) for _, c in scored[:4]) + kept, note, evidence=evidence)

    def _with_gap_letter(self, l1: str, l2: str, cands: list, only: str = "") -> list:
        """``cands`` with the words the two pieces are when the space between them stands where
        a letter was printed and the OCR saw only the gap (``w lling`` -> ``willing``, ``ni ht``
        -> ``night``, ``hims lf`` -> ``himself``): each a word of English at least ``rare_freq``
        common, at ``gap_letter_cost`` (a word the search reached at a dearer cost, ``d y`` ->
        ``day`` through a letter lost, is read so instead); one of the letters ``only`` if given."""
        cost, least, freq = self.cfg["gap_letter_cost"], self.cfg["rare_freq"], self.freq
        # only the letters that follow l1 in some English word (the candidate words hold every
        # word that common, unless the settings make them fewer)
        letters = self.children.get(l1) if self.cfg["candidate_min_freq"] <= least else _LETTERS
        gap = {}
        for ch in letters:
            if only and ch not in only:
                continue
            word = l1 + ch + l2
            if freq(word) >= least:
                gap[word] = Candidate(word, cost, ("gap-letter",))
        if not gap:
            return cands
        out = [c for c in cands if c.word not in gap or c.cost <= cost]
        kept = {c.word for c in out}
        return out + [c for w, c in gap.items() if w not in kept]

    def _at_hyphen(self, start: int, end: int) -> bool:
        """Is the token at ``start:end`` one half of a word broken at a hyphen with a space or a
        line end after it (``in- structed``, ``cer- tain``): a piece, not a word to read alone?"""
        text = self.text
        if start >= 3 and text[start - 1] in " \n" and text[start - 2] == "-" and text[start - 3].isalpha():
            return True
        return end + 2 < len(text) and text[end] == "-" and text[end + 1] in " \n" and text[end + 2].isalpha()

    def _one_word(self, joined: str) -> bool:
        """Do two pieces read together look like one long word of English no list holds
        (``impermissibi`` + ``lity``: its letters average at least ``fragment_shape``)?  Then
        neither piece is a word to correct alone: the fix is the join, a person's to make."""
        return len(joined) >= self.cfg["fragment_min_len"] and joined.isalpha() and \
            self.chars.logp(joined) / (len(joined) + 1) >= self.cfg["fragment_shape"]

    def _as_name(self, low: str, cands) -> list:
        """The readings of a capitalized token inside a sentence (see :meth:`_weigh`)."""
        cfg = self.cfg
        common = self.shift < cfg["clean_shift"] and len(low) >= 5
        return [c for c in cands if "generic" not in c.families
                or (common and self.freq(c.word) >= cfg["name_generic_freq"])]

    def shortlist(self, cands) -> list:
        """The ``shortlist`` candidates likeliest without context (English frequency less
        cost): the ones worth weighing in context (a pair can lift a word by a few decades,
        not from the bottom of a long list of rare words)."""
        n = self.cfg["shortlist"]
        if len(cands) <= n:
            return cands
        logf = self.stage.log_freq
        return self.once_a_pass(("shortlist",), cands, lambda: sorted(cands, key=lambda c: c.cost - logf(c.word))[:n])

    def _pair_seen(self, prev, words: str, nxt) -> bool:
        """Does the pair table hold ``words`` beside one of its neighbours (``hut`` may be
        ``but`` by its frequency, but only a pair such as ``but the`` says it is)?"""
        lm = self.lm
        parts = words.split(" ")
        return bool((prev and lm.pair_count(prev, parts[0])) or (nxt and lm.pair_count(parts[-1], nxt))
                    or (len(parts) == 2 and lm.pair_count(parts[0], parts[1])))

    def _doubted(self, word: str, tok: str, prev, nxt, sentence_start: bool) -> bool:
        """Would the stage correct ``word`` itself, standing where ``tok`` stands?  A reading
        that a second clean would change again is no reading to apply (``Wl1e`` -> ``Wile``,
        then ``Wile`` -> ``Who``): cleaning a cleaned text must change nothing."""
        cfg, lm = self.cfg, self.lm
        cands = self.type_cands(word, self.stage.model)
        if not cands:
            return False
        f = self.freq(word)
        if f >= cfg["anchor_freq"] and (prev is None or lm.pair_count(prev, word)) \
                and (nxt is None or lm.pair_count(word, nxt)):
            return False
        p_keep, _ = self.word_p(word, _recase(tok, word), sentence_start, cands)
        keep_score = lm.logp(prev, word, p_keep) + (lm.logp(word, nxt) if nxt else 0.0) + math.log10(cfg["intact"])
        best_s, best = max(((self.seq_score(prev, c.word, nxt) - c.cost, c) for c in self.shortlist(cands)),
                           key=lambda x: x[0])
        return best_s > keep_score + self._need(f, prev, best.word, nxt)

    def _need(self, f: float, prev, best: str, nxt) -> float:
        """The margin (log10) a reading ``best`` must win by over a token of English frequency
        ``f``: none for a form no list knows; for a word of English a clear one, the wider the
        more common it is (he/be, far/for: real words the pairs rarely settle), and wider
        again where no word pair shows ``best`` beside a neighbour (frequency alone)."""
        cfg = self.cfg
        if f < cfg["rare_freq"]:
            return 0.0
        need = cfg["common_margin"] if f >= cfg["anchor_freq"] else cfg["word_margin"]
        if not self._pair_seen(prev, best, nxt):
            need += cfg["unseen_pair_margin"]
        return need

    def seq_score(self, prev, words: str, nxt) -> float:
        """log10 P of ``words`` (one word, or two a space apart) between its neighbours."""
        lm, p_words = self.lm, self._p_words
        if " " not in words:                          # (one word: the commonest ask, in one call)
            p_w = p_words.get(words)
            return lm.logp_between(prev, words, self._p_word(words) if p_w is None else p_w, nxt)
        s, p = 0.0, prev
        for w in words.split(" "):
            p_w = p_words.get(w)
            s += lm.logp(p, w, self._p_word(w) if p_w is None else p_w)
            p = w
        return s + (lm.logp(p, nxt) if nxt else 0.0)

    def _p_word(self, w: str) -> float:
        """The probability of the word ``w`` in this text, kept all the run (the text's counts
        do not change)."""
        n = self.vocab.count(w) if self.vocab is not None else 0
        p_w = self._p_words[w] = self.adapt(max(self.freq(w), 1e-9), n)
        return p_w
