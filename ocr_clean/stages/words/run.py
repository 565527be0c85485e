"""words: one text's run of the stage: its habits (noise, long s) and the candidates of its
word forms (their probabilities as words are :mod:`.weights`', the sites :mod:`.sites`', the
verdicts :mod:`.decide`')."""
from __future__ import annotations

import collections
import math

from ...errmodel import Candidate, ErrorModel, PrefixIndex
from ...profile import long_s_variants, read_with_long_s
from .decide import _Decide
from .rules import long_s_lookalikes, long_s_readings, merged_words
from .sites import _Sites
from .specks import _Specks
from .weights import _Weights, _keep
from .tokens import LONG_S, Tokens, _core, _lower, _short_capitals, digit_misread, reads_digit, stray_letter


class _Run(_Sites, _Decide, _Specks, _Weights):
    """One text cleaned by the stage (state of that text only: a stage serves many)."""

    def __init__(self, stage, text: str, doc) -> None:
        self.stage, self.text, self.cfg, self.doc = stage, text, stage.config, doc
        self.cands, self.children, self.lm, self.chars = stage._english()
        # every word the stage asks about is lower case already (the token's _lower form, the
        # English candidates, its neighbours): no .lower() for each of a million look-ups
        self.freq = stage.lexicon.freq_lower
        # the words the cache model counts: the collection's when the text belongs to one (a
        # short text gets a book's worth of evidence), else the text's own
        self.vocab = stage.collection_vocab(doc) or stage.book_vocab(text, doc)
        self.toks = Tokens(text)                      # every token, read once
        self.groups = self.toks.groups
        self.types = collections.Counter(self.groups)
        self.long_s = self._long_s()
        # a long s read as f is written as the page shows it (ſ) where the profile found the
        # habit over the text, as today's s where a few words only suggest it (a short text,
        # or a later print whose OCR confuses f and s)
        letter = self.cfg["long_s_letter"]
        self.long_s_letter = letter if letter != "auto" else LONG_S if self._long_s_measured() else "s"
        coll = stage.collection_vocab(doc)
        if coll is not None:                          # measured once for the whole collection
            self.noise = stage._collection_noise.get(coll)
            if self.noise is None:
                self.noise = stage._collection_noise[coll] = self._noise(coll.counts)
        else:
            self.noise = self._noise(self.types)
        self.shift = min(self.cfg["shift_max"], max(self.cfg["shift_min"], math.log10(self.cfg["noise_ref"] / self.noise)))
        # in a clean text a word no list knows is more likely a real word than a misreading,
        # in a noisy one less
        self.clean_odds = min(self.cfg["odds_max"], max(self.cfg["odds_min"], self.cfg["noise_ref"] / self.noise))
        self.N = self.vocab.total if self.vocab is not None else 0
        self.mu = self.cfg["text_prior"]
        self.learned: dict[str, float] = {}        # family -> cost lowered by the text's own fixes (second pass)
        self._cores = None
        self._sites = None
        self._joins: list = []
        self._agree: dict = {}                        # (start, end) -> the texts earlier stages queued there
        self.unreadable: list[tuple[int, int]] = []
        self._types: dict = {}
        self._memo: dict = {}                         # (token, neighbours, sentence start) -> verdict, a pass
        self._pass_memo: dict = {}                    # a pass's verdicts on a form and its candidates (once_a_pass)
        self._p_words: dict = {}                      # word -> its probability in this text (seq_score)
        self._own_cands: dict = {}                    # candidates() key -> its list at this text's shift
        self._recosts: dict = {}                      # ... -> (learned, that list recosted by it)
        self._splits: dict = {}                       # (form, common only) -> splits()

    # -- habits of the text --------------------------------------------------------------
    def _long_s(self) -> bool:
        """Does the text show long s read as f?  The scan profile's habit when it was measured
        or set (``[scan] long_s``); where the text was too short for the profile to tell, the
        words that read as English words (``rare_freq`` common) when an f is read as s,
        by the profile's test (``thefe``, ``firft``, ``fuch``; :func:`read_with_long_s`),
        ``long_s_min`` of them."""
        habit = getattr(getattr(self.doc, "profile", None), "long_s", None)
        if habit is not None and habit.source != "neutral":
            return bool(habit.value)
        n = 0
        max_len = self.cfg["max_token"]
        freq, least = self.freq, self.cfg["rare_freq"]

        def is_word(w: str) -> bool:
            return freq(w) >= least
        for tok in self.types:
            if LONG_S in tok:                         # read with the long s itself: the page shows it
                n += 1
            else:
                low = _lower(tok)
                if "f" in low[:-1] and len(low) <= max_len and read_with_long_s(low, is_word, freq):
                    n += 1
            if n >= self.cfg["long_s_min"]:
                return True
        return False

    def _long_s_measured(self) -> bool:
        """Did the scan profile find long s read as f over the text itself (measured or set;
        not a default for a text too short to tell, nor the habit of a collection it belongs
        to, which may hold later prints beside an old one)?"""
        habit = getattr(getattr(self.doc, "profile", None), "long_s", None)
        return habit is not None and habit.source not in ("neutral", "collection") and bool(habit.value)

    def _noise(self, counts) -> float:
        """The text's share of small-letter words no English list knows (at least 0.1%): how
        noisy its OCR is.  The confusions' costs are calibrated at ``noise_ref``; a cleaner text
        makes every confusion less likely, a noisier one more."""
        n = bad = 0
        freq = self.freq
        for tok, k in counts.items():
            if len(tok) >= 3 and tok.islower() and tok.isalpha():
                n += k
                if freq(tok) == 0:
                    bad += k
        return max(0.001, (bad + 1) / (n + 30))

    # -- candidates ----------------------------------------------------------------------
    def candidates(self, low: str, model: ErrorModel, cheap: bool, generic: bool = True, mixed: bool = True):
        """The candidate words of ``low``: by the model's families alone first; a generic
        edit is tried only when no family reading is cheap (the walk with generic edits costs
        most).  Shared by every text the process cleans (the walk depends on the token only)."""
        cfg = self.cfg
        # every confusion costs its own cost plus the text's shift (tenths, so that texts
        # of about the same noise share the walks): in a clean text the walk need not look as
        # far, in a noisy one it reaches readings of two and three confusions
        generic = generic and self.shift < cfg["clean_shift"]
        key = self._cands_key(low, cheap, generic, mixed and generic, model.capitals)
        got = self._own_cands.get(key)                # this text's, its shift's rest paid
        if got is not None:
            return self._recosted(key, got) if self.learned else got
        got = self._own_cands[key] = self._rest_paid(self._walked(low, model, key))
        if self.learned:
            got = self._recosted(key, got)
        return got

    def _cands_key(self, low: str, cheap: bool, generic: bool, mixed: bool, capitals: bool = False) -> tuple:
        """The key a token's candidates are kept by: the token, the search asked, the text's
        shift in tenths, and which side of ``clean_shift`` the exact shift falls (the walk's
        limit depends on it: without it two texts whose shifts round alike would share the
        first one's list), and whether the model read it as set in capitals."""
        return (low, cheap, generic, round(self.shift, 1), mixed, self.shift >= self.cfg["clean_shift"], capitals)

    def cands_of(self, core: str, low: str, model: ErrorModel):
        """:meth:`type_cands` of the token ``core`` (lower case ``low``), by the model it is read
        by (:meth:`model_of`)."""
        return self.type_cands(low, self.model_of(core, model))

    def model_of(self, core: str, model: ErrorModel) -> ErrorModel:
        """The error model ``core`` is read by: ``model``, and for a token set in capitals
        (``PANTOMIMB``) the stage's model with the capitals' rows besides (a capital's shape is
        not its small letter's: E read as B, F as P)."""
        caps = self.stage.caps_model
        if caps is not model and len(core) > 1 and core.isupper():
            return caps
        return model

    def _rest_paid(self, got):
        """Candidates kept for the text's shift rounded (to tenths, so that texts of about the
        same noise share them) at the text's own: each use pays the rest."""
        rest = self.shift - round(self.shift, 1)
        if abs(rest) > 1e-9:
            got = [Candidate(c.word, max(0.1 * len(c.families), c.cost + rest * len(c.families)), c.families)
                   for c in got]
        return got

    def _walked(self, low: str, model: ErrorModel, key: tuple) -> list:
        """The candidates of :meth:`candidates`'s ``key`` at the shift rounded, kept by the
        stage for every text (the walk depends on the token only)."""
        cfg = self.cfg
        _, cheap, generic, shift, mixed, _, _ = key
        cache = self.stage._cands_cache
        got = cache.get(key)
        if got is None:
            g_cost = max(0.1, cfg["generic"] + shift)
            if cheap:
                got = [Candidate(c.word, max(0.1, c.cost + shift), c.families)
                       for c in model.rewrites(low, self.cands, cfg["cheap_cost"])]
            else:
                got, _ = model.candidates(low, self.children, self.cands, max_generic=0,
                                          max_cost=self._max_cost(low), shift=shift)
                if generic and cfg["generic_search"] and len(low) >= cfg["generic_min_len"] \
                        and (not got or got[0].cost > g_cost - 0.5):
                    have = {c.word for c in got}
                    got = got + [Candidate(w, g_cost, ("generic",))
                                 for w in self.stage._neighbours().neighbours(low) if w not in have]
                if not got and mixed and len(low) >= cfg["mixed_min_len"]:
                    got = self._mixed_readings(low, model, shift, g_cost)
            if len(low) <= cfg["short_len"] and low.isalpha() and (len(low) > 1 or stray_letter(low)):
                have = {c.word for c in got}
                got = got + [Candidate(w, g_cost, ("lost-letter",))
                             for w in self.stage._short_words().grown(low) if w not in have]
                if cfg["short_generic"] and self.freq(low) < cfg["short_generic_below"]:
                    have = {c.word for c in got}
                    s_cost = max(0.1, cfg["short_generic_cost"] + shift)
                    got = got + [Candidate(w, s_cost, ("generic",))
                                 for w in self.stage._short_words().neighbours(low)
                                 if w not in have and len(w) == len(low)]
                    got.sort(key=lambda c: (c.cost, c.word))
            _keep(cache, key, got)
        return got

    def _recosted(self, key, got):
        """:meth:`recost` of the candidates of ``key``, once for each ``learned`` (a pass)."""
        old = self._recosts.get(key)
        if old is not None and old[0] is self.learned:
            return old[1]
        out = self.recost(got)
        self._recosts[key] = (self.learned, out)
        return out

    def _mixed_readings(self, low: str, model: ErrorModel, shift: float, g_cost: float) -> list:
        """The readings of a token that neither the families alone nor one letter outside them
        read: a confusion and a letter outside them together (``railwsj`` -> ``railway``), or
        in a long token two letters outside them (``develofied`` -> ``developed``), among the
        few English words near it (:class:`~ocr_clean.errmodel.NearIndex`)."""
        cfg = self.cfg
        near = self.stage._near_words().near(low, cfg["mixed_distance"])
        if not near:
            return []
        starts, words = PrefixIndex(near), set(near)
        got, _ = model.candidates(low, starts, words, max_generic=1, max_cost=self._max_cost(low), shift=shift)
        if not got and len(low) >= cfg["two_min_len"]:
            got, _ = model.candidates(low, starts, words, max_generic=2,
                                      max_cost=self._max_cost(low) + g_cost, shift=shift)
        return got

    def _max_cost(self, low: str) -> float:
        """The most a reading of ``low`` may cost: more for a long token in a text noisier
        than ``clean_shift`` (long words have few neighbours; a clean text's long unknown
        tokens are names and foreign words, not worth the wider search)."""
        cfg = self.cfg
        if self.shift >= cfg["clean_shift"]:
            return cfg["max_cost"]
        return cfg["max_cost"] + cfg["long_cost"] * max(0, len(low) - 7)

    def recost(self, cands):
        """The candidates with the text's own family costs: each use of a family the text's
        sure fixes show often costs that much less (a confusion never below 0.3)."""
        less = self.learned
        out = [Candidate(c.word, max(0.3 * len(c.families), c.cost - sum(less.get(f, 0.0) for f in c.families)),
                         c.families) for c in cands]
        out.sort(key=lambda c: (c.cost, c.word))
        return out

    def learn(self, first: list) -> dict[str, float]:
        """Families the text's sure fixes show often, and how much cheaper each use of them is
        on the second pass (half a decade per tenfold of fixes)."""
        counts: dict[str, int] = {}
        sure = max(self.cfg["learn_confidence"], self.cfg["apply_threshold"])   # applied, and sure
        for e in first:
            if e is not None and e.confidence >= sure:
                for fam in set(e.note.split(" ", 1)[0].split("+")):
                    if fam and fam != "generic":
                        counts[fam] = counts.get(fam, 0) + 1
        families = {c.family for c in self.stage.caps_model.confusions}
        least = max(self.cfg["learn_min"], self.cfg["learn_share"] * len(self.toks))   # a habit of the text, not a few
        return {fam: 0.5 * math.log10(n) for fam, n in counts.items()                 # fixes in a long one
                if n >= least and fam in families}

    def cores(self) -> dict[str, tuple[str, str]]:
        """Every token form of the text worth a look -> (the part to correct, its lower case)."""
        if self._cores is None:
            max_len = self.cfg["max_token"]
            markers = not self.cfg["unmarked_misreads"] or self._digit_markers()
            out = {}
            for tok in self.types:
                core = _core(tok, max_len, markers)
                if core is None and _short_capitals(tok):
                    core = tok                        # an acronym, or a short word set in capitals
                if core is not None:                  # (read only among such words: _find_sites)
                    if len(core) < len(tok) and self._stray_apostrophe(tok, core):
                        core = tok                    # wh'ere: the mark is a speck, read with the word
                    out[tok] = (core, _lower(core))
            self._cores = out
        return self._cores

    def _speck_readings(self, low: str, model: ErrorModel) -> list:
        """The readings of a word with an apostrophe inside (:meth:`_stray_apostrophe`), and no
        others: the word without it, a speck (``p'assed``: the model's confusion that drops it), or
        with a thin letter the OCR read as it (``swell'ng``, ``r'ver``, ``Wil'iam``: i or l, at
        ``gap_letter_cost``).  No search beyond them: a period elision (``mem'ry``,
        ``pris'ner``, ``ne'er``) is a spelling, never read as the word of today."""
        head, _, rest = low.partition("'")
        if not (head.isalpha() and rest.isalpha()):
            return []
        least = self.cfg["rare_freq"]
        cands = [Candidate(c.word, max(0.1, c.cost + self.shift), c.families)      # the speck dropped
                 for c in model.rewrites(low, self.cands, self.cfg["cheap_cost"])
                 if "'" not in c.word and self.freq(c.word) >= least]
        return self._with_gap_letter(head, rest, cands, only=_READ_AS_APOSTROPHE)

    def _stray_apostrophe(self, tok: str, head: str) -> bool:
        """Is the apostrophe after ``head`` in ``tok`` a speck inside one word (``wh'ere``,
        ``p'assed``, ``w'lling``) rather than a clitic (``republic's``, ``don't``), a name's
        prefix (``O'Connell``, ``M'Dougal``, ``O'ltegan``), a form English writes so
        (``o'clock``), or a space misread between two words (``of'the``, ``sou'of``: a common
        word after it, or a pair the pair table knows)?  (A period elision, ``o'er``, ``mem'ry``,
        passes, and :meth:`_speck_readings` keeps it.)"""
        rest = tok[len(head) + 1:]
        if not (head.isalpha() and rest.isalpha() and rest.islower()) or rest in _CLITICS \
                or (len(head) == 1 and head.isupper()):
            return False
        if self.freq(_lower(tok)) > 0 or self.freq(rest) >= self.cfg["anchor_freq"] \
                or self.lm.pair_count(head.lower(), rest):
            return False                              # (of'the, sou'of: a space misread between words)
        return True

    def type_cands(self, low: str, model: ErrorModel):
        """The candidates of a word form, or None when no occurrence of it can change: a known
        word with a suffix, a period spelling, a longer word of English, a form no confusion
        turns into a word, or a word of English whose candidates are all so much rarer that no
        context could make up for it (triage)."""
        form = (low, True) if model.capitals else low  # (set in capitals: read by the capitals' rows too)
        got = self._types.get(form, False)
        if got is not False:
            return got
        cfg = self.cfg
        if "'" in low:                                # only a core _stray_apostrophe let through
            got = self._types[form] = self._speck_readings(low, model) or None
            return got
        f = self.freq(low)
        cands = None
        modern = self.modern_forms(low) if f < cfg["historical_max"] else ()
        if modern and f == 0:
            if self.long_s and _long_s_misread(low):  # a period spelling, but long s is an OCR error
                cands = self._with_long_s(low, [])
        elif len(low) > cfg["realword_max_len"] and f >= (cfg["rare_freq"] if self.shift < 0 else cfg["candidate_min_freq"]):
            # a longer word of English is its own reading (in a text noisier than noise_ref, a
            # rare one is searched: groat, milos), unless, in such a text, it is a word this rare
            # that the families turn into a common one (daring -> during, moans -> means)
            if self.shift < 0 and f < cfg["long_realword_below"]:
                cands = self._common_readings(low, model, [], cfg["long_reach_freq"])
        else:
            cands = self.candidates(low, model, cheap=f >= cfg["rare_freq"], generic=f == 0)
            if 0 < f < cfg["anchor_freq"] and self.shift < 0 and len(low) <= cfg["realword_max_len"]:
                cands = self._common_readings(low, model, cands)
            if self.long_s and _long_s_misread(low):
                cands = self._with_long_s(low, cands)
            if f < cfg["rare_freq"] and len(low) >= 4 and low.isalpha() and self.shift < cfg["clean_shift"]:
                split = self.splits(low, common_only=f > 0)
                if not split and f == 0:
                    split = self.glued_readings(low, model)
                cands = cands + split
            if low.isalpha() and self._far_searched(low, f):
                cands = self.far_readings(low, cands)
            if cands and digit_misread(low):          # a digit misread for a letter is read, never dropped
                short = len(low) <= cfg["short_len"]      # (and a short one only as a common word: 6tb, 4go)
                cands = [c for c in cands if reads_digit(low, c.word)
                         and (not short or self.freq(c.word) >= cfg["digit_short_freq"])]
            if modern and cands:                      # a rare word of English is never modernised
                kept = {m for m, _ in modern}         # (shew, connexion), but may be a misreading (tile)
                cands = [c for c in cands if c.word not in kept]
            if f > 0 and cands:
                floor = math.log10(f) - cfg["triage_odds"]
                logf = self.stage.log_freq
                if all(logf(c.word) - c.cost < floor for c in cands):
                    cands = None
        self._types[form] = cands or None
        return cands or None

    def _common_readings(self, low: str, model: ErrorModel, cands: list, least: float | None = None) -> list:
        """``cands`` with the readings of a short word of English that the families reach by
        more than one confusion, among English's commonest words only (``common_reach_freq``, or
        ``least``): in a text noisier than ``noise_ref``, ``boon``, ``ho``, ``lu`` and ``nil`` are
        sooner ``been``, ``be``, ``in`` and ``all`` misread than words of their own (the context decides)."""
        least, freq = self.cfg["common_reach_freq"] if least is None else least, self.freq
        key = self._cands_key(low, False, False, False, model.capitals)  # (candidates(cheap=False, generic=False))
        memo = self.stage._common_cache                # those common enough, kept by the stage: a short
        common = memo.get((key, least))                # word's many readings are not each paid the rest
        if common is None:                             # of the shift (and recosted) to keep a few
            common = _keep(memo, (key, least), [c for c in self._walked(low, model, key) if freq(c.word) >= least])
        common = self._rest_paid(common)
        return _added(cands, self.recost(common) if self.learned else common)

    def _far_searched(self, low: str, f: float) -> bool:
        """Is ``low`` (of English frequency ``f``) searched for the commonest words two letters
        away?  An unknown token of ``far_min_len`` to ``far_max_len`` letters in a text that is
        not clean; in a noisy one (noisier than ``noise_ref``) also a short rare word of English
        (``short_generic_below``; three letters and up): ``tbr``, ``ihn``, ``tua`` -> ``the``."""
        cfg, n = self.cfg, len(low)
        if f == 0:
            return cfg["far_min_len"] <= n <= cfg["far_max_len"] and self.shift < cfg["clean_shift"]
        return f < cfg["short_generic_below"] and 3 <= n <= cfg["short_len"] and self.shift < 0

    def far_readings(self, low: str, cands: list) -> list:
        """``cands`` with English's commonest words two letters from ``low`` at most (misread,
        added or lost; ``far_common_freq``), each at two letters' generic cost: in a noisy text a
        short token no list knows is most often a common word badly misread (``wacn`` -> ``when``,
        ``trmn`` -> ``from``, ``nokt`` -> ``next``); the word pairs decide among them.  Kept per
        process, by token (the search depends on the token only)."""
        near = self.stage._far_cache.get(low)
        if near is None:
            near = _keep(self.stage._far_cache, low, self.stage._common_words().near(low))
        cost = 2 * max(0.1, self.cfg["generic"] + self.shift)
        return _added(cands, (Candidate(w, cost, ("generic", "generic")) for w in near))

    def glued_readings(self, low: str, model: ErrorModel) -> list:
        """Two words the OCR ran together, the longer misread (``subjeclof`` -> ``subject of``,
        ``thecontment`` -> ``the continent``): one of English's commonest short words
        (``glued_word_freq``) at an end, the rest of at least four letters no word itself,
        read by the families alone; each reading costs a lost space besides."""
        cost = self.cfg["merge_cost"]
        out = []
        for w in self.stage._glue_words():
            if len(low) - len(w) < 4:
                continue
            ends = []                                 # (the rest, the pair with its reading)
            if low.endswith(w):
                ends.append((low[:-len(w)], lambda read: read + " " + w))
            if low.startswith(w):
                ends.append((low[len(w):], lambda read: w + " " + read))
            for rest, pair in ends:
                if self.freq(rest) > 0:
                    continue
                for c in self.candidates(rest, model, cheap=False, generic=False)[:3]:
                    if " " not in c.word:
                        out.append(Candidate(pair(c.word), c.cost + cost, c.families + ("merged",)))
        return out

    def splits(self, low: str, common_only: bool = False) -> list:
        """Two words the OCR ran together (``inthe``, ``tobring``): every cut into two English
        words that the pair table knows as a pair (for a form English itself knows, however
        rarely, only a very common pair: ``inthe`` but not ``therewith``)."""
        got = self._splits.get((low, common_only))
        if got is None:                               # (asked again on the second pass)
            least = self.cfg["common_pair"] if common_only else 1
            cost = self.cfg["merge_cost"]
            got = self._splits[low, common_only] = [
                Candidate(a + " " + b, cost, ("merged",))
                for a, b in merged_words(low, self.cands.__contains__, self.lm.pair_count, least)]
        return got

    def _long_s_walks(self, low: str, cost: float) -> list:
        """The readings of a token no list knows that read its f as s and mend another letter
        besides (``bofpitably`` -> ``hospitably``, ``pmchafed`` -> ``purchased``): the error
        model's readings of the token with one of its f, or all of them, read as s, each f at
        the long-s text's cost (the model alone would pay its general f/s cost for each)."""
        out = []
        for form, r in long_s_variants(low):
            for c in self.candidates(form, self.stage.model, cheap=False, generic=False):
                if c.families:
                    out.append((c.word, c.cost + cost * r, ("long-s",) * r + c.families))
        return out

    def _with_long_s(self, low: str, cands):
        """``cands`` with the readings of ``low`` that read some f as s at the cost a long-s
        text gives them (the text's habit, not the general model's), and those that read an
        l, or an h at the start, as the long s it resembles or lost (``long_s_lookalike_cost``:
        ``Houle`` -> ``House``, ``hould`` -> ``should``)."""
        cost, like = self.cfg["long_s_cost"], self.cfg["long_s_lookalike_cost"]
        best = {c.word: c for c in cands}
        is_cand = self.cands.__contains__
        found = [(word, cost * r, ("long-s",) * r) for word, r in long_s_readings(low, is_cand)]
        found += [(word, like, (family,)) for word, family in long_s_lookalikes(low, is_cand)]
        if self.freq(low) == 0:
            found += self._long_s_walks(low, cost)
        for word, c, families in found:
            old = best.get(word)
            if old is None or old.cost > c:
                best[word] = Candidate(word, c, families)
        return sorted(best.values(), key=lambda c: (c.cost, c.word))


def _added(cands: list, more) -> list:
    """``cands`` and those of ``more`` whose word is not among them yet, cheapest first."""
    have = {c.word for c in cands}
    more = [c for c in more if c.word not in have]
    return sorted(cands + more, key=lambda c: (c.cost, c.word)) if more else cands


def _long_s_misread(low: str) -> bool:
    """May ``low`` hold a long s misread (an f, an l before its last letter, an h at its start)?"""
    return "f" in low or "l" in low[:-1] or low[:1] == "h"


# what follows an apostrophe as part of the word before it (a clitic or a period elision)
_CLITICS = frozenset("s t d ll re ve m n em st".split())
_READ_AS_APOSTROPHE = "il"     # the thin letters the OCR reads as an apostrophe
