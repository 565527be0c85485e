"""Reading one token: which note numbers the tail of a word could be (``organized.s`` = 5,
``Zinoviev1oo`` = 100), and which tails only an unreadable mark could be (``leadershipY``).

A firm reading is a :class:`Cand` with its cost; an unreadable tail is a :class:`WildTail`,
tried later only against the numbers the chain misses.  The decisions here are about what
is *not* a marker: a possessive, a dash, a word ending, a question mark, a known word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ...note_numbers import Cand
from .glyphs import TailDecoder
from .scanners import LOOSE_TAIL_BODY
from .vocab import HAS_LETTER, _Known

WORDCHARS = re.compile(r"^[\"'(\[\u2018\u201c]*(.*?)[.,;:!?'\")\]\u2019\u201d]*$")
PUNCT_END = ".,;:!?'\")]\u2019\u201d"
RARE = re.compile(r"[A-Z/}\]|\u00b7*\u00b0<>{\[]")
# English word endings that are never a marker: possessives
POSSESSIVE = {"'s", "\u2019s", "'S", "\u2019S", "s'", "s\u2019", "S'"}
# any note number: the reading of a tail that is plainly a mark but not legible as digits
ANY_NUMBER = re.compile(r"[1-9]\d{0,2}")
# a capital I inside a lower-case word is a misread l ("WeIl"): the word is checked folded
INNER_I = re.compile(r"(?<=[a-z])I(?=[a-z]|$)")
YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
LOOSE_TAIL = re.compile("^" + LOOSE_TAIL_BODY + "$")
ORDINARY_PUNCT = "'\".,;:!?)-\u2019\u201d"
PAREN_END = re.compile(r"[)\]][.,;:]?$")
SYMBOL = re.compile(r"[^\w\s'\u2019]")
CLOSERS = re.compile(r"[.,;:?!)\]\"'\u2019\u201d]{1,3}")
# where a marker may sit before trailing punctuation ("Sapronovists"204-is)
CUT = set("-.,;:!?)\"'_*\u2019\u201d")


def stray_capital(tok: str) -> bool:
    """The token ends in one capital glued to a small letter, or to the closing mark after
    one: as written, no word of any text (the book writes ``handy``, not ``handY``), but the
    superscript note number read as one letter (``handY``, ``sevenH``, ``courage.V``).
    Capitals of a word (``USSR``, ``SaaS``, ``XIV``) are not glued to a small letter, or
    are the book's own form: :func:`_not_a_marker` asks the book about the word.

    >>> [stray_capital(t) for t in ("handY", "courage.V", "USSR", "XIV", "hand", "Y")]
    [True, True, False, False, False, False]
    """
    if len(tok) < 3 or not ("A" <= tok[-1] <= "Z"):
        return False
    return tok[-2].islower() or (tok[-2] in ".,;:" and tok[-3].islower())


def has_digit_tail(tail: str) -> bool:
    return any(ch.isdigit() for ch in tail)


def follows_word(text: str, off: int) -> bool:
    """The token at ``off`` follows a word after one space."""
    return off >= 2 and text[off - 1] == " " and (text[off - 2].isalpha() or text[off - 2] in ")]\"'")


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
    return (known.known(whole) and not stray_capital(whole)) or whole.isupper()


def _token_reads(text: str, tok: str, off: int, decoder: TailDecoder, known: _Known, cfg: dict,
                 out: list[Cand], wild: list[WildTail]) -> None:
    """The readings of the tails of one token, at its end or before trailing punctuation."""
    y = YEAR.match(tok)
    if y and 1 <= len(tok) - y.end() <= 2 and tok[y.end():].isupper() and tok[y.end():].isalpha() \
            and follows_word(text, off) and text[off - 2].isalpha():
        _year_tail(tok, off, y.end(), decoder, wild)
        return
    if tok.isalpha():                      # the common case: a plain word
        if tok[-1] not in decoder.chars or (known.known(tok) and not stray_capital(tok)):
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
        # does the word read as a word without a tail of glyphs only?  Once per cut: when no
        # tail can hold a digit, a cut whose word reads so gives nothing at all
        whole_word: list = [None]
        if j < L and not any(map(str.isdigit, core)):
            whole_word[0] = _reads_as_word(core, known)
            if whole_word[0]:
                continue
        for k in range(j, L):
            _read_tail(tok, off, core, k, bare, whole_word, seen, decoder, known, cfg, out, wild)


def _year_tail(tok: str, off: int, y_end: int, decoder: TailDecoder, wild: list[WildTail]) -> None:
    """"since October 1923H up to": a year, then a capital glyph glued to it (tried by position)."""
    tail = tok[y_end:]
    readings = [(rx, c, "") for rx, c, letter in decoder.wild(tail) if not letter]
    if readings:
        wild.append(WildTail(off + y_end, off + len(tok), readings, "", 0))


def _not_a_marker(tok: str, core: str, stem: str, tail: str, bare: bool, whole_word: list,
                  known: _Known) -> bool:
    """The tail ``tail`` after ``stem`` is something else than a marker: a dash, a possessive,
    a closing quote, a question mark, a word ending, or a misread letter of a known word."""
    if stem[-1] in "-/\u2013" or (tail[0] in "-:\u2013" and not stem[-1].isdigit()):
        return True                        # "alone-I", "Monatte-\u00b7": a dash, not a marker
    if tail in POSSESSIVE or (stem[-1] + tail[:1]) in POSSESSIVE or "\ufffd" in tail:
        return True                        # "kulak's", "workers'"
    w = WORDCHARS.match(stem).group(1)
    if not bare and (len(w) < 2 or not HAS_LETTER.search(w)):
        # "(number 17-18).132": a marker after a closing parenthesis
        if not (has_digit_tail(tail) and PAREN_END.search(stem)):
            return True
    punct_before = stem[-1] in PUNCT_END
    if tail in ("'", "\u2019") and (stem[-1] in "sS" or tok[0] in "'\u2018"):
        return True                        # a possessive plural or a closing quote
    if not tail.strip("?!"):
        return True                        # a question or an exclamation
    if not any(map(str.isdigit, tail)):
        # glyphs only: the word must read as a word without them, not with them
        if len(w) < 3:
            return True
        if whole_word[0] is None:
            whole_word[0] = _reads_as_word(core, known)
        if whole_word[0]:
            return True
        if RARE.search(tail):
            # "InternationaV", "leadershipY": capitals or rare symbols after a word
            if stray_capital(core) and stem[-1] in ".,;:":
                return False               # "Teodorovich,Y": no word goes on after its comma
            return not (known.common(w) or known.known(w) or known.swallowed(w) or SYMBOL.search(tail))
        # small glyphs only ("Oppositionll", "organized.s"): the word must be whole;
        # "strongel'", "Reissnel\ufffd" are misread letters, not markers, and one
        # small letter after a word is a word ending ("Radeks", "Pyatakovs")
        return not known.common(w) or (len(tail) < 2 and not punct_before and tail.isalpha())
    return bool(w and w[-1].isdigit() and not punct_before and not tail.isdigit())


def _read_tail(tok: str, off: int, core: str, k: int, bare: bool, whole_word: list,
               seen: set, decoder: TailDecoder, known: _Known, cfg: dict,
               out: list[Cand], wild: list[WildTail]) -> None:
    """The readings of the tail core[k:] after the stem core[:k] (firm ones into ``out``,
    unreadable ones into ``wild``)."""
    L = len(core)
    tail = core[k:]
    stem = core[:k]
    extra = 0.0
    if stem[-1].isdigit() and tail[0].isdigit():
        # "Krylenk084", "Honj0265": a letter read as 0/1 just before the marker
        if not (stem[-1] in "01" and len(stem) > 2 and stem[-2].isalpha()):
            return
        extra = 0.3
    if _not_a_marker(tok, core, stem, tail, bare, whole_word, known):
        return
    w = WORDCHARS.match(stem).group(1)
    punct_before = stem[-1] in PUNCT_END
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
        _wild_reading(stem, tail, off, k, L, w, punct_before, decoder, known, wild)


def _small_end(stem: str) -> bool:
    """The stem ends in a small letter, or in one closing mark after a small letter."""
    return stem[-1].islower() or (len(stem) > 1 and stem[-1] in ".,;:" and stem[-2].islower())


def _wild_reading(stem: str, tail: str, off: int, k: int, L: int, w: str, punct_before: bool,
                  decoder: TailDecoder, known: _Known, wild: list[WildTail]) -> None:
    """The tail read with an unreadable glyph, to be tried by position."""
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
    has_digit = any(map(str.isdigit, tail))
    # a tail of unreadable glyphs only: the word (of 3 letters or more) must end in a small
    # letter, itself or before one closing mark ("courage.V"), and the tail must not be
    # ordinary punctuation ("socialism'?")
    if readings and (has_digit or (_small_end(stem_f) and len(w) >= 3 and tail.strip(ORDINARY_PUNCT))):
        swallow = known.swallowed(w) if not punct_before else ""
        wild.append(WildTail(off + d, off + L, readings, swallow,
                             sum(ch.isdigit() for ch in tail), lead=lead))
