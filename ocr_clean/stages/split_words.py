"""split_words: join the pieces of words the scan split with a space.

    "The His tory of the Russian Revolution"  ->  "The History of the Russian Revolution"
    "Tro tsky", "wi thin", "i s", "Secret ari at"  ->  "Trotsky", "within", "is", "Secretariat"
    "THE O P P O S ITI O N"                   ->  "THE OPPOSITION"           (letter-spaced capitals)
    "December 1 930", "1 930-31", "193 1"     ->  "December 1930", "1930-31", "1931"   (split years)

Works on the text after ``dehyphenate`` (one paragraph a line) and keeps that form: it only
ever removes spaces between letters (or between the digits of a year).

How a join is decided
---------------------
Letter runs one space apart form chains.  Each piece of a chain is either a *word of its own*
(one of ``a``/``A``/``I``; a two-letter word of ``ocr_clean/dictionaries/short_words.txt``; a longer piece
common in English, or used often enough in the book away from the piece it would join) or
*weak* (``i``, ``s``, ``wi``, ``co``, ``tsky``, ``ari``, ``tory``).  Around every weak piece, all
ways of grouping neighbours into words are scored by a small unigram model (a dynamic
programme over the stretch):

* a piece kept as it is scores the log of its frequency (the book's or English); a weak piece
  a small fraction of that, a lone letter almost nothing;
* a joined group scores the log of the joined word's frequency, minus ``join_penalty`` for
  each space removed.  The joined word must be known: written whole ``known_book`` times in
  the book (``Trotsky`` 237 times, in a compatible case: ``ram`` is not the name ``Ram``), or,
  for words of more than ``short_join`` letters, in English; or a prefix of
  ``ocr_clean/dictionaries/split_prefixes.txt`` before a common word (``un forgotten``).

A group of words that are all words of their own (``a round``/``around``, ``in to``,
``some one``) is never joined by the model: it is queued (rule ``split-word-pair``) only when
the book writes the joined word ``pair_queue_count`` times and ``pair_queue_ratio`` times more
often than the pair.  A lone letter beside real words (``r am``, ``B and``, ``liberal s``) is
joined only when the book writes the result ``letter_join_book`` times, else queued.  The
confidence of a join comes from the margin between the best reading and the best one without
that join; below ``apply_margin`` it is queued, with the runner-up and the raw text as
candidates.

Not ours: a piece after an apostrophe (``weren 't``, ``Trotsky' s``: the punctuation stage), a
piece glued to digits (``c0111 munists``: the confusion stage), digits attached to a word or a
mark (``Kai-shek.7``, ``UglanOV,1 13``: footnote markers).

Split years: runs of digits standing apart that join into a year (1500-2099) the book writes
whole ``min_year_count`` times are joined (rule ``split-number``).

No word of any one book is written here: the data are the list of short English words and
the list of prefixes; everything else is counted from the text at run time.
"""
from __future__ import annotations

import collections
import math
import re
from bisect import bisect_right
from functools import lru_cache
from itertools import compress, count, repeat
from operator import add, and_, eq, lt, ne, not_, or_, sub

from ..ledger import APPLIED, QUEUED, Edit
from ..lexicon import BookVocab, beyond_ascii, data_file, read_word_list
from .base import Stage, register

# letter runs apart by spaces (two or more runs): where a split word can be
LETTER = r"[^\W\d_]"
# (it starts only where a run starts: tried inside a long run, ``LETTER+`` would give back one
# letter at a time at every start, time growing with the square of the run)
CHAIN = re.compile(rf"(?<!{LETTER}){LETTER}+(?: +{LETTER}+)+")
LETTERS = re.compile(rf"{LETTER}+")
_SEP = "\x00\x00"      # between the chains in ``_words``/``_live``: no piece, in no word
# Two runs of digits standing apart; the first not attached to a word or a mark before it.
# (``\d(?<!\w\d)`` is ``\b\d`` written so that the search can skip to the next digit.)
SPLIT_NUMBER = re.compile(r"\d(?<!\w\d)\d{0,2}(?: \d{1,3}){1,3}(?![.,]\d)(?!\w)")
SPACE_DIGIT = re.compile(r" \d")      # the first space of a SPLIT_NUMBER: one to three digits after its start
NOT_BEFORE_NUMBER = set("_.,;:'\u2019/-")   # "UglanOV,1 13": a footnote marker, not ours
# any of given four-character numbers standing alone (``\b(?:NNNN|...)\b``), found by its digits first
YEARS_ALONE = r"(?:{0})(?<!\w....)(?!\w)"
YEAR = re.compile(r"1[5-9]\d\d|20\d\d")     # only years: "1 000" may be how a number is printed
_FOLD_TO_ASCII = "\u0131\u017f\u0130\u212a"   # letters beyond ASCII that match one of a-z ignoring case
APOSTROPHES = "'\u2019`"
CLITICS = frozenset({"s", "t", "d", "m", "ll", "re", "ve"})   # what follows an apostrophe: not a word start


