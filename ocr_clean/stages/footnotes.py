"""footnotes: restore footnote reference markers as ``[^N]`` by the book's own sequence.

The scan flattens a superscript note number into the text: ``Kai-shek.7``, ``the
issue.8``, often misread (``organized.s`` = 5, ``Zinoviev1oo`` = 100), broken by
spaces (``Neumann 17``, ``testament, 1 1 6``) or unreadable (``InternationaV`` = 3).
Plain patterns cannot tell these from the many decoys (``35,800,000``, ``1:8``,
``then1`` for *them*, list numbers, years).  The signal is the sequence: notes are
numbered 1..N through the book, so the markers are the one increasing run 1, 2, 3...

1. The notes section is found (a heading line such as "Notes and acknowledgments"
   followed by entries numbered 1, 2, 3...); its entries are chosen by the same
   sequence method, and the last entry's number is N (no constant).  Each entry is
   written ``N. `` (``8 .`` -> ``8.``, ``124\ufffd`` -> ``124.``; an entry run into
   the paragraph before it starts its own paragraph).
2. Every token of the body that could hold a marker gives firm readings: clean
   digits glued to a word, digits broken by spaces, a number alone on its line after
   a title, and glyphs decoded with the glyph map (``ocr_clean/dictionaries/footnote_glyphs.tsv``).
   Each reading has a cost.
3. Dynamic programming picks the chain of readings, increasing in number and in
   position, that best covers 1..N (each number placed earns, each number skipped
   costs, each reading costs its glyph cost).
4. A clean marker left out because it sits out of order (an author's page-foot note
   printed after the next marker) is taken back when it falls among its neighbours.
5. For the numbers still missing, and only in the stretch of text where they are
   missing, tails with unreadable glyphs are tried (``leadershipY``, ``FrankeP47``,
   ``Varga, IDS``, a year with a capital glued to it ``1923H``, a word whose l was read
   I ``WeIP\u00b7B``), and marks that read as no digits at all: a short tail mixing a
   letter and a symbol after a word and its punctuation (``severe.a!``), a run of
   glyphs set apart at the end of a paragraph (``party." l t-!``).  The chain is chosen
   again.  Where the scan shows no mark at all, the place where the words the note is
   about occur (its title, or its subject's name or year) is suggested to a reviewer
   (status "queued").

Rules: ``marker-clean``, ``marker-spaced``, ``marker-glyph``, ``marker-position``
and ``note-entry``.  A marker placed by position only (an unreadable tail) is applied
with confidence 0.7 when both neighbours N-1 and N+1 are firm readings and no other
unreadable tail of the scan could be N between them (the two neighbours pin it down);
a run of k missing numbers between firm neighbours whose stretch holds exactly k such
marks is applied in order, and so is a mark that reads as no digits, or one whose
word's letters are rewritten, alone in its stretch: these with confidence 0.6 (below
0.65, so a person confirms them too).  Otherwise the marker is queued with the other
numbers it could be as candidates.  A suggestion from the note's words is always
queued: on this book, where a note's words put a marker, the printed marker stands
there about 3 times in 4, and all the markers the scan seemed to have lost had a mark
elsewhere (``1923H`` for 14 where the note names "the March days in 1921").
Markers already written (``[^N]``: a second run, a reviewer's decision) hold their place.
"""
from __future__ import annotations

import collections
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..ledger import APPLIED, QUEUED, Edit
from ..lexicon import BookVocab, data_file, read_table
from ..note_numbers import ENTRY_DOT, MARKER, Cand, NotesSection, best_chain, find_notes_section
from ..note_numbers import matches_from as _matches_from
from ..profile import profile_of
from .base import Stage, register


LETTER = r"[^\W\d_]"
WORDCHARS = re.compile(r"^[\"'(\[\u2018\u201c]*(.*?)[.,;:!?'\")\]\u2019\u201d]*$")
HAS_LETTER = re.compile(LETTER)
# digits broken by spaces after a word: "Neumann 17", "testament, 1 1 6", "OV,1 13"
# (the reference form: _spaced() finds the same matches, from the digits backwards)
SPACED = re.compile(r"[^\W\d_]((?: ?[.,;:?!)\"'])*)( {0,2})(\d{1,4}(?: \d{1,3})*)(?=[\s_.,;:)\-]|$)")
# a paragraph that is only a number (a marker set alone after a title)
ALONE = re.compile(r"(?<=\S)(\s*\n\s*\n[ \t]*)(\d{1,3})[ \t]*(?=\n|$)")
# where it can start: the white space before the line break before a number
_BREAK_DIGIT = re.compile(r"\n(?=[ \t]*\d)")
# From here on, a pattern that would look behind before its first character looks behind
# after it instead ("\d(?<![\w.,]\d)" for "(?<![\w.,])\d", "( )(?<=X )" for "(?<=X)( )"):
# the same matches, and the regex engine skips straight to the places that start with that
# character instead of trying every position.
DATE_OR_RANGE = re.compile(r",? \d{4}\b|-\d|\.\d| ?[-\u2013] ")
# a number followed by a word: which words usually follow numbers in this book ("percent")
NUMBER_WORD = re.compile(r"\d(?<![\w.,]\d)[\d,.]*[ \t]+([a-z]+)")
NEXT_WORD = re.compile(r"[ \t]+([a-z]+)")


def quantity_words(text: str, end: int, known: "_Known", numbers: list[int]) -> set[str]:
    """Words that follow a number often (3 times, and a fifth of their uses): units, not text.

    The numbers of text[:end] are tried only where ``numbers`` says a number starts."""
    after = Counter(m.group(1) for m in _matches_from(NUMBER_WORD, text, numbers, 0, end))
    return {w for w, c in after.items() if c >= 3 and c >= 0.2 * max(known.count(w), 1)}
