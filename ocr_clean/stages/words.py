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
"""
from __future__ import annotations

import bisect
import collections
import functools
import math
import re
import weakref

import regex

from itertools import combinations

from ..errmodel import Candidate, DeleteIndex, ErrorModel, PrefixIndex
from ..langmodel import LanguageModel
from ..ledger import APPLIED, QUEUED, Edit
from ..lexicon import beyond_ascii, dictionaries_dir, read_table
from .base import Stage, register

TOKEN = regex.compile(r"[\p{L}\p{N}\u017f]+(?:['\u2019][\p{L}\p{N}\u017f]+)*")
TOKEN_CHAR = regex.compile(r"[\p{L}\p{N}\u017f]")
HAS_DIGIT = re.compile(r"\d")
WORD_LIKE = regex.compile(r"^[\p{L}\u017f]+(?:['\u2019]\p{L}+)*$")


def token_finder(text: str) -> re.Pattern:
    """``TOKEN`` for this text in the standard ``re`` engine (the same tokens, found about
    three times faster): its characters are ASCII letters and digits and those other
    characters of ``text`` that ``TOKEN`` takes."""
    others = sorted(c for c in set(beyond_ascii(text)) if TOKEN_CHAR.fullmatch(c))
    ch = "[A-Za-z0-9" + "".join(map(re.escape, others)) + "]"
    return _token_pattern(ch)


@functools.lru_cache(maxsize=64)
def _token_pattern(ch: str) -> re.Pattern:
    return re.compile(f"{ch}+(?:['\u2019]{ch}+)*")


def _word_like(w: str) -> bool:
    """``WORD_LIKE.match(w)``, asked of every English word, without the regex engine: letters
    with inner apostrophes."""
    if w.isalpha():
        return True
    if "'" not in w and "\u2019" not in w:
        return False
    parts = w.replace("\u2019", "'").split("'")
    return all(parts) and all(p.isalpha() for p in parts)


def _lower(tok: str) -> str:
    return tok.lower().replace("\u2019", "'")


def _recase(tok: str, word: str) -> str:
    """``word`` (lower case) in the case pattern of ``tok``."""
    letters = [c for c in tok if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if tok[:1].isupper() or (tok[:1].isdigit() and len(letters) > 1 and letters[0].isupper()):
        return word[:1].upper() + word[1:]
    return word


MIXED_CASE = regex.compile(r"\p{Ll}\p{Lu}")
TAIL_DIGITS = regex.compile(r"\p{L}\d+$")
SUFFIXES = ("s", "es", "ed", "d", "ing", "ly", "er", "ers", "est", "ness", "ment", "ments", "ism", "ist", "ists",
            "ic", "al", "ally", "ity", "ize", "ized", "ise", "ised", "ation", "ations", "less", "ful", "ship")


def _core(tok: str, max_len: int) -> str | None:
    """The part of a token the stage may correct, or None: the word before a clitic
    (``republic's`` -> ``republic``); not numbers or a number and its unit (``6d``, ``10th``),
    not a word with digits at its end or a capital after a small letter (a flattened footnote
    marker: ``Kuomintang6``, ``leadershipY``), not an acronym (``USA``), not a long run."""
    core = tok
    for q in ("'", "\u2019"):
        if q in core:
            core = core.split(q, 1)[0]
    if len(core) < 1 or len(core) > max_len or core[:1].isdigit() or not any(c.isalpha() for c in core):
        return None
    if TAIL_DIGITS.search(core) or MIXED_CASE.search(core):
        return None
    if core.isupper() and len(core) <= 3 and len(core) > 1:
        return None
    return core


CLOSERS = ".,;:'\"\u2019\u201d)]"


def _glued(text: str, start: int) -> bool:
    """The token at ``start`` follows a word's closing mark with no space (``revolution.lo``):
    where a flattened footnote marker stands."""
    return start >= 2 and text[start - 1] in CLOSERS and text[start - 2].isalpha()


def load_historical(path=None) -> list[tuple[str, str, str]]:
    """(pattern, replacement, name): period spellings turned into today's."""
    path = path or dictionaries_dir() / "historical_spelling.tsv"
    if not path.is_file():
        raise FileNotFoundError(f"the historical spelling rules {path} are missing")
    return [(r[0], r[1], r[2]) for r in read_table(path) if len(r) >= 3]


@register
class Words(Stage):
    name = "words"
    description = "correct misread words by a general OCR error model with word-pair context (tbe->the, m->in)"
    defaults = {
        "apply_threshold": 0.85,
        "queue_threshold": 0.55,
        "intact": 0.97,
        "unknown_word": 5e-9,
        "name_word": 3e-6,
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
        "generic_min_freq": 1e-6,
        "max_cost": 4.5,
        "max_token": 30,
        "long_s_cost": 0.6,
        "long_s_min": 2,
        "historical_min": 1e-5,
        "historical_max": 1e-5,
        "merge_cost": 1.5,
        "learn_min": 3,
        "derived_share": 0.01,
        "odds_min": 0.1,
        "window": 100,
        "max_unknown": 0.5,
        "shortlist": 8,
        "unseen_pair_margin": 0.5,
        "odds_max": 30.0,
        "common_pair": 10000000,
        "clean_shift": 0.5,
        "habit_odds": 3.0,
        "triage_odds": 3.0,
        "realword_max_len": 4,
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
        "generic_min_freq": "...among the English words at least this frequent (four letters or more)",
        "max_cost": "the most a reading may cost in all",
        "max_token": "longer tokens are not searched (and the ledger says nothing)",
        "long_s_cost": "cost of f for s in a text that shows long s",
        "long_s_min": "words that only long s explains, for the text to show it",
        "historical_min": "a period spelling stands for an English word this common",
        "historical_max": "a word of English rarer than this may be a period spelling (never changed into today's)",
        "merge_cost": "cost of a space the OCR lost between two words",
        "unseen_pair_margin": "... and this much more where no word pair shows the correction beside a neighbour",
        "shortlist": "candidates weighed in context (the likeliest without it)",
        "window": "words in a run judged for readability",
        "max_unknown": "a run with more than this share of words known to no list is not corrected (unreadable)",
        "odds_min": "the least a noisy text weighs its unknown words and names (times their frequency setting)",
        "odds_max": "the most a clean text weighs them",
        "derived_share": "a stem's frequency its forms with a suffix no list knows are taken to have (share)",
        "learn_min": "sure fixes of a family before the text's profile lowers its cost",
        "common_pair": "a run-together form English knows is split only into a pair this common (word-pair table count)",
        "clean_shift": "a text this much cleaner than noise_ref (log10) keeps its capitalized unknown words as names",
        "habit_odds": "a form's uses count as a word's only beyond this many times the misreadings its candidates explain",
        "triage_odds": "a word of English is an anchor when its candidates are all this much rarer (log10, cost included)",
        "realword_max_len": "a word of English longer than this is taken as printed (real-word errors are sought in short words)",
        "noise_ref": "share of unknown small-letter words at which the confusion costs hold as written",
        "shift_max": "the most a clean text raises each confusion's cost (log10)",
        "shift_min": "the most a noisy text lowers it",
    }

    _shared: dict = {}

    def __init__(self, config=None, lexicon=None) -> None:
        super().__init__(config, lexicon)
        cfg = self.config
        self.model = ErrorModel.load(generic=cfg["generic"], max_cost=cfg["max_cost"])
        self._cands_cache: dict = {}
        self._collection_noise: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.historical = [(regex.compile(p), r, n) for p, r, n in load_historical()]

    def warm(self) -> None:
        """The English candidates, their prefixes, the word pairs and the one-letter index."""
        self._english()
        self._neighbours()

    def _neighbours(self) -> DeleteIndex:
        """The one-letter neighbours of tokens among the commoner words of English (built
        on first use, once per process)."""
        key = ("neighbours", id(self.lexicon.english), self.config["generic_min_freq"])
        got = Words._shared.get(key)
        if got is None:
            floor = self.config["generic_min_freq"]
            got = Words._shared[key] = DeleteIndex(
                w for w, f in self.lexicon.english.items() if f >= floor and len(w) >= 4 and _word_like(w))
        return got

    # -- shared English data (built once per process) ----------------------------------------
    def _english(self):
        key = (id(self.lexicon.english), self.config["candidate_min_freq"])
        got = Words._shared.get(key)
        if got is None:
            eng = self.lexicon.english
            floor = self.config["candidate_min_freq"]
            cands = {w for w, f in eng.items() if f >= floor and _word_like(w)}
            got = (cands, PrefixIndex(cands), LanguageModel(self.lexicon.freq))
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
        edits = [e for e in decisions if e is not None]
        for a, b in run.unreadable:                  # said in the ledger (and to a person), at its first word
            first = token_finder(text).match(text, a)
            end = first.end() if first else a + 1
            edits.append(Edit(a, end, text[a:end], "unreadable-stretch", 0.0, status=QUEUED,
                              note=f"here begin {b - a} characters where most words are known to no list "
                                   f"(a table, another language, or OCR too damaged): not corrected word by word"))
        return edits


class _Run:
    def __init__(self, stage: Words, text: str, doc) -> None:
        self.stage, self.text, self.cfg, self.doc = stage, text, stage.config, doc
        self.cands, self.children, self.lm = stage._english()
        self.freq = stage.lexicon.freq
        # the words the cache model counts: the collection's when the text belongs to one (a
        # short text gets a book's worth of evidence), else the text's own
        self.vocab = stage.collection_vocab(doc) or stage.book_vocab(text, doc)
        self.types = collections.Counter(token_finder(text).findall(text))
        self.long_s = self._long_s()
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
        self.unreadable: list[tuple[int, int]] = []
        self._types: dict = {}

    # -- habits of the text --------------------------------------------------------------
    def _long_s(self) -> bool:
        """Does the text show long s read as f?  The scan profile's habit when it was measured
        or set (``[scan] long_s``); where the text was too short for the profile to tell, the
        words no list knows that become English words when an f is read as s (``thefe``,
        ``firft``, ``ftate``), ``long_s_min`` of them."""
        habit = getattr(getattr(self.doc, "profile", None), "long_s", None)
        if habit is not None and habit.source != "neutral":
            return bool(habit.value)
        n = 0
        max_len = self.cfg["max_token"]
        for tok in self.types:
            low = _lower(tok)
            if "f" not in low or len(low) > max_len or self.freq(low) > 0:
                continue
            for i, ch in enumerate(low):
                if ch == "f" and self.freq(low[:i] + "s" + low[i + 1:]) >= 1e-6:
                    n += 1
                    break
            if n >= self.cfg["long_s_min"]:
                return True
        return False

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

    def modern_forms(self, low: str) -> list[tuple[str, str]]:
        """(today's word, rule) for each period spelling rule that turns ``low`` into a word
        of English at least ``historical_min`` common."""
        out = []
        for pat, rep, name in self.stage.historical:
            if pat.search(low):
                modern = pat.sub(rep, low, count=1)
                if modern != low and len(modern) >= 3 and self.freq(modern) >= self.cfg["historical_min"]:
                    out.append((modern, name))
        return out

    # -- candidates ----------------------------------------------------------------------
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

    def candidates(self, low: str, model: ErrorModel, cheap: bool, generic: bool = True):
        """The candidate words of ``low``: by the model's families alone first; a generic
        edit is tried only when no family reading is cheap (the walk with generic edits costs
        most).  Shared by every text the process cleans (the walk depends on the token only)."""
        cfg = self.cfg
        # every confusion costs its own cost plus the text's shift (tenths, so that texts
        # of about the same noise share the walks): in a clean text the walk need not look as
        # far, in a noisy one it reaches readings of two and three confusions
        shift = round(self.shift, 1)
        generic = generic and self.shift < cfg["clean_shift"]
        key = (low, cheap, generic, shift)
        cache = self.stage._cands_cache
        got = cache.get(key)
        if got is None:
            if cheap:
                got = [Candidate(c.word, max(0.1, c.cost + shift), c.families)
                       for c in model.rewrites(low, self.cands, cfg["cheap_cost"])]
            else:
                got, _ = model.candidates(low, self.children, self.cands, max_generic=0,
                                          max_cost=cfg["max_cost"], shift=shift)
                g_cost = max(0.1, cfg["generic"] + shift)
                if generic and cfg["generic_search"] and len(low) >= cfg["generic_min_len"] \
                        and (not got or got[0].cost > g_cost - 0.5):
                    have = {c.word for c in got}
                    got = got + [Candidate(w, g_cost, ("generic",))
                                 for w in self.stage._neighbours().neighbours(low) if w not in have]
            if len(cache) > 200000:
                cache.clear()
            cache[key] = got
        if self.learned:
            got = self.recost(got)
        return got

    def recost(self, cands):
        """The candidates with the text's own family costs: each use of a family the text's
        sure fixes show often costs that much less (a confusion never below 0.3)."""
        less = self.learned
        out = [Candidate(c.word, max(0.3 * len(c.families), c.cost - sum(less.get(f, 0.0) for f in c.families)),
                         c.families) for c in cands]
        out.sort(key=lambda c: (c.cost, c.word))
        return out

    def word_p(self, low: str, tok: str, sentence_start: bool, cands=()) -> tuple[float, str]:
        """Probability of ``low`` as a word of its own (the token itself not counted), and
        where it comes from.  The text's uses of the form count as evidence only beyond what
        misreadings of its candidates would explain (``tho`` 200 times beside ``the`` 5,000
        times is the OCR's habit, not a word of the text)."""
        f = self.freq(low)
        d = self.derived(low) if f == 0 else 0.0
        if f > 0:
            base, src = f, "english"
        elif d > 0:
            base, src = max(d, self.cfg["unknown_word"] * self.clean_odds), "derived"
        elif tok[:1].isupper() and not sentence_start:
            base, src = self.cfg["name_word"] * self.clean_odds, "name"
        else:
            base, src = self.cfg["unknown_word"] * self.clean_odds, "unknown"
        n = self.vocab.count(low) - 1 if self.vocab is not None else 0
        if n > 0 and cands:
            count = self.vocab.count
            explained = self.cfg["habit_odds"] * sum(count(c.word) * math.pow(10.0, -c.cost)
                                                     for c in cands[:8] if " " not in c.word)
            n = max(0, round(n - explained))
        if n > 0:
            src += f", text x{n + 1}"
        return self.adapt(base, n), src

    def adapt(self, base: float, n: int) -> float:
        """A word's probability in this text: its English ``base`` with the text's own ``n``
        uses (a cache model, Dirichlet-smoothed: the text's counts weigh in as it grows)."""
        if n <= 0:
            return base * self.mu / (self.N + self.mu)
        return (n + self.mu * base) / (self.N + self.mu)

    def learn(self, first: list) -> dict[str, float]:
        """Families the text's sure fixes show often, and how much cheaper each use of them is
        on the second pass (half a decade per tenfold of fixes)."""
        counts: dict[str, int] = {}
        for e in first:
            if e is not None and e.status == APPLIED and e.confidence >= 0.95:
                for fam in set(e.note.split(" ", 1)[0].split("+")):
                    if fam and fam != "generic":
                        counts[fam] = counts.get(fam, 0) + 1
        families = {c.family for c in self.stage.model.confusions}
        return {fam: 0.5 * math.log10(n) for fam, n in counts.items()
                if n >= self.cfg["learn_min"] and fam in families}

    # -- decisions -------------------------------------------------------------------------
    def decide_all(self, model: ErrorModel, first: list | None = None) -> list:
        """One pass over the text: the decision at each site (``None`` for a token looked at
        and kept).  Triage first: the verdict on a word form is reached once a pass, and only
        the occurrences of the forms that may change are looked at in their context (found on
        the first pass, kept for the second).  On the second pass (``first`` given) a site
        none of whose candidates uses a family the text has re-weighted keeps its decision."""
        self._types = {}
        if self._sites is None:
            self._sites = self._find_sites(model)
        learned = self.learned
        out: list = []
        for k, (m, core, low, prev, nxt) in enumerate(self._sites):
            cands = self.type_cands(low, model)
            if cands is None:
                out.append(None)
            elif first is not None and not any(f in learned for c in cands for f in c.families):
                out.append(first[k])
            else:
                out.append(self.decide(m, core, low, prev, nxt, cands))
        return out

    def _find_sites(self, model: ErrorModel) -> list:
        """Every occurrence of a form that may change, with its neighbours (lower case, None
        where a mark or a line stands between), outside the unreadable stretches."""
        text = self.text
        toks = list(token_finder(text).finditer(text))
        self.unreadable = self._unreadable(toks)
        if self.unreadable:
            inside = self._in_spans(self.unreadable)
            readable = {m.group() for m in toks if not inside(m.start())}
        else:
            inside, readable = None, None
        live: dict[str, tuple[str, str]] = {}
        lex = self.stage.lexicon
        names_kept = self.shift >= self.cfg["clean_shift"]
        for tok, (core, low) in self.cores().items():
            if readable is not None and tok not in readable:
                continue                              # only found where the text cannot be read
            if core in lex.protected or low in lex.user_lower:
                continue                              # a person's own word, or a fix a person rejected
            if names_kept and core[:1].isupper() and self.freq(low) == 0:
                continue                              # in a clean text, a capitalized word no list knows is a name
            if self.type_cands(low, model) is not None:
                live[tok] = (core, low)
        sites: list = []
        if not live:
            return sites
        pending = self._pending()
        markers = self._digit_markers()
        last = len(toks) - 1
        for k, m in enumerate(toks):
            got = live.get(m.group())
            if got is None or (pending and pending(m.start(), m.end())) \
                    or (markers and _glued(text, m.start())) or (inside and inside(m.start())):
                continue
            core, low = got
            prev = _lower(toks[k - 1].group()) if k and self._adjacent(toks[k - 1], m) else None
            nxt = None
            if core == m.group() and k < last and self._adjacent(m, toks[k + 1]):
                nxt = _lower(toks[k + 1].group())     # (after a clitic, no neighbour)
            sites.append((m, core, low, prev, nxt))
        return sites

    def _unreadable(self, toks) -> list[tuple[int, int]]:
        """The stretches of the text where most words are known to no list (more than
        ``max_unknown`` of a run of ``window`` words): a table, a passage in another language,
        or OCR too damaged to read word by word.  The stage does not guess there (and does not
        spend a search on every form of it); the ledger says so."""
        cfg = self.cfg
        n, share = cfg["window"], cfg["max_unknown"]
        cores, freq = self.cores(), self.freq
        unknown = {tok for tok, (core, low) in cores.items() if core == tok and freq(low) == 0}
        if sum(self.types[t] for t in unknown) < share * (n // 5):
            return []                                 # too few unknown words for any window
        words = [m for m in toks if m.group() in cores]
        spans: list[tuple[int, int]] = []
        text, k = self.text, 0
        while k < len(words):                         # paragraph by paragraph (never across a blank line)
            end = text.find("\n\n", words[k].end())
            j = k
            while j < len(words) and (end < 0 or words[j].start() < end):
                j += 1
            self._judge(words[k:j], unknown, spans)
            k = j
        return spans

    def _judge(self, words, unknown, spans) -> None:
        """Add to ``spans`` the unreadable runs of one paragraph's words: the whole of a short
        paragraph (``window`` words or fewer, at least a fifth of that), or the runs of
        ``window`` words (a half overlapping the next) of a longer one."""
        n, share = self.cfg["window"], self.cfg["max_unknown"]
        if len(words) < n // 5:
            return
        step = n if len(words) <= n else n // 2
        prev_bad = False
        for i in range(0, max(1, len(words) - n + step), step):
            chunk = words[i:i + n]
            bad = sum(1 for m in chunk if m.group() in unknown) > share * len(chunk)
            if bad:
                a, b = chunk[0].start(), chunk[-1].end()
                if prev_bad:
                    spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
                else:
                    spans.append((a, b))
            prev_bad = bad

    @staticmethod
    def _in_spans(spans):
        starts = [a for a, _ in spans]

        def inside(pos: int) -> bool:
            k = bisect.bisect_right(starts, pos) - 1
            return k >= 0 and pos < spans[k][1]

        return inside

    def _digit_markers(self) -> bool:
        """Does the text's profile show footnote markers printed as numbers glued to words
        (flattened superscripts: ``revolution.lo`` is marker 10 misread, the footnotes stage's)?"""
        prof = getattr(self.doc, "profile", None)
        habit = getattr(prof, "footnote_markers", None)
        return habit is not None and habit.value == "digits" and habit.confidence >= 0.5

    def _pending(self):
        """A test of whether a span of the text holds a fix an earlier stage queued for a
        person (the raw reading stays there until it is decided: not ours to change), or
        None when there is none."""
        doc = self.doc
        if doc is None or doc.text is not self.text:
            return None
        spans = sorted((e.raw_start, e.raw_end) for e in doc.ledger if e.status == QUEUED)
        if not spans:
            return None
        starts = [a for a, _ in spans]

        def pending(start: int, end: int) -> bool:
            r0, r1 = doc.raw_offset(start), doc.raw_offset(max(start, end - 1)) + 1
            k = bisect.bisect_right(starts, r1) - 1
            while k >= 0 and spans[k][0] < r1:
                if spans[k][1] > r0 or spans[k][0] == r0:
                    return True
                k -= 1
                if k >= 0 and r0 - spans[k][0] > 200:
                    break
            return False

        return pending

    def cores(self) -> dict[str, tuple[str, str]]:
        """Every token form of the text worth a look -> (the part to correct, its lower case)."""
        if self._cores is None:
            max_len = self.cfg["max_token"]
            out = {}
            for tok in self.types:
                core = _core(tok, max_len)
                if core is not None:
                    out[tok] = (core, _lower(core))
            self._cores = out
        return self._cores

    def type_cands(self, low: str, model: ErrorModel):
        """The candidates of a word form, or None when no occurrence of it can change: a known
        word with a suffix, a period spelling, a longer word of English, a form no confusion
        turns into a word, or a word of English whose candidates are all so much rarer that no
        context could make up for it (triage)."""
        got = self._types.get(low, False)
        if got is not False:
            return got
        cfg = self.cfg
        f = self.freq(low)
        cands = None
        modern = self.modern_forms(low) if f < cfg["historical_max"] else ()
        if modern and f == 0:
            if self.long_s and "f" in low:            # a period spelling, but long s is an OCR error
                cands = self._with_long_s(low, [])
        elif f >= cfg["candidate_min_freq"] and len(low) > cfg["realword_max_len"]:
            pass                                      # a longer word of English: its own reading
        else:
            cands = self.candidates(low, model, cheap=f >= cfg["rare_freq"], generic=f == 0)
            if self.long_s and "f" in low:
                cands = self._with_long_s(low, cands)
            if f < cfg["rare_freq"] and len(low) >= 4 and low.isalpha() and self.shift < cfg["clean_shift"]:
                cands = cands + self.splits(low, common_only=f > 0)
            if modern and cands:                      # a rare word of English is never modernised
                kept = {m for m, _ in modern}         # (shew, connexion), but may be a misreading (tile)
                cands = [c for c in cands if c.word not in kept]
            if f > 0 and cands:
                floor = math.log10(f) - cfg["triage_odds"]
                if all(math.log10(max(self.freq(c.word.split(" ")[0]), 1e-12)) - c.cost < floor for c in cands):
                    cands = None
        self._types[low] = cands or None
        return cands or None

    def _adjacent(self, a, b) -> bool:
        """Two tokens are neighbours in a sentence: nothing but spaces and light marks between."""
        gap = self.text[a.end():b.start()]
        return len(gap) <= 3 and not any(c in ".!?;:()[]\"\u201c\u201d" or c == "\n" for c in gap)

    def _sentence_start(self, m) -> bool:
        before = self.text[max(0, m.start() - 4):m.start()].rstrip()
        return not before or before[-1] in ".!?:\"\u201c"

    def decide(self, m, tok: str, low: str, prev, nxt, cands):
        cfg, lm = self.cfg, self.lm
        f = self.freq(low)
        for a, b, other in ((prev, low, prev), (low, nxt, nxt)):
            if other and ((self.freq(other) == 0 and self.freq(a + b) >= cfg["rare_freq"])
                          or (len(other) == 1 and other.isalpha() and other not in "ai")):
                return None                           # half of a split word (impermissibi lity, peasan s)
        if f >= cfg["anchor_freq"] and (prev is None or lm.pair_count(prev, low)) \
                and (nxt is None or lm.pair_count(low, nxt)):
            return None                               # an anchor: a common word in common pairs
        sentence_start = self._sentence_start(m)
        p_keep, keep_src = self.word_p(low, tok, sentence_start, cands)
        if HAS_DIGIT.search(low):
            p_keep *= 1e-3                            # digits among letters: no printed word looks so
        keep_score = lm.logp(prev, low, p_keep) + (lm.logp(low, nxt) if nxt else 0.0) + math.log10(cfg["intact"])
        scored = [(self.seq_score(prev, c.word, nxt) - c.cost, c) for c in self.shortlist(cands)]
        scored.sort(key=lambda x: -x[0])
        best_s, best = scored[0]
        # a word of English changed into another only on a clear margin, the wider the
        # more common it is (he/be, far/for: real words that the pairs rarely settle)
        need = cfg["common_margin"] if f >= cfg["anchor_freq"] else cfg["word_margin"] if f >= cfg["rare_freq"] else 0.0
        if f >= cfg["rare_freq"] and not self._pair_seen(prev, best.word, nxt):
            need += cfg["unseen_pair_margin"]         # no pair shows the other word: frequency alone must carry it
        if best_s <= keep_score + need:
            return None
        mx = best_s
        tot = math.pow(10, keep_score - mx) + sum(math.pow(10, s - mx) for s, _ in scored)
        conf = 1.0 / tot
        if conf < cfg["queue_threshold"]:
            return None
        if " " not in best.word and self._doubted(best.word, tok, prev, nxt, sentence_start):
            return None                               # the reading would itself be corrected: no fixed point
        after = _recase(tok, best.word)
        if after == tok:
            return None
        status = APPLIED if conf >= cfg["apply_threshold"] else QUEUED
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
        return Edit(m.start(), m.start() + len(tok), after, "ocr-confusion", round(conf, 4), status,
                    cand_words + ((tok,) if status == QUEUED else ()), note, evidence=evidence)

    def shortlist(self, cands) -> list:
        """The ``shortlist`` candidates likeliest without context (English frequency less
        cost): the ones worth weighing in context (a pair can lift a word by a few decades,
        not from the bottom of a long list of rare words)."""
        n = self.cfg["shortlist"]
        if len(cands) <= n:
            return cands
        freq = self.freq
        pre = sorted(cands, key=lambda c: c.cost - math.log10(max(freq(c.word.split(" ")[0]), 1e-12)))
        return pre[:n]

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
        best_s = max(self.seq_score(prev, c.word, nxt) - c.cost for c in self.shortlist(cands))
        need = cfg["common_margin"] if f >= cfg["anchor_freq"] else cfg["word_margin"] if f >= cfg["rare_freq"] else 0.0
        return best_s > keep_score + need

    def seq_score(self, prev, words: str, nxt) -> float:
        """log10 P of ``words`` (one word, or two a space apart) between its neighbours."""
        lm = self.lm
        parts = words.split(" ")
        s, p = 0.0, prev
        for w in parts:
            n = self.vocab.count(w) if self.vocab is not None else 0
            s += lm.logp(p, w, self.adapt(max(self.freq(w), 1e-9), n))
            p = w
        return s + (lm.logp(p, nxt) if nxt else 0.0)

    def splits(self, low: str, common_only: bool = False) -> list:
        """Two words the OCR ran together (``inthe``, ``tobring``): every cut into two English
        words that the pair table knows as a pair (for a form English itself knows, however
        rarely, only a very common pair: ``inthe`` but not ``therewith``)."""
        out = []
        cost = self.cfg["merge_cost"]
        least = self.cfg["common_pair"] if common_only else 1
        for i in range(1, len(low)):
            a, b = low[:i], low[i:]
            if a in self.cands and b in self.cands and self.lm.pair_count(a, b) >= least:
                out.append(Candidate(a + " " + b, cost, ("merged",)))
        return out

    def _with_long_s(self, low: str, cands):
        """``cands`` with the readings of ``low`` that read some f as s at the cost a long-s
        text gives them (the text's habit, not the general model's)."""
        cost = self.cfg["long_s_cost"]
        best = {c.word: c for c in cands}
        idx = [i for i, ch in enumerate(low) if ch == "f"]
        for r in range(1, min(len(idx), 3) + 1):
            for combo in combinations(idx, r):
                w = list(low)
                for i in combo:
                    w[i] = "s"
                word = "".join(w)
                if word in self.cands:
                    old = best.get(word)
                    if old is None or old.cost > cost * r:
                        best[word] = Candidate(word, cost * r, ("long-s",) * r)
        return sorted(best.values(), key=lambda c: (c.cost, c.word))