@lru_cache(maxsize=4)
def _prefixes(path: str) -> frozenset:
    return frozenset(w.lower() for w in read_word_list(data_file(path)))


@lru_cache(maxsize=4)
def _short_words(path: str) -> tuple[frozenset, frozenset]:
    words = read_word_list(data_file(path))
    one = frozenset(w for w in words if len(w) == 1)
    two = frozenset(w.lower() for w in words if len(w) == 2)
    return one, two


def _spaced(a: str, b: str) -> bool:
    """Two neighbours that may belong to one letter-spaced word (capitals, or single letters)."""
    return (a.isupper() and b.isupper()) or (len(a) == 1 and len(b) == 1)


def _case_ok(word: str) -> bool:
    """A joined word must look like a word: lower, Capitalized or ALL CAPS."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


class _BookCounts:
    """The book's words (those of the document's ``BookVocab``: ``counts``, ``lower``, ``total``,
    and ``count()`` and ``pair()`` as there), without its table of every word pair, the
    costliest part: this stage only
    asks about pairs that make a word together, so only the pairs whose joined (lower-case)
    form the book writes whole ``min_joined`` times are counted (``joins``); any other pair is
    counted on demand.
    """

    def __init__(self, vocab: BookVocab, min_joined: int) -> None:
        words = vocab.words
        self.total = vocab.total
        self.counts, self.lower = vocab.counts, vocab.lower
        lower_of = {w: w.lower() for w in self.counts}
        low = list(map(lower_of.__getitem__, words))
        nxt = low[1:]
        self.joinable = {w for w, k in self.lower.items() if k >= min_joined}
        hits = list(map(self.joinable.__contains__, map(add, low, nxt)))
        self.joins = collections.Counter(zip(compress(low, hits), compress(nxt, hits)))
        self._low, self._bigrams = low, None

    @property
    def bigrams(self) -> collections.Counter:
        """Every word pair (``BookVocab.bigrams``), counted when first asked for."""
        if self._bigrams is None:
            self._bigrams = collections.Counter(zip(self._low, self._low[1:]))
        return self._bigrams

    def count(self, word: str) -> int:
        return self.lower.get(word.lower(), 0)

    def pair(self, a: str, b: str) -> int:
        """Uses of the word pair ``a b`` (case folded), as ``BookVocab.pair``."""
        return self.folded_pair(a.lower(), b.lower())

    def folded_pair(self, a: str, b: str) -> int:
        """Uses of the word pair ``a b``, both already lower-case (``BookVocab.bigrams[a, b]``)."""
        if a + b in self.joinable:
            return self.joins.get((a, b), 0)     # every use of such a pair is in joins
        return self.bigrams.get((a, b), 0)


# the word just before a place / just after it (for the context of a pair of words)
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[ ]+\Z")
_WORD_AFTER = re.compile(r"[ ]+([A-Za-z]+)")

@register
class SplitWords(Stage):
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

    # -- the evidence ----------------------------------------------------------------------
    def _prepare(self, text: str, doc=None) -> None:
        cfg = self.config
        # pairs of pieces are asked about when they make a word the book writes known_book + 1
        # times (the split uses) or pair_queue_count times (the pairs)
        self.book = _BookCounts(self.book_vocab(text, doc), min(cfg["known_book"] + 1, cfg["pair_queue_count"]))
        # book frequencies mean little in a short text: count it as at least min_book_tokens long
        self.n = max(self.book.total, cfg["min_book_tokens"])
        self.one, self.two = _short_words(cfg["short_words"])
        self.prefixes = _prefixes(cfg["prefixes"])
        self._english = self.lexicon.english
        self._piece: dict[str, tuple[bool, float]] = {}
        self._word: dict[str, float | None] = {}
        self._split_uses: dict[str, int] = {}

    def book_count(self, word: str) -> int:
        """Uses of ``word`` whole in the book, in a compatible case.

        A lower-case word counts its lower-case uses only (``ram`` is not the name ``Ram``);
        a Capitalized one its own and the lower-case form's; CAPITALS count every form.
        """
        counts = self.book.counts
        if word.islower():
            return counts.get(word, 0)
        if word.isupper():
            return self.book.count(word)
        return counts.get(word, 0) + counts.get(word.lower(), 0)

    def piece(self, tok: str) -> tuple[bool, float]:
        """(is a word of its own, log score of the piece kept as it is)."""
        hit = self._piece.get(tok)
        if hit is None:
            self._classify((tok,))
            hit = self._piece[tok]
        return hit

    def _freqs(self, lows):
        """The English frequency (``lexicon.freq``) of each of ``lows`` (lower-case pieces)."""
        return map(self._english.get, map(str.lower, lows), repeat(0.0))

    def _uses(self, lows):
        """The book's uses of each of ``lows`` (lower-case pieces), less those where it sits
        next to a piece it makes a word with (at least 0)."""
        return map(max, map(sub, map(self.book.lower.get, lows, repeat(0)),
                            map(self._split_uses.get, lows, repeat(0))), repeat(0))

    def _weak(self, toks) -> set[str]:
        """Those of ``toks`` (distinct pieces) that are no word of their own: the one place
        that says which piece is a word of its own.  Only a test, no score, as the stage asks
        it of every distinct piece of the book's chains at once; the pieces of three letters
        or more common in English (words of their own) are set aside with maps first."""
        cfg = self.config
        common_freq, rare_freq = cfg["common_freq"], cfg["rare_freq"]
        rare_book_count, book_word_count = cfg["rare_book_count"], cfg["book_word_count"]
        one, two = self.one, self.two
        toks = list(set(toks).difference(self.lexicon.protected))   # forms a person confirmed
        lows = list(map(str.lower, toks))
        efs = list(self._freqs(lows))
        rest = list(map(or_, map(lt, efs, repeat(common_freq)), map(lt, map(len, toks), repeat(3))))
        toks, lows, efs = list(compress(toks, rest)), list(compress(lows, rest)), compress(efs, rest)
        weak = set()
        for tok, low, ef, bc in zip(toks, lows, efs, self._uses(lows)):
            size = len(tok)
            if size > 2:
                if bc >= (rare_book_count if ef >= rare_freq or size > 4 else book_word_count):
                    continue
            elif size == 2:
                if low in two:
                    continue
            elif tok in one:
                continue
            weak.add(tok)
        return weak

    def _classify(self, toks) -> None:
        """``piece`` of each of ``toks`` (distinct pieces not yet seen) into ``self._piece``,
        the lists and settings looked up once for all of them."""
        cfg = self.config
        rare_freq, floor, weak_factor, n = cfg["rare_freq"], cfg["floor"], cfg["weak_factor"], self.n
        log, out = math.log, self._piece
        toks = list(toks)
        weak = self._weak(toks)
        lows = list(map(str.lower, toks))
        for tok, ef, bc in zip(toks, self._freqs(lows), self._uses(lows)):
            size = len(tok)
            p = max(ef, bc / n)
            if tok in weak and (size < 3 or ef < rare_freq):
                # not a word (a rare real word such as "sect" keeps its own frequency)
                p = p * weak_factor if size > 1 else 0.0
            out[tok] = (tok not in weak, log(max(p, floor)))

    def word(self, joined: str) -> float | None:
        """Log score of a joined word, or None when it is no known word.

        The book first: a word it writes whole ``known_book`` times is known.  Otherwise
        English, for words longer than ``short_join`` letters only (a short join such as
        ``r am`` -> ``ram`` is more often a misread letter next to a word).
        """
        if joined in self._word:
            return self._word[joined]
        cfg = self.config
        score = None
        low = joined.lower()
        lex = self.lexicon
        if (low in lex.english or low in self.book.lower or low in lex.user_lower
                or joined in lex.protected) and _case_ok(joined):
            ef = self.lexicon.freq(joined)
            # less its uses as a piece of a longer word ("thei r" does not make "thei" a word)
            bc = max(0, self.book_count(joined) - self._split_uses.get(low, 0))
            user = joined.lower() in self.lexicon.user_lower or joined in self.lexicon.protected
            if bc >= cfg["known_book"] or user or (len(joined) > cfg["short_join"] and ef >= cfg["known_freq"]):
                score = math.log(max(ef, bc / self.n, cfg["floor"]))
        self._word[joined] = score
        return score

    def _count_split_uses(self) -> None:
        """How often each piece stands next to a piece it makes a book word with (``tsky``
        after ``Tro``): those uses are no evidence that the piece is a word of its own."""
        uses: dict[str, int] = {}
        counts = self.book.lower
        need = self.config["known_book"] + 1
        # joins holds every pair that makes such a word (all pairs do when need <= 0)
        for (a, b), k in (self.book.joins if need > 0 else self.book.bigrams).items():
            if counts.get(a + b, 0) >= need:
                uses[a] = uses.get(a, 0) + k
                uses[b] = uses.get(b, 0) + k
        self._split_uses = uses

    # -- the stage -------------------------------------------------------------------------
    def propose(self, text: str, doc=None) -> list[Edit]:
        self._prepare(text, doc)
        self._count_split_uses()
        chain, letters, split_number, space_digit = _for_text(text)
        edits = self._words(text, chain, letters)
        edits += self._pairs(text, edits)
        taken = [(e.start, e.end) for e in edits]
        numbers = _number_matches(split_number, space_digit, text)
        edits += [e for e in self._numbers(text, numbers) if not _overlaps(e, taken)]
        return edits

    def _words(self, text: str, chain: re.Pattern, letters: re.Pattern) -> list[Edit]:
        """Joins inside each chain of letter runs one space apart that holds a weak piece.

        Fast because few chains are worked through piece by piece (``_chain``): which distinct
        pieces of the chains are weak is told once (``_weak``), ``_live`` finds, with maps over
        all the weak pieces of the book at once, the few chains where a join is possible, and
        only the pieces of those are scored (``_classify``)."""
        matches = list(chain.finditer(text))
        reach = max(1, self.config["max_group"] - 1)
        # the pieces of all chains in one list, the chains apart by _SEP, reach of them at each end
        ends = " ".join([_SEP] * reach)
        flat = f"{ends} {f' {_SEP} '.join(map(re.Match.group, matches))} {ends}".split()
        pieces = set(flat)
        pieces.discard(_SEP)
        live = [matches[k] for k in self._live(flat, reach, self._weak(pieces))]
        toks = [m.group().split() for m in live]
        # only the pieces of these chains need a score
        self._classify(set().union(*toks).difference(self._piece))
        edits: list[Edit] = []
        for m, t in zip(live, toks):
            self._chain(text, m, t, letters, edits)
        return edits

    def _live(self, flat: list[str], reach: int, weak: set[str]) -> list[int]:
        """The indices of the chains where a join is possible, in order (``flat``: the pieces
        of all chains, apart by one ``_SEP`` and ``reach`` of them at each end; ``weak``: those
        of them that are no word of their own).

        A superset of the chains where ``_groups`` finds a group: one holding a weak piece and
        (a) a group of it and its neighbours, at most ``max_group`` pieces, whose join is a word
        of English, of the book or of the user (the first test of ``_groups``), or (b) the piece
        is a prefix (``un forgotten``), or (c) it is letter-spaced with a neighbour (only then can
        a group be longer).  Every weak piece of the book is tested at once, one kind of group
        at a time, with maps and set lookups (a join across ``_SEP`` is no word): no Python loop
        over the chains or their pieces."""
        # one pass over flat finds the weak pieces and the _SEP
        marks = dict.fromkeys(weak, True)
        marks[_SEP] = True
        where = list(compress(count(), map(marks.get, flat)))
        is_sep = list(map(eq, map(flat.__getitem__, where), repeat(_SEP)))
        at = list(compress(where, map(not_, is_sep)))
        size = self.config["max_group"]
        near = {d: list(map(flat.__getitem__, map(add, at, repeat(d)))) for d in range(-reach, reach + 1)}
        lex = self.lexicon
        tests = [lex.english.__contains__, self.book.lower.__contains__]
        if lex.user_lower:
            tests.append(lex.user_lower.__contains__)
        # letter-spaced with a neighbour: only a weak piece in capitals or of one letter can be
        # (_spaced), so only those are tested
        spaceable = {t for t in weak if len(t) == 1 or t.isupper()}
        hit = {i for i, t, a, b in compress(zip(at, near[0], near[-1], near[1]), map(spaceable.__contains__, near[0]))
               if _spaced(t, a) or _spaced(t, b)}
        hit.update(compress(at, map(self.prefixes.__contains__, map(str.lower, near[0]))))
        # A group s..e around a weak piece (s <= 0 <= e) is looked up only when it stays in the
        # chain (right[e], left[-s]: no _SEP) and holds no weak piece before this one (left[-s]:
        # it is looked up from that one): each group once, none across chains.
        left, right = [repeat(True)], [repeat(True)]
        for d in range(1, reach + 1):
            left.append(list(map(and_, left[-1], map(not_, map(marks.get, near[-d])))))
            right.append(list(map(and_, right[-1], map(ne, near[d], repeat(_SEP)))))
        # the joins of pieces s..e, each built from the one of s+1..e: groups[e] holds those of
        # the current s
        groups = {0: near[0]}
        for e in range(1, size):
            groups[e] = list(map(add, groups[e - 1], near[e]))
        for s in range(0, -size, -1):
            if s < 0:
                groups = {e: list(map(add, near[s], groups[e])) for e in range(0, s + size)}
            for e, joined in groups.items():
                if e - s >= 1:
                    inside = list(map(and_, left[-s], right[e]))
                    joined = list(compress(joined, inside))
                    pieces_at = list(compress(at, inside))
                    low = list(map(str.lower, joined))
                    for known in tests:
                        hit.update(compress(pieces_at, map(known, low)))
                    if lex.protected:
                        hit.update(compress(pieces_at, map(lex.protected.__contains__, joined)))
        # the chain of a piece: the number of _SEP before it, less the reach in front
        seps = list(compress(where, is_sep))
        return sorted({bisect_right(seps, i) - reach for i in hit})

    def _chain(self, text: str, m: re.Match, toks: list[str], letters: re.Pattern, edits: list[Edit]) -> None:
        """The joins of one chain (``m``, its pieces ``toks``), added to ``edits``."""
        cfg = self.config
        caps_r, low_r = cfg["max_caps_group"] - 1, cfg["max_group"] - 1
        tlen = len(text)
        info = list(map(self.piece, toks))
        n = len(toks)
        strong = [x[0] for x in info]
        start_ok = [True] * n
        end_ok = [True] * n
        s0 = m.start()
        if s0 > 0:
            c = text[s0 - 1]
            clitic = toks[0].lower() in CLITICS
            if c.isdigit() or c == "." or (c in APOSTROPHES and clitic):
                start_ok[0] = False       # "weren 't", "Landau 's", "develop1l1ents"
            elif c == " " and s0 > 1 and ((text[s0 - 2] in APOSTROPHES and clitic)
                                          or (text[s0 - 2] == "-" and s0 > 2 and text[s0 - 3].islower())):
                start_ok[0] = False       # "Trotsky' s and", "di- recti on": other stages' work
        if m.end() < tlen and (text[m.end()].isdigit()
                               or (text[m.end()] == "-" and toks[-1].lower() in self.prefixes)):
            end_ok[-1] = False            # "a re-election" is no "are-election"
        # a piece at the edge that can join nothing seeds no island
        if not start_ok[0]:
            strong[0] = True
        if not end_ok[-1]:
            strong[-1] = True
        # the stretches that a group holding a weak piece could reach, overlapping ones merged
        # (so that the edits of two stretches can never overlap)
        stretches: list[list[int]] = []
        j = -1
        for i in [k for k, s in enumerate(strong) if not s]:
            if i <= j:
                continue      # inside the stretch before
            last = j = i
            while j + 1 < n:
                reach = caps_r if _spaced(toks[last], toks[j + 1]) else low_r
                if j + 1 - last > reach:
                    break
                j += 1
                if not strong[j]:
                    last = j
            b = i
            while b > 0:
                reach = caps_r if _spaced(toks[i], toks[b - 1]) else low_r
                if i - (b - 1) > reach:
                    break
                b -= 1
            if stretches and b <= stretches[-1][1]:
                stretches[-1][1] = j
            else:
                stretches.append([b, j])
        runs = None     # (start, end, piece) of each piece, found when a join is proposed
        for b, j in stretches:
            groups = self._groups(toks, b, j + 1, start_ok, end_ok, strong, info)
            if groups:
                if runs is None:
                    runs = [(r.start(), r.end(), r.group()) for r in letters.finditer(text, m.start(), m.end())]
                edits.extend(self._island(text, runs, b, j + 1, [x[1] for x in info], groups))

    def _groups(self, toks, lo, hi, start_ok, end_ok, strong, info):
        """Every joinable group (a, b, score, sure) of pieces inside toks[lo:hi]
        (``info``: the pieces' (strong, score kept) as ``piece`` gives them)."""
        cfg = self.config
        max_group, max_caps_group = cfg["max_group"], cfg["max_caps_group"]
        # the test word() starts with, here so that most joins (no word) cost no call
        lex, book_lower = self.lexicon, self.book.lower
        english, user_lower, protected = lex.english, lex.user_lower, lex.protected
        out = []
        # a group holds a weak piece: none starts after the last one
        last_weak = max(k for k in range(lo, hi) if not strong[k])
        for a in range(lo, last_weak + 1):
            if not start_ok[a]:
                continue
            first = joined = toks[a]
            weak = not strong[a]
            caps = first.isupper()
            letters = len(first) == 1
            for b in range(a + 1, hi):
                t = toks[b]
                joined += t
                weak = weak or not strong[b]
                caps = caps and t.isupper()
                letters = letters and len(t) == 1
                g = b + 1 - a
                if g > max_group and not (caps or letters):
                    break
                if g > max_caps_group:
                    break
                if not weak or not end_ok[b]:
                    continue
                low = joined.lower()
                if low in english or low in book_lower or low in user_lower or joined in protected:
                    sc = self.word(joined)
                else:
                    sc = None
                if sc is None:
                    if g == 2 and first.lower() in self.prefixes and strong[b] and len(t) > 3 \
                            and not strong[a] and t.islower() and _case_ok(joined):
                        sc = info[b][1] + math.log(cfg["prefix_factor"])   # un forgotten
                    else:
                        continue
                pen = cfg["caps_penalty"] if caps or letters else cfg["join_penalty"]
                # a lone letter next to real words ("points b and c", "r am" for "I am"):
                # the letter may be a symbol or a misread word; join only what the book writes often
                lone = all(strong[k] or len(toks[k]) == 1 for k in range(a, b + 1))
                sure = not lone or self.book_count(joined) >= cfg["letter_join_book"]
                if sure and b + 1 < len(toks):
                    nxt = toks[b + 1]
                    # a prefix at the end ("a re examination"): it may belong to the next word
                    if t.lower() in self.prefixes and strong[b + 1] and nxt.islower() and len(nxt) > 3:
                        sure = False
                    # a word + a lone letter, before a fragment ("Menshevik s tatistician")
                    elif g == 2 and len(t) == 1 and strong[a] and len(first) > 2 and not strong[b + 1] \
                            and len(nxt) > 2 \
                            and self.lexicon.freq(nxt) < cfg["rare_freq"] and self.book.count(nxt) < 2:
                        sure = False
                out.append((a, b + 1, sc - pen * (g - 1), sure))
        return out

    def _best(self, lo, hi, keep, groups, banned=None):
        """Best segmentation of runs[lo:hi]: (score, chosen groups)."""
        by_end: dict[int, list] = {}
        for g in groups:
            if g is not banned:
                by_end.setdefault(g[1], []).append(g)
        best = [0.0] * (hi - lo + 1)
        back: list = [None] * (hi - lo + 1)
        for k in range(lo + 1, hi + 1):
            best[k - lo] = best[k - 1 - lo] + keep[k - 1]
            for g in by_end.get(k, ()):
                sc = best[g[0] - lo] + g[2]
                if sc > best[k - lo]:
                    best[k - lo] = sc
                    back[k - lo] = g
        chosen = []
        k = hi
        while k > lo:
            g = back[k - lo]
            if g is None:
                k -= 1
            else:
                chosen.append(g)
                k = g[0]
        return best[-1], chosen[::-1]

    def _island(self, text, runs, lo, hi, keep, groups) -> list[Edit]:
        """The joins of the best segmentation of runs[lo:hi] among ``groups``, each scored by
        its margin over the best segmentation without it."""
        cfg = self.config
        top, chosen = self._best(lo, hi, keep, groups)
        edits = []
        for g in chosen:
            alt_score, alt = self._best(lo, hi, keep, groups, banned=g)
            margin = top - alt_score
            if margin < cfg["queue_margin"]:
                continue
            a, b, _sc, sure = g
            start, end = runs[a][0], runs[b - 1][1]
            pieces = [r[2] for r in runs[a:b]]
            joined = "".join(pieces)
            singles = sum(len(p) == 1 for p in pieces)
            spaced = b - a > 2 and singles >= 2 and (joined.isupper() or singles >= b - a - 1)
            conf = round(1.0 - math.exp(-margin), 3)
            cands = [joined]
            # the runner-up's reading of the same stretch, when it differs
            alt_text = self._render(text, runs, alt, start, end)
            if alt_text not in cands:
                cands.append(alt_text)
            before = text[start:end]
            if before not in cands:
                cands.append(before)
            status = APPLIED if margin >= cfg["apply_margin"] and sure else QUEUED
            edits.append(Edit(start, end, joined, "letter-spaced" if spaced else "split-word", conf,
                              status, tuple(cands), note=f"margin {margin:.1f}"))
        return edits

    @staticmethod
    def _render(text, runs, chosen, start, end):
        """text[start:end] with the groups of ``chosen`` that lie inside it joined."""
        parts, pos = [], start
        for a, b, *_ in chosen:
            s, e = runs[a][0], runs[b - 1][1]
            if s >= start and e <= end:
                parts += [text[pos:s], "".join(r[2] for r in runs[a:b])]
                pos = e
        parts.append(text[pos:end])
        return "".join(parts)

    def _pair_candidates(self) -> dict[tuple[str, str], str]:
        """The pairs of words of their own (lower case) that make a word (``it self``) the
        book writes ``pair_queue_count`` times (4 letters or more) and ``pair_queue_ratio``
        times more often than the pair, each with that word.

        Only the pairs the book writes are looked at, and those that make a word it writes
        that often are all in ``book.joins`` (a few hundred): no need to cut every frequent
        word of the book in two."""
        cfg = self.config
        book_lower = self.book.lower
        cands: dict[tuple[str, str], str] = {}
        for (a, b), pair in self.book.joins.items():
            w = a + b
            k = book_lower.get(w, 0)
            if k < cfg["pair_queue_count"] or len(w) < 4 or not w.isalpha():
                continue
            if k >= cfg["pair_queue_ratio"] * pair and self.piece(a)[0] and self.piece(b)[0]:
                cands[(a, b)] = w
        return cands

    def _pairs(self, text: str, done: list[Edit]) -> list[Edit]:
        """Two real words that also make a word (``it self``): queued, never applied, when the
        book writes the word ``pair_queue_count`` times and the pair hardly ever.  (The order
        of the candidates makes no difference to the matches: at most one pair of the
        alternation can match at a place, as the pairs are letters only, between lookarounds.)"""
        book = self.book
        cands = self._pair_candidates()
        if not cands:
            return []
        pat = re.compile(r"(?<![\w'\u2019])(?:%s)(?![\w'\u2019])" % "|".join(
            re.escape(a) + " " + re.escape(b) for a, b in cands), re.IGNORECASE)
        spans = [(e.start, e.end) for e in done]
        out = []
        for m in _pair_matches(pat, text, [a + " " + b for a, b in cands]):
            a, b = m.group().split(" ")
            joined = a + b
            if not _case_ok(joined) or any(m.start() < y and x < m.end() for x, y in spans):
                continue
            whole, pair = book.count(joined), book.pair(a, b)
            if self._context_splits(text, m.start(), m.end(), a, b, joined, book):
                continue
            out.append(Edit(m.start(), m.end(), joined, "split-word-pair", 0.5, QUEUED,
                            (joined, m.group()),
                            note=f"book: {joined!r} {whole}x, {m.group()!r} {pair}x"))
        return out

    @staticmethod
    def _context_splits(text: str, start: int, end: int, a: str, b: str, joined: str, book) -> bool:
        """The words around the pair read it as two words (``dealt with in``, ``effort to
        ward off``): elsewhere the book writes the word before with ``a`` (or ``b`` with the
        word after) at least twice and never with the joined word.  Then the join is not
        offered at all (a suggestion more often wrong than right)."""
        lm = _WORD_BEFORE.search(text, max(0, start - 40), start)
        rm = _WORD_AFTER.match(text, end)
        if lm is not None:
            left = lm.group(1)
            if book.pair(left, a) - 1 >= 2 and book.pair(left, joined) == 0:
                return True
        if rm is not None:
            right = rm.group(1)
            if book.pair(b, right) - 1 >= 2 and book.pair(joined, right) == 0:
                return True
        return False

    def _numbers(self, text: str, matches) -> list[Edit]:
        """Split years among ``matches`` (those of ``SPLIT_NUMBER`` in ``text``).  The book's
        uses of each year standing alone are counted for all the years asked at once, by one
        search for any of them (a year is four characters)."""
        years = []      # (match, its pieces that make the year, the year)
        for m in matches:
            if m.start() > 0 and (text[m.start() - 1] in NOT_BEFORE_NUMBER or text[m.start() - 1].isalnum()):
                continue
            parts = m.group().split(" ")
            # the first pieces that make four digits ("1 930", "193 1", "1 93 1")
            k, size = 0, 0
            while k < len(parts) and size < 4:
                size += len(parts[k])
                k += 1
            if size != 4:
                continue
            joined = "".join(parts[:k])
            if YEAR.fullmatch(joined):
                years.append((m, parts[:k], joined))
        if not years:
            return []
        alone = YEARS_ALONE.format("|".join(sorted({re.escape(y) for _, _, y in years})))
        counts = collections.Counter(re.findall(alone, text))
        out = []
        for m, parts, joined in years:
            if counts[joined] < self.config["min_year_count"]:
                continue
            end = m.start() + len(" ".join(parts))
            out.append(Edit(m.start(), end, joined, "split-number", 0.95, APPLIED,
                            (joined, text[m.start():end]), note=f"book writes {joined} {counts[joined]}x"))
        return out


def _pair_matches(pat: re.Pattern, text: str, pairs: list[str]):
    """``pat.finditer(text)``, where ``pat`` is the case-insensitive alternation of ``pairs``
    (lower case) between lookarounds; faster (the scan of ``pat`` over a book costs about
    25 ms) when the pairs are ASCII and ``text`` holds none of the letters other than A-Z
    that match a-z case-insensitively ("ı", "ſ", "İ" and the Kelvin sign): then a match of
    ``pat`` can only start where ``text`` with its ASCII letters in lower case holds one of
    the pairs.  That text is made in the UTF-8 bytes (where A-Z are no part of any other
    character), about twice as fast as ``text.lower()``.  Those places are tried in order
    with ``pat.match``, each after the end of the last match, as ``finditer`` tries them.
    """
    if not all(p.isascii() for p in pairs) or any(c in text for c in _FOLD_TO_ASCII):
        yield from pat.finditer(text)
        return
    low = text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    starts = set()
    for p in pairs:
        i = low.find(p)
        while i >= 0:
            starts.add(i)
            i = low.find(p, i + 1)
    pos = 0
    for i in sorted(starts):
        if i >= pos:
            m = pat.match(text, i)
            if m:
                yield m
                pos = m.end()


def _number_matches(split_number: re.Pattern, space_digit: re.Pattern, text: str):
    """``split_number.finditer(text)`` (``SPLIT_NUMBER`` and ``SPACE_DIGIT`` for the text),
    faster: a match starts one to three characters before a space followed by a digit, and
    those few spaces are found by a search that starts with a plain character (about three
    times faster than a search that starts with a class).  The possible starts are tried in
    order with ``match``, each after the end of the last match, as ``finditer`` tries them."""
    starts = sorted({i - k for i in map(re.Match.start, space_digit.finditer(text)) for k in (1, 2, 3) if i >= k})
    pos = 0
    for i in starts:
        if i >= pos:
            m = split_number.match(text, i)
            if m:
                yield m
                pos = m.end()


def _for_text(text: str) -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """``CHAIN``, ``LETTERS``, ``SPLIT_NUMBER`` and ``SPACE_DIGIT`` for this text: their letter
    ``[^\\W\\d_]`` and digit ``\\d`` written as classes of the ASCII letters (digits) and the
    other characters of ``text`` they take.  The same matches, found about twice as fast (a
    class of ranges is cheaper to test than a Unicode category)."""
    others = sorted(set(beyond_ascii(text)))
    letter = "[A-Za-z" + "".join(re.escape(c) for c in others if re.fullmatch(LETTER, c)) + "]"
    digit = "[0-9" + "".join(re.escape(c) for c in others if re.fullmatch(r"\d", c)) + "]"
    return (re.compile(CHAIN.pattern.replace(LETTER, letter)),
            re.compile(LETTERS.pattern.replace(LETTER, letter)),
            re.compile(SPLIT_NUMBER.pattern.replace(r"\d", digit)),
            re.compile(SPACE_DIGIT.pattern.replace(r"\d", digit)))


def _overlaps(e: Edit, spans) -> bool:
    return any(e.start < y and x < e.end for x, y in spans)