PUNCT_END = ".,;:!?'\")]\u2019\u201d"
# glyphs that may stand for digits the scan could not read (a wildcard of 0-2 digits):
# capitals and rare symbols, never ordinary punctuation or the replacement character
UNREADABLE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ/}]|\u00b7*\u00b0<>{[")
RARE = re.compile(r"[A-Z/}\]|\u00b7*\u00b0<>{\[]")
# English word endings that are never a marker: possessives
POSSESSIVE = {"'s", "\u2019s", "'S", "\u2019S", "s'", "s\u2019", "S'"}


# -- the glyph map -------------------------------------------------------------------------
@lru_cache(maxsize=4)
def load_glyphs(path: str | None = None) -> tuple[tuple[str, str, float, str], ...]:
    """Rows (glyph, digits, cost, swallowed letter) of the glyph map."""
    p = Path(path) if path else data_file("footnote_glyphs.tsv")
    rows = []
    for r in read_table(p):
        if len(r) < 3 or not r[0]:
            continue
        rows.append((r[0], r[1], float(r[2]), r[3] if len(r) > 3 else ""))
    return tuple(rows)


class TailDecoder:
    """Decode the tail of a token (what follows the word) into note numbers with a cost.

    A tail read wholly from digits and the glyph map gives numbers; a tail with an
    unreadable glyph gives patterns (``P47`` -> ``\\d{0,2}47``) that are only tried
    against the numbers missing from the sequence, in the stretch of text where they
    are missing.
    """

    def __init__(self, glyphs, wild_cost: float = 1.0, max_n: int = 999) -> None:
        self.glyphs = glyphs
        self.wild_cost = wild_cost
        self.max_n = max_n
        self.chars = set("0123456789") | {c for g, *_ in glyphs for c in g} | UNREADABLE
        # the characters the glyph map reads as a digit by themselves ("l", "o", "s", "!")
        self.digit_glyphs = {g for g, *_ in glyphs if len(g) == 1}
        # the glyphs that start with each character, in the map's order: the only ones that can
        # be read where that character stands
        self._by_first: dict[str, list] = {}
        for row in glyphs:
            self._by_first.setdefault(row[0][:1], []).append(row)
        # per distinct tail: its parses, its firm readings, its wildcard readings
        self._cache: dict = {}
        self._decoded: dict = {}
        self._wild: dict = {}

    def parses(self, tail: str) -> list[tuple[str, float, str, bool]]:
        """All readings: (digits or regex, cost, swallowed letter, has a wildcard)."""
        hit = self._cache.get(tail)
        if hit is not None:
            return hit
        out: list[tuple[str, float, str, bool]] = []
        by_first = self._by_first.get if "" not in self._by_first else (lambda c, d: self.glyphs)

        def walk(i: int, pat: str, cost: float, letter: str, wild: int) -> None:
            if len(out) > 64:
                return
            if i == len(tail):
                out.append((pat, cost, letter, wild > 0))
                return
            c = tail[i]
            if c.isdigit():
                walk(i + 1, pat + c, cost, letter, wild)
                return
            for g, d, gc, gl in by_first(c, ()):
                if tail.startswith(g, i) and (not gl or i == 0):
                    walk(i + len(g), pat + d, cost + gc, gl or letter, wild)
            if c in UNREADABLE:
                if wild < 2:
                    walk(i + 1, pat + r"\d{0,2}", cost + self.wild_cost, letter, wild + 1)

        walk(0, "", 0.0, "", 0)
        del walk              # the closure refers to itself: break the cycle (freed at once)
        self._cache[tail] = out
        return out

    def decode(self, tail: str) -> list[tuple[int, float, str]]:
        """Firm readings [(n, cost, swallowed letter)], one per n, best first (a shared list:
        not to be changed)."""
        hit = self._decoded.get(tail)
        if hit is not None:
            return hit
        best: dict[int, tuple[float, str]] = {}
        for pat, cost, letter, wild in self.parses(tail):
            if wild or not pat or pat[0] == "0" or len(pat) > 3:
                continue
            n = int(pat)
            if 1 <= n <= self.max_n and (n not in best or cost < best[n][0]):
                best[n] = (cost, letter)
        out = self._decoded[tail] = sorted(((n, c, l) for n, (c, l) in best.items()), key=lambda x: x[1])
        return out

    def wild(self, tail: str) -> list[tuple[str, float, str]]:
        """Readings with an unreadable glyph: [(pattern, cost, swallowed letter)] (a shared list:
        not to be changed).  The pattern is a regex's source: compiled (by ``re``'s cache)
        only if the tail is ever tried against a missing number, which few are."""
        hit = self._wild.get(tail)
        if hit is None:
            hit = self._wild[tail] = [(p, c, l) for p, c, l, w in self.parses(tail) if w]
        return hit


# -- body candidates ---------------------------------------------------------------------
class _Known:
    """Is a word the book's (or English) word; which letter a glyph swallowed."""

    def __init__(self, lexicon, text: str, vocab: BookVocab | None = None) -> None:
        self.lexicon = lexicon
        self.text = text
        # the book's words as written (their distinct forms serve _tokens_to_read), and their
        # counts case folded (only the word counts: no word pairs are needed here)
        vocab = vocab if vocab is not None else BookVocab.from_text(text)
        self.written = vocab.counts
        self.counts = vocab.lower
        self._swallowed: dict[str, str] = {}

    def count(self, w: str) -> int:
        return self.counts.get(w.lower(), 0)

    def known(self, w: str) -> bool:
        if not w or not HAS_LETTER.search(w):
            return False
        if self.count(w) >= 2:
            return True
        if self.lexicon is None:
            return False
        return self.lexicon.is_english(w) or w in self.lexicon.protected

    def common(self, w: str) -> bool:
        """Used in the book, or a common English word (not a rare form such as "stronge")."""
        if self.count(w) >= 2:
            return True
        return self.lexicon is not None and self.lexicon.freq(w) >= 1e-6

    def swallowed(self, stem: str) -> str:
        """A letter the tail swallowed: ``Internationa`` + l -> the book's ``International``.

        The word with the letter must be the book's (used at least 3 times and 5 times
        as often as the stem alone) and a real word: English, or a name (capitalized).
        A frequent misreading such as ``frOln`` (from) is neither.  (Once per distinct stem.)
        """
        hit = self._swallowed.get(stem)
        if hit is None:
            hit = self._swallowed[stem] = self._swallowed_letter(stem)
        return hit

    def _swallowed_letter(self, stem: str) -> str:
        if not stem or not stem[-1].isalpha():
            return ""
        base = self.count(stem)
        best, best_n = "", 0
        for c in "lrtyeinsaodhcmu":
            k = self.count(stem + c)
            if k > best_n:
                best, best_n = c, k
        if best_n >= 3 and best_n >= 5 * base:
            word = stem + best
            english = self.lexicon is not None and self.lexicon.is_english(word)
            if english or (word[0].isupper() and word[1:].islower()):
                return best
        if self.lexicon is not None and base == 0 and self.lexicon.freq(stem) < 1e-7:
            # too few uses in the book to tell: a common English word with the letter
            scored = sorted(((self.lexicon.freq(stem + c), c) for c in "lrtyeinsaodhcmu"), reverse=True)
            if scored[0][0] >= 1e-6 and scored[0][0] >= 5 * scored[1][0]:
                return scored[0][1]
        return ""


@dataclass(slots=True)
class WildTail:
    """A tail with an unreadable glyph: tried only against numbers missing from the chain."""

    start: int
    end: int
    readings: list           # [(pattern, cost, swallowed letter)]: a regex (or its source) a number must fullmatch
    prefix: str              # a letter the tail swallowed, by the book's vocabulary
    digits: int              # digits read in the tail (more = firmer)
    loose: bool = False      # no glyph reading: the tail stands for any missing number
    lead: str = ""           # the word's letters from start to the tail, as written (folded)

    def moved(self, d: int) -> "WildTail":
        """The same tail ``d`` characters further on (as Cand.moved)."""
        return WildTail(self.start + d, self.end + d, self.readings, self.prefix, self.digits,
                        self.loose, self.lead)


# any note number: the reading of a tail that is plainly a mark but not legible as digits
ANY_NUMBER = re.compile(r"[1-9]\d{0,2}")
# a capital I inside a lower-case word is a misread l ("WeIl"): the word is checked folded
INNER_I = re.compile(r"(?<=[a-z])I(?=[a-z]|$)")
YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
# a word, its closing punctuation, then a short tail mixing a letter and a symbol ("severe.a!")
LOOSE_TAIL_BODY = (r"[\"'(\[\u2018\u201c]*([^\W\d_]{3,})([.,;:!?\"')\]\u2019\u201d]+)"
                   r"((?=\S*[^\W\d_])(?=\S*[^\w\s\"'\u2019\u201d\-])[^\s\"'\u2019\u201d\-\d]{2,3})")
LOOSE_TAIL = re.compile("^" + LOOSE_TAIL_BODY + "$")
# a paragraph that ends in a run of glyphs set apart after its last word: 'party." l t-!'
GLYPH_RUN = re.compile(r"( (?<=[.,;:!?\"')\u2019\u201d] )[^\s\d\[\]*]{1,3}(?: [^\s\d\[\]*]{1,3})?)[ \t]*(?=\n\n|\n?$)")


def body_candidates(text: str, end: int, decoder: TailDecoder, known: _Known,
                    cfg: dict) -> tuple[list[Cand], list[WildTail]]:
    """Firm candidates (clean, spaced, glyph) and tails to try by position, in text[:end].

    The text is searched once for the tokens to read (_tokens_to_read); the numbers and the
    short tokens of glyphs are looked for among them, not in the whole text again."""
    out: list[Cand] = []
    wild: list[WildTail] = []
    max_n = decoder.max_n
    # the readings of a token depend on the token alone (except a bare "?25" after a word):
    # each distinct token is read once
    cache: dict[str, tuple[list[Cand], list[WildTail]]] = {}

    def reads(tok: str) -> bool:
        """Read a plain word (with a letter, so wherever it stands) into the cache: any reading?"""
        o: list[Cand] = []
        w: list[WildTail] = []
        _token_cands(text, tok, 0, decoder, known, cfg, o, w)
        cache[tok] = (o, w)
        return bool(o or w)

    tokens = _tokens_to_read(text, end, decoder, known, reads)
    numbers = _number_starts(text, tokens)
    units = quantity_words(text, end, known, numbers)
    for off, tok in tokens:
        hit = cache.get(tok)
        if hit is None:
            if "[^" in tok:
                cache[tok] = ([], [])
                continue
            o: list[Cand] = []
            w: list[WildTail] = []
            _token_cands(text, tok, off, decoder, known, cfg, o, w)
            if HAS_LETTER.search(tok.rstrip("0123456789")):
                cache[tok] = ([c.moved(-off) for c in o], [x.moved(-off) for x in w]) if o or w else ([], [])
            out.extend(o)
            wild.extend(w)
            continue
        o, w = hit
        if o:
            out.extend([c.moved(off) for c in o])
        if w:
            wild.extend([x.moved(off) for x in w])
    for m in _spaced(text, end, numbers):
        digits = m.group(3)
        if " " not in digits and not m.group(2):
            continue                       # glued and unbroken: a token candidate already
        flat = digits.replace(" ", "")
        cost = cfg["spaced_cost"]
        skip_first = False
        if len(digits) == 4 and " " not in digits and m.group(2) and flat[0] in "17" and flat[1] != "0":
            # "Yat-senism 7115": a question mark or a stray stroke read as a digit
            flat, cost, skip_first = flat[1:], cost + 0.6, True
        if len(flat) > 3 or flat[0] == "0":
            continue
        n = int(flat)
        if not 1 <= n <= max_n:
            continue
        nxt = text[m.end(3):m.end(3) + 7]
        if DATE_OR_RANGE.match(nxt):
            continue                       # "February 25, 1927", "number 25-26", "October 1 - "
        unit = NEXT_WORD.match(text, m.end(3))
        if unit and unit.group(1) in units:
            continue                       # "100 percent": a quantity
        s = m.start(2) if m.group(2) else m.start(3)
        w0 = text.rfind(" ", 0, m.start(1)) + 1
        before = text[w0:m.start(1)]
        if not HAS_LETTER.search(before):
            continue
        if m.group(1) and not m.group(2):
            # "UglanOV,1 13": the first digit is glued to the punctuation
            s = m.start(3)
        if skip_first:
            s = m.start(3) + 1             # the misread first glyph stays as scanned
        out.append(Cand(s, m.end(3), n, cost, "marker-spaced"))
    for m in MARKER.finditer(text, 0, end):
        # markers already written (a second run, or a reviewer's edit) hold their place
        n = int(m.group(1))
        if 1 <= n <= max_n:
            out.append(Cand(m.start(), m.end(), n, -1.0, "existing"))
    for m in _lone_glyphs(text, end, tokens):
        # "apparatus, Varga, IDS believe": the superscript set apart and read as letters;
        # tried only for numbers missing from the chain, in their stretch
        tok = m.group(2)
        prev_word = text[text.rfind(" ", 0, m.start(1)) + 1:m.start(1)]
        if not HAS_LETTER.search(prev_word) or prev_word.isupper() or any(ch.isdigit() for ch in tok):
            continue
        readings = [(str(n), c, "") for n, c, letter in decoder.decode(tok) if not letter]
        if readings:
            wild.append(WildTail(m.start(1), m.end(2), readings, "", 1))
    for m in _glyph_runs(text, end):
        # 'the revolutionary party." l t-!': glyphs set apart at the end of a paragraph, none
        # of them a word, at least one of them a digit's glyph and one a symbol
        toks = m.group(1).split()
        joined = "".join(toks)
        s = m.start(1)
        w0 = max(text.rfind(" ", 0, s), text.rfind("\n", 0, s), text.rfind("\t", 0, s)) + 1
        before = WORDCHARS.match(text[w0:s])         # the word before, its marks stripped
        if before is None or not known.common(before.group(1)):
            continue
        if any(len(t) > 1 and t.isalpha() or t in ("a", "A", "I", "O") for t in toks):
            continue
        if not any(ch in decoder.digit_glyphs for ch in joined) or joined.isalpha():
            continue
        if not joined.strip(ORDINARY_PUNCT):
            continue
        wild.append(WildTail(m.start(1), m.end(1), [(ANY_NUMBER, 0.0, "")], "", 0, True))
    starts = []
    for m in _BREAK_DIGIT.finditer(text, 0, end):
        p = m.start()
        while p > 0 and text[p - 1].isspace():      # str.isspace() is the regex's \s
            p -= 1
        starts.append(p)
    for m in _matches_from(ALONE, text, starts, 0, end):
        n = int(m.group(2))
        if 1 <= n <= max_n and m.group(2)[0] != "0":
            out.append(Cand(m.start(1), m.end(2), n, cfg["alone_cost"], "marker-spaced"))
    return out, wild


# a plain word (most tokens): read only when the book does not know it and it ends in a glyph
PLAIN = re.compile(r"(?<!\S)[A-Z]?[a-z]+[.,;:]?(?!\S)")
PLAIN_WORD = re.compile(r"[A-Z]?[a-z]+")
NOT_PLAIN_BODY = r"(?![A-Z]?[a-z]+[.,;:]?(?!\S))\S+"
NOT_PLAIN = re.compile(r"(?<!\S)" + NOT_PLAIN_BODY)
_TOKEN = re.compile(r"\S+")


def _alternation(words: list[str]) -> str:
    """A pattern matching exactly ``words``, factored by their first letters (a trie): the
    regex engine tries a few branches at each place instead of every word."""
    by_first: dict[str, list[str]] = {}
    for w in words:
        by_first.setdefault(w[0], []).append(w[1:])
    parts = []
    for c, rests in sorted(by_first.items()):
        tails = [r for r in rests if r]
        if not tails:
            parts.append(re.escape(c))
            continue
        opt = "?" if len(tails) < len(rests) else ""
        sub = _alternation(tails)
        parts.append(re.escape(c) + (f"(?:{sub}){opt}" if len(tails) > 1 or opt else sub))
    return "|".join(parts)


def _tokens_to_read(text: str, end: int, decoder: "TailDecoder", known: "_Known",
                    reads) -> list[tuple[int, str]]:
    """The tokens of text[:end] that may hold a marker, as (offset, token) in text order: the
    tokens that are not plain words and may give something (_worth_reading; the first token
    whenever it is no plain word), and the plain words the book does not know that end in a
    glyph and give a reading.

    ``reads(token)`` tells whether such a plain word gives a reading (where it stands does
    not matter): only those are looked for.  They are few (most are a name the
    book uses once), and the pattern that finds them is tried at every token of the text.
    """
    if known.text is text and (end <= 0 or end >= len(text) or text[end - 1].isspace() or text[end].isspace()):
        # a plain token is one of the book's words as written, [.,;:]? after it: the odd ones
        # are found among the distinct words _Known counted (no token of text[:end] is cut at end)
        # (a word used twice is known: its count as written, then folded, first; the folded
        # count is never below the written one).  A word and a mark after it that is no
        # glyph ("word." when "." is none) gives no reading (its last character is no glyph,
        # it has no digit, and no loose tail follows the mark): those are not looked for
        chars, counts = decoder.chars, known.counts
        marks = ("",) + tuple(p for p in ".,;:" if p in chars)
        odd = sorted(w + p for w, k in known.written.items() if k < 2 and w[-1] in chars
                     and counts.get(w.lower(), 0) < 2 and PLAIN_WORD.fullmatch(w) and not known.known(w)
                     for p in marks)
    else:
        plain = set(PLAIN.findall(text, 0, end))
        odd = sorted(w for w in plain if w.rstrip(".,;:")[-1:] in decoder.chars and not known.known(w.rstrip(".,;:")))
    odd = [w for w in odd if reads(w)]
    # the odd plain words and the tokens that are not plain words and may give something
    # (the two never overlap)
    not_plain = NOT_PLAIN_BODY.replace(r"\S+", _worth_reading(decoder.chars) + r"\S+")
    body = rf"(?:{_alternation(odd)})(?!\S)|{not_plain}" if odd else not_plain
    # a token after the whitespace before it (the engine skips to whitespace), or at the start
    out = [(m.start(1), m.group(1)) for m in re.compile(rf"\s({body})").finditer(text, 0, end)]
    # the first token (no whitespace before it): kept when it is one of the odd words or no
    # plain word (as ``body`` would match it there, without compiling ``body`` alone)
    first = _TOKEN.match(text, 0, end)
    if first and (first.group(0) in odd or NOT_PLAIN.match(text, 0, end)):
        out.insert(0, (0, first.group(0)))
    return out


def _worth_reading(chars: set[str]) -> str:
    """A lookahead that a token (not a plain word) passes when it may give something: a digit
    (any character beyond ASCII, so that every digit str.isdigit knows counts), a last
    character that is a glyph (``chars``) after another (one character alone gives no
    reading: "I", "A"), a loose tail (LOOSE_TAIL), or the short run of
    capitals and glyphs that LONE_GLYPHS looks for.  Any other token gives no reading, holds
    no number and no lone glyphs: left in the text, it is never built nor looked at (half
    the tokens that are not plain words on the book: "I", words with a hyphen or a quote,
    abbreviations, a word and two marks)."""
    glyphs = "".join(sorted(re.escape(c) for c in chars))
    # [^\x00-\x2f\x3a-\x7f]: 0-9 and all beyond ASCII (written so, the class compiles at once)
    return (rf"(?=\S*[^\x00-\x2f\x3a-\x7f]|\S+[{glyphs}](?!\S)|{LOOSE_TAIL_BODY}(?!\S)"
            rf"|{LONE_RUN}(?!\S))")


_DIGIT = re.compile(r"\d")
_NUMBER_START = re.compile(r"\d(?<!\d\d)")


def _number_starts(text: str, tokens: list[tuple[int, str]]) -> list[int]:
    """Where a run of digits starts in the tokens of _tokens_to_read, in order: where a run
    starts in the text they were read from (a token with a digit is not a plain word: it is
    one of them).  Found in a few tokens instead of the whole text, where a pattern that
    starts with a digit is tried at every character."""
    has_digit = _DIGIT.search
    starts = _NUMBER_START.finditer
    return [m.start() for off, tok in tokens if has_digit(tok) for m in starts(text, off, off + len(tok))]


# a short token of capitals/glyphs standing alone between running words
LONE_RUN = r"[A-Z\u00b0'/!?]{2,4}"
LONE_GLYPHS = re.compile(r"( )(?<=[^\W\d_][.,;:)] )(" + LONE_RUN + r")(?= [a-z])")


def _lone_glyphs(text: str, end: int, tokens: list[tuple[int, str]]):
    """The matches of LONE_GLYPHS in text[:end], tried only before the tokens read (the token
    it finds is one of them: not a plain word) of 2 to 4 characters after a space: a handful
    of places, where the pattern itself stops at every space of the text."""
    for off, tok in tokens:
        if 2 <= len(tok) <= 4 and off > 0 and text[off - 1] == " ":
            m = LONE_GLYPHS.match(text, off - 1, end)
            if m:
                yield m


# a paragraph end: the line break before an empty line
_BLANK_LINE = re.compile(r"\n(?=\n)")


def _glyph_runs(text: str, end: int):
    """The matches of GLYPH_RUN in text[:end], found from the paragraph ends (a literal line
    break: the engine skips to it; the pattern itself stops at every space of the text).

    A match ends before the spaces at the end of a paragraph and starts at most 8 characters
    earlier (" XXX XXX"): the first place there where the pattern matches, up to that end."""
    ends = [m.start() for m in _BLANK_LINE.finditer(text, 0, end)]
    if end > 0 and text[end - 1] == "\n":
        ends.append(end - 1)
    ends.append(end)
    for q in ends:
        p = q
        while p > 0 and text[p - 1] in " \t":
            p -= 1
        for s in range(max(0, p - 8), p - 1):
            if text[s] == " ":
                m = GLYPH_RUN.match(text, s, end)
                if m and m.end(1) == p:
                    yield m
                    break
ORDINARY_PUNCT = "'\".,;:!?)-\u2019\u201d"
PAREN_END = re.compile(r"[)\]][.,;:]?$")


def has_digit_tail(tail: str) -> bool:
    return any(ch.isdigit() for ch in tail)


SYMBOL = re.compile(r"[^\w\s'\u2019]")
CLOSERS = re.compile(r"[.,;:?!)\]\"'\u2019\u201d]{1,3}")


DIGITS = re.compile(r"\d(?<!\d\d)\d{0,3}(?: \d{1,3})*(?=[\s_.,;:)\-]|$)")
BEFORE_DIGITS = re.compile(r"[^\W\d_]((?: ?[.,;:?!)\"'])*)( {0,2})$")


class _Spaced:
    """A match of SPACED, found from the digits backwards (much faster than SPACED itself)."""

    __slots__ = ("g", "s")

    def __init__(self, groups, starts):
        self.g, self.s = groups, starts

    def group(self, k):
        return self.g[k - 1]

    def start(self, k):
        return self.s[k - 1]

    def end(self, k):
        return self.s[k - 1] + len(self.g[k - 1])


def _spaced(text: str, end: int, numbers: list[int] | None = None):
    """The matches of SPACED in text[:end]: digits after a word, its punctuation and spaces
    (tried only where ``numbers`` says a run of digits starts, when given)."""
    found = DIGITS.finditer(text, 0, end) if numbers is None else _matches_from(DIGITS, text, numbers, 0, end)
    for m in found:
        a = m.start()
        b = BEFORE_DIGITS.search(text, max(0, a - 12), a)
        if b is None:
            continue
        yield _Spaced((b.group(1), b.group(2), m.group(0)), (b.start(1), b.start(2), a))


def follows_word(text: str, off: int) -> bool:
    """The token at ``off`` follows a word after one space."""
    return off >= 2 and text[off - 1] == " " and (text[off - 2].isalpha() or text[off - 2] in ")]\"'")
CUT = set("-.,;:!?)\"'_*\u2019\u201d")


def _token_cands(text: str, tok: str, off: int, decoder: TailDecoder, known: _Known, cfg: dict,
                 out: list[Cand], wild: list[WildTail]) -> None:
    """Readings of a marker at the end of one token (or before trailing punctuation)."""
    if len(tok) < 2:
        return
    n_out, n_wild = len(out), len(wild)
    _token_reads(text, tok, off, decoder, known, cfg, out, wild)
    if len(out) > n_out or len(wild) > n_wild:
        return
    lt = LOOSE_TAIL.match(tok)
    if lt and known.common(lt.group(1)) and not known.known(tok.strip(ORDINARY_PUNCT)):
        # "severe.a!": after a whole word and its punctuation, a tail that no glyph reading
        # fits, no word and no digits; it may stand for any missing number (only tried in the
        # stretch of a gap, and applied only when nothing else there could be that number)
        tail = lt.group(3)
        if not tail.isalpha() and tail not in POSSESSIVE:
            wild.append(WildTail(off + lt.start(3), off + lt.end(3), [(ANY_NUMBER, 0.0, "")], "", 0, True))


def _reads_as_word(core: str, known: _Known) -> bool:
    """The token read up to a cut, without its quotes and closing punctuation, is a known word
    or all capitals: then no tail of glyphs only (no digit) is a marker.  (It depends on the
    cut alone, not on the tail: a cut with no digit is dismissed at once, most of them.)"""
    whole = core.lstrip("\"'([\u2018\u201c").rstrip(".,;:!?\")]\u201d")
    return known.known(whole) or whole.isupper()


def _token_reads(text: str, tok: str, off: int, decoder: TailDecoder, known: _Known, cfg: dict,
                 out: list[Cand], wild: list[WildTail]) -> None:
    y = YEAR.match(tok)
    if y and 1 <= len(tok) - y.end() <= 2 and tok[y.end():].isupper() and tok[y.end():].isalpha() \
            and follows_word(text, off) and text[off - 2].isalpha():
        # "since October 1923H up to": a year, then a capital glyph glued to it
        tail = tok[y.end():]
        readings = [(rx, c, "") for rx, c, letter in decoder.wild(tail) if not letter]
        if readings:
            wild.append(WildTail(off + y.end(), off + len(tok), readings, "", 0))
        return
    if tok.isalpha():                      # the common case: a plain word
        if tok[-1] not in decoder.chars or known.known(tok):
            return
    last = tok[-1]
    if not (last.isdigit() or last in decoder.chars):
        # the marker may sit before trailing punctuation: "Sapronovists"204-is
        if not any(map(str.isdigit, tok)):
            return
    # "Krestintern ?25", "Leninists ),2": a stray space before the punctuation
    bare = not HAS_LETTER.search(tok.rstrip("0123456789"))
    if bare:
        lead = tok.rstrip("0123456789")
        if not (follows_word(text, off) and CLOSERS.fullmatch(lead)) and not PAREN_END.search(lead):
            return
    cuts = [len(tok)] + [i for i in range(len(tok) - 1, 1, -1) if tok[i] in CUT and tok[i - 1] in decoder.chars][:3]
    seen: set[tuple[int, int]] = set()
    chars = decoder.chars
    for L in cuts:
        core = tok[:L]
        # the tails: the last 1 to 5 characters of core (not the whole), all of them glyphs
        lo = max(1, L - 5)
        j = L
        while j > lo and core[j - 1] in chars:
            j -= 1
        # does the word read as a word without a tail of glyphs only (below)?  Once per cut:
        # when no tail can hold a digit, a cut whose word reads so gives nothing at all
        whole_word = None
        if j < L and not any(map(str.isdigit, core)):
            whole_word = _reads_as_word(core, known)
            if whole_word:
                continue
        for k in range(j, L):
            tail = core[k:]
            stem = core[:k]
            extra = 0.0
            if stem[-1].isdigit() and tail[0].isdigit():
                # "Krylenk084", "Honj0265": a letter read as 0/1 just before the marker
                if not (stem[-1] in "01" and len(stem) > 2 and stem[-2].isalpha()):
                    continue
                extra = 0.3
            if stem[-1] in "-/\u2013" or (tail[0] in "-:\u2013" and not stem[-1].isdigit()):
                continue                   # "alone-I", "Monatte-\u00b7": a dash, not a marker
            if tail in POSSESSIVE or (stem[-1] + tail[:1]) in POSSESSIVE or "\ufffd" in tail:
                continue                   # "kulak's", "workers'"
            w = WORDCHARS.match(stem).group(1)
            if not bare and (len(w) < 2 or not HAS_LETTER.search(w)):
                # "(number 17-18).132": a marker after a closing parenthesis
                if not (has_digit_tail(tail) and PAREN_END.search(stem)):
                    continue
            punct_before = stem[-1] in PUNCT_END
            has_digit = any(map(str.isdigit, tail))
            if tail in ("'", "\u2019") and (stem[-1] in "sS" or tok[0] in "'\u2018"):
                continue                   # a possessive plural or a closing quote
            if not tail.strip("?!"):
                continue                   # a question or an exclamation
            if not has_digit:
                # glyphs only: the word must read as a word without them, not with them
                if len(w) < 3:
                    continue
                if whole_word is None:
                    whole_word = _reads_as_word(core, known)
                if whole_word:
                    continue
                if RARE.search(tail):
                    # "InternationaV", "leadershipY": capitals or rare symbols after a word
                    if not (known.common(w) or known.swallowed(w) or SYMBOL.search(tail)):
                        continue
                elif not known.common(w) or (len(tail) < 2 and not punct_before and tail.isalpha()):
                    # small glyphs only ("Oppositionll", "organized.s"): the word must be whole;
                    # "strongel'", "Reissnel\ufffd" are misread letters, not markers, and one
                    # small letter after a word is a word ending ("Radeks", "Pyatakovs")
                    continue
            elif w and w[-1].isdigit() and not punct_before and not tail.isdigit():
                continue
            for n, cost, letter in decoder.decode(tail):
                if letter and (punct_before or not known.common(w + letter)):
                    continue
                if (n, off + k) in seen:
                    continue
                seen.add((n, off + k))
                if tail.isdigit():
                    rule, c = "marker-clean", extra
                else:
                    rule, c = "marker-glyph", cfg["glyph_base"] + cost + extra
                out.append(Cand(off + k, off + L, n, c, rule, letter))
            if not tail.isdigit():
                # "WeIP\u00b7B": a capital I inside the small letters of the word is a misread l
                # ("Wel" + the l the glyph swallowed = the book's "Well"); the word is written folded
                stem_f, lead, d = stem, "", k
                if not punct_before:
                    f = INNER_I.sub("l", stem)
                    if f != stem:
                        stem_f = f
                        d = next(i for i in range(k) if f[i] != stem[i])
                w_f = WORDCHARS.match(stem_f).group(1)
                readings = [(rx, c, l) for rx, c, l in decoder.wild(tail) if not l or (not punct_before and known.common(w_f + l))]
                if stem_f != stem:
                    readings = [r for r in readings if known.common(w_f + r[2])]
                    lead = stem_f[d:]
                # a tail of unreadable glyphs only: the word must end in a small letter, and
                # the tail must not be ordinary punctuation ("socialism'?")
                if readings and (has_digit or (stem_f[-1].islower() and len(w) >= 3
                                               and (len(w) >= 4 or lead) and tail.strip(ORDINARY_PUNCT))):
                    swallow = known.swallowed(w) if not punct_before else ""
                    wild.append(WildTail(off + d, off + L, readings, swallow,
                                         sum(ch.isdigit() for ch in tail), lead=lead))


def wild_candidates(chain: list[Cand], wild: list[WildTail], max_n: int, cfg: dict,
                    text: str = "", notes: dict[int, str] | None = None) -> list[Cand]:
    """Candidates for the numbers the chain misses: the unreadable tails in their stretch, and
    (for a reviewer, never applied) the place where the words the note is about occur."""
    placed = sorted(chain, key=lambda c: c.n)
    gaps = []   # (first missing, last missing, lo position, hi position)
    prev_n, prev_end = 0, 0
    for c in placed + [Cand(10 ** 12, 10 ** 12, max_n + 1, 0.0, "")]:
        if c.n > prev_n + 1:
            gaps.append((prev_n + 1, c.n - 1, prev_end, c.start))
        prev_n, prev_end = c.n, c.end
    wild = sorted(wild, key=lambda w: w.start)
    starts = [w.start for w in wild]
    import bisect
    out = []
    for a, b, lo, hi in gaps:
        i = bisect.bisect_left(starts, lo)
        while i < len(wild) and wild[i].start < hi:
            w = wild[i]
            i += 1
            for n in range(a, b + 1):
                best = None
                for rx, c, letter in w.readings:
                    if re.fullmatch(rx, str(n)) and (best is None or c < best[0]):
                        best = (c, letter)
                if best is None:
                    continue
                if w.digits:
                    rule, cost = "marker-glyph", max(cfg["glyph_base"] + best[0], cfg["position_cost"] - 0.4 * w.digits)
                else:
                    rule, cost = "marker-position", cfg["position_cost"] + (cfg["loose_cost"] if w.loose else 0.0)
                # several numbers missing here: the one whose share of the stretch fits best
                if b > a and hi > lo:
                    cost += 0.2 * abs((w.start - lo) / (hi - lo) - (n - a + 1) / (b - a + 2))
                # a loose tail, or a word whose letters are rewritten, is never more than pinned
                out.append(Cand(w.start, w.end, n, cost, rule, w.lead + (best[1] or w.prefix), True,
                                loose=w.loose or bool(w.lead)))
        if notes:
            for n in range(a, b + 1):
                if n in notes:
                    out.extend(text_candidates(text, n, notes[n], lo, min(hi, len(text)), cfg["text_cost"]))
    return out


# the subject of a note ends at its first verb or parenthesis: "Karl Kautsky (1854-1938) was..."
SUBJECT_END = re.compile(r"\(| (?:was|were|is|are|refers?|means?|became|had|has)\b|[;:]|\.(?: |$)")
KEY_TERM = re.compile(r"\b(?:[A-Z][\w'\u2019-]{3,}|\d{4})\b")
CLOSE_PUNCT = re.compile(r"[.,;:!?)\]\"'\u2019\u201d]*")


def note_subject(note: str) -> tuple[str, bool]:
    """What a note is about: the title it gives (True) or its subject up to the first verb."""
    head = note.strip()[:200]
    q = re.match(r"[\"'\u201c]+([^\"\u201d]{4,120}?)[.,]?[\"\u201d]", head)
    if q:                                  # '"Manifesto on China..." The Militant...' -> the title
        return q.group(1), True
    cut = SUBJECT_END.search(head)
    return (head[:cut.start()] if cut else head[:80]), False


def note_keys(note: str) -> list[str]:
    """Names and years that a note is about: its subject, or the title it gives."""
    subject, title = note_subject(note)
    words = KEY_TERM.findall(subject)
    if words and not title and words[0] in ("The", "This", "These", "There", "From", "When"):
        words = words[1:]
    return list(dict.fromkeys(words))[:6]


def text_candidates(text: str, n: int, note: str, lo: int, hi: int, cost: float) -> list[Cand]:
    """Where the words a note is about occur between its neighbours' markers (no mark in the scan).

    Only a hint for a reviewer (always queued): after the note's title when the text
    quotes it, else after the name or year of the note's subject (the last of its words
    when several occur together: "Fritz Heckert", "the March days in 1921").
    """
    if hi <= lo:
        return []
    subject, title = note_subject(note)
    at = -1
    if title and len(subject) >= 8:
        m = re.search(re.escape(subject.strip()), text[lo:hi], re.I)
        if m:
            at = lo + m.end()
    if at < 0:
        keys = note_keys(note)
        if not keys:
            return []
        flags = re.I if title else 0       # a title may be printed in small letters in the text
        hits: list[tuple[int, int, int]] = []
        for rank, k in enumerate(keys):
            for m in re.finditer(r"\b" + re.escape(k) + r"\b", text[lo:hi], 0 if k[0].isdigit() else flags):
                hits.append((lo + m.start(), lo + m.end(), rank))
        if not hits:
            return []
        hits.sort()
        best = None
        for a, b, rank in hits:
            near = {r for aa, bb, r in hits if b - 90 <= aa and bb <= b}
            score = (len(near), rank)
            if best is None or score > best[0]:
                best = (score, b)
        need = 2 if len(keys) >= 3 else 1
        if best[0][0] < need:
            return []
        at = best[1]
    end = CLOSE_PUNCT.match(text, at).end()
    if "\n" not in text[at:end]:
        at = end
    return [Cand(at, at, n, cost, "marker-position", "", True)]


# -- the stage ---------------------------------------------------------------------------
@register
class Footnotes(Stage):
    name = "footnotes"
    description = "Footnote reference markers as [^N], chosen by the book's sequence of notes; note entries as 'N. '"
    defaults = {
        "earn": 2.0,            # score of each number placed
        "skip": 1.0,            # cost of each number left out
        "spaced_cost": 0.8,     # "Neumann 17"
        "alone_cost": 0.6,      # a number alone on its line after a title
        "glyph_base": 0.2,      # added to the glyph map's costs
        "wild_cost": 1.0,       # an unreadable glyph in a partly read tail
        "position_cost": 1.6,   # an unreadable tail: placed by position only
        "position_apply": True,  # apply a position-only marker that both neighbours confirm
        "position_confidence": 0.7,
        "loose_cost": 0.3,      # a tail that is plainly a mark but reads as no digits ("severe.a!")
        "pinned_confidence": 0.6,  # a run of such marks, or a loose tail, pinned by firm neighbours
        "text_cost": 2.5,       # no mark in the scan: where the note's words occur (always queued)
        "order_window": 3,      # an out-of-order marker may sit this many markers away
        # a misread mark glued to a word and followed by a word that only starts sentences
        # ("occupationY This") hid a full stop: restored, and put before a person
        "starter_share": 0.05,
        "lost_stop_confidence": 0.6,
    }
    data_files = ("footnote_glyphs.tsv",)
    settings_help = {
        "earn": "score of each number placed",
        "skip": "cost of each number left out",
        "spaced_cost": "cost of a marker spaced from its word (\"Neumann 17\")",
        "alone_cost": "cost of a number alone on its line after a title",
        "glyph_base": "added to the glyph map's costs",
        "wild_cost": "cost of an unreadable glyph in a partly read tail",
        "position_cost": "cost of an unreadable tail placed by position only",
        "position_apply": "apply a position-only marker that both neighbours confirm",
        "position_confidence": "confidence of a marker placed by position only",
        "loose_cost": "cost of a tail that is plainly a mark but reads as no digits (\"severe.a!\")",
        "pinned_confidence": "confidence of a run of such marks, or a loose tail, pinned by firm neighbours",
        "text_cost": "cost of a marker with no mark in the scan, placed where the note's words occur (queued)",
        "order_window": "an out-of-order marker may sit this many markers away",
        "starter_share": "a word is a sentence starter when at most this share of its uses are mid-sentence",
        "lost_stop_confidence": "confidence of a full stop restored before a sentence starter (\"occupationY This\")",
    }

    def propose(self, text, doc) -> list[Edit]:
        cfg = self.config
        # a text the profile finds without notes or markers (or set so in [scan]) gets no edit
        if profile_of(text, doc).footnote_markers.value == "none":
            return []
        sec = find_notes_section(text)
        if sec is None:
            return []
        # an entry number without its full stop gets one only when the book prints "N. "
        # (nearly all entries have it); else it stays as printed
        dotted = sum(1 for e in sec.entries if ENTRY_DOT.search(text, e.start, e.end))
        add_dot = dotted >= 0.8 * len(sec.entries)
        edits = []
        for e in sec.entries:
            before = text[e.start:e.end]
            if before == e.after or (not add_dot and not ENTRY_DOT.search(before)):
                continue
            edits.append(Edit(e.start, e.end, e.after, "note-entry", 1.0 if e.cost < 1 else 0.9,
                              note=f"note {e.n}"))
        plan = plan_markers(text, sec, self.lexicon, cfg, self.book_vocab(text, doc))
        starters = None
        for p in plan:
            after, conf, note, cands = p.after, p.confidence, p.note, p.candidates or (p.after,)
            if p.rule not in ("marker-clean", "marker-spaced") and p.status == APPLIED:
                m = NEXT_CAPITAL.match(text, p.end)
                if m and p.start > 0 and text[p.start - 1].isalpha():
                    if starters is None:
                        starters = _SentenceStarters(text[:sec.heading_start], cfg["starter_share"])
                    if m.group(1) in starters:
                        # "occupationY This": the misread mark swallowed the full stop
                        # before it; the next word only ever starts a sentence in this book
                        after = "." + p.after
                        conf = min(conf, cfg["lost_stop_confidence"])
                        note += f"; full stop restored: '{m.group(1)}' starts sentences only"
                        cands = (after, p.after)
            edits.append(Edit(p.start, p.end, after, p.rule, conf, p.status, candidates=cands, note=note))
        return edits


# (a one-letter word too: "leadershipY A correct" lost its full stop before "A")
NEXT_CAPITAL = re.compile(r" ([A-Z][a-z]*)\b")
_AFTER_WORD_CAP = re.compile(r"([A-Z](?<=[a-z,;] [A-Z])[a-z]*)\b")   # after a small word, ",", ";"
_CAP_WORD = re.compile(r"([A-Z](?<!\w[A-Z])[a-z]*)\b")                # at a word start


class _SentenceStarters:
    """``w in starters``: is w one of _sentence_starters(body, share)?  Asked about a few words
    only, each is counted alone (two quick searches for the word itself); past 8 words,
    the whole set is counted at once."""

    def __init__(self, body: str, share: float) -> None:
        self.body, self.share = body, share
        self.known: dict[str, bool] = {}
        self.all: set[str] | None = None

    def __contains__(self, w: str) -> bool:
        if self.all is not None:
            return w in self.all
        hit = self.known.get(w)
        if hit is None:
            if len(self.known) >= 8 or not _CAP_WORD.fullmatch(w):
                self.all = _sentence_starters(self.body, self.share)
                return w in self.all
            e = re.escape(w)
            # the matches of _CAP_WORD and of _AFTER_WORD_CAP that are w
            total = len(re.findall(rf"{e}\b(?<!\w{e})", self.body))
            inside = len(re.findall(rf"{e}\b(?<=[a-z,;] {e})", self.body))
            hit = self.known[w] = total >= 5 and inside <= self.share * total
        return hit


def _sentence_starters(body: str, share: float) -> set[str]:
    """Capitalised words the book (almost) never writes inside a sentence: only after
    a full stop, a line start or a quote (``This``, ``All``), unlike names (``Trotsky``)."""
    total = collections.Counter(_CAP_WORD.findall(body))
    inside = collections.Counter(_AFTER_WORD_CAP.findall(body))
    return {w for w, n in total.items() if n >= 5 and inside[w] <= share * n}


@dataclass(slots=True)
class Placement:
    start: int
    end: int
    n: int
    after: str
    rule: str
    confidence: float
    status: str
    note: str
    candidates: tuple[str, ...] = ()


def plan_markers(text: str, sec: NotesSection, lexicon, cfg: dict | None = None,
                 vocab: BookVocab | None = None) -> list[Placement]:
    """The markers of the body text[:sec.heading_start], as placements in text order.
    ``vocab`` is the book's vocabulary of ``text`` (counted here when not given)."""
    cfg = {**Footnotes.defaults, **(cfg or {})}
    max_n = sec.count
    decoder = TailDecoder(load_glyphs(), cfg["wild_cost"], max_n)
    known = _Known(lexicon, text, vocab)
    firm, wild = body_candidates(text, sec.heading_start, decoder, known, cfg)
    kw = dict(earn=cfg["earn"], skip=cfg["skip"])
    chain = best_chain(firm, max_n, **kw)
    chain, late = _take_back_out_of_order(chain, firm, cfg["order_window"])
    notes = {e.n: text[e.end:e.end + 300] for e in sec.entries}
    extra = wild_candidates(chain, wild, max_n, cfg, text[:sec.heading_start], notes)
    if extra:
        chain = best_chain(firm + extra, max_n, **kw)
        # the out-of-order markers stay: a position-only reading never displaces them
        late_n = {c.n for c in late}
        spans = [(c.start, c.end) for c in late]
        chain = [c for c in chain if c.n not in late_n and not any(a < c.end and c.start < b for a, b in spans)]
        chain = sorted(chain + late, key=lambda c: c.start)
    late = {id(c) for c in late}
    by_n = {c.n: c for c in chain}
    out = []
    for c in chain:
        if c.rule == "existing":
            continue
        after = f"{c.prefix}[^{c.n}]"
        status, conf, note = APPLIED, 1.0, f"marker {c.n}"
        if c.wild and c.start == c.end:
            status, conf = QUEUED, 0.3
            note += ": no mark in the scan; placed where the words of the note occur"
        elif c.wild:
            # the run of numbers placed by position around c, and its firm neighbours
            a = c.n
            while a - 1 in by_n and by_n[a - 1].wild and by_n[a - 1].start < by_n[a - 1].end:
                a -= 1
            b = c.n
            while b + 1 in by_n and by_n[b + 1].wild and by_n[b + 1].start < by_n[b + 1].end:
                b += 1
            prev, nxt = by_n.get(a - 1), by_n.get(b + 1)
            firm_both = prev is not None and nxt is not None and not prev.wild and not nxt.wild
            places = 0
            if firm_both:
                # the places of the scan that could hold a number of the run between the firm
                # neighbours (the place the note's words suggest is no rival: only a hint):
                # as many places as numbers, so order alone pins each number to its place
                places = len({x.start for x in extra if a <= x.n <= b and x.start < x.end
                              and prev.end <= x.start < nxt.start})
            if firm_both and places == b - a + 1 and cfg["position_apply"]:
                if b > a or c.loose:
                    conf = cfg["pinned_confidence"]
                    note += (f": {b - a + 1} marks for {b - a + 1} missing numbers between firm neighbours"
                             if b > a else ": an illegible mark, the only one between firm neighbours"
                             + ("; the word's misread I written l" if c.prefix[:1] == "l" and c.prefix.count("l") > 1 else ""))
                else:
                    conf = cfg["position_confidence"] if c.rule == "marker-position" else 0.8
                    note += ": fits between firm neighbours"
            else:
                status, conf = QUEUED, 0.5
                note += ": by position; " + ("other candidates compete" if firm_both else "neighbours not firm")
        elif c.cost > 1.0:
            conf = 0.8
        if id(c) in late:
            note += ": out of order (page-foot note)"
            conf = min(conf, 0.8)
        others = ()
        if c.wild:   # the other numbers this span could be, for the reviewer
            others = tuple(f"{x.prefix}[^{x.n}]" for x in sorted(extra, key=lambda x: x.cost)
                           if x.start == c.start and x.end == c.end and x.n != c.n)
        out.append(Placement(c.start, c.end, c.n, after, c.rule, conf, status, note, (after,) + others))
    # two insertions at one point cannot both stand: keep the first
    kept, last_point = [], None
    for p in sorted(out, key=lambda p: (p.start, p.end)):
        if p.start == p.end:
            if last_point == p.start:
                continue
            last_point = p.start
        kept.append(p)
    return kept


def _take_back_out_of_order(chain: list[Cand], cands: list[Cand], window: int) -> tuple[list[Cand], list[Cand]]:
    """A clean marker left out because a page-foot note put it after its successor."""
    have = {c.n for c in chain}
    pos = {c.n: c for c in chain}
    taken = [(c.start, c.end) for c in chain]
    extra = []
    for c in cands:
        if c.n in have or c.rule != "marker-clean":
            continue
        below = [pos[m].start for m in range(c.n - window, c.n) if m in pos]
        above = [pos[m].end for m in range(c.n + 1, c.n + window + 1) if m in pos]
        lo, hi = (min(below), max(above)) if below and above else (None, None)
        if lo is None or hi is None or not lo <= c.start <= hi:
            continue
        if any(a < c.end and c.start < b for a, b in taken):
            continue
        extra.append(c)
        have.add(c.n)
        taken.append((c.start, c.end))
    return sorted(chain + extra, key=lambda c: c.start), extra
