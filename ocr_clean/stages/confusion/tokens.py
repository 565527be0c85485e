"""What the confusion stage reads: tokens (the fast finding patterns), the targets it looks
at, what it knows of a form, and the book's word pairs it asks about."""
from __future__ import annotations

import functools
import itertools
import re
import weakref

import regex

from ...lexicon import token_chars, token_pattern

TOKEN = token_pattern("\ufffd")                 # the package's token, the lost glyph among its letters
TOKEN_CHAR = regex.compile(token_chars("\ufffd"))
ASCII_RUN = re.compile(r"[\x00-\x7f]+")   # removed from a text: what is left is its other characters
# where a TOKEN match can start: not inside a token, nor right after a token's apostrophe
TOKEN_START = regex.compile(r"(?<![\p{L}\p{N}\ufffd])(?<![\p{L}\p{N}\ufffd]['\u2019])")
WORDISH = regex.compile(r"\p{L}+")
TRAILING_DIGITS = regex.compile(r"^(.*[\p{L}\ufffd])(\d+)$")
# a number straight after a word, or after the word's closing mark: a footnote marker or a glyph
MARKER = regex.compile(r"(?<=\p{L}[.,;:'\"\u2019)]?)\d{1,3}(?!\d)")
# capitals where a word has none: after a small letter, or a second one before small letters (COlne)
INNER_CAP = regex.compile(r"\p{Ll}\p{Lu}|^\p{Lu}\p{Lu}\p{Ll}{2}")
MID_CAPITAL = regex.compile(r"(?<=[\p{Ll},;] )\p{Lu}\p{Ll}+")
HAS_DIGIT = regex.compile(r"\d")
POSSESSIVE = ("'s", "'S", "\u2019s", "\u2019S")
# A token longer than this is no misread word: its readings are not searched (their number
# can grow with every letter), and the ledger says it was left as it stands (rule "too-long").
MAX_TOKEN = 64
_TOO_LONG = object()
OPENERS = "\"'\u201c\u2018([ "


def token_patterns(text: str) -> tuple[re.Pattern, re.Pattern]:
    """``TOKEN`` and ``TOKEN_START`` for this text, the same matches in about 60% of the time:
    the same patterns for the standard ``re`` engine, their character class spelled out as
    ASCII letters and digits plus the characters of this text outside ASCII that ``TOKEN``
    takes (each asked of ``TOKEN``'s own class)."""
    others = "".join(sorted(c for c in set(ASCII_RUN.sub("", text)) if TOKEN_CHAR.match(c)))
    return _token_patterns(others)


@functools.lru_cache(maxsize=16)
def _token_patterns(others: str) -> tuple[re.Pattern, re.Pattern]:
    cls = "A-Za-z0-9" + re.escape(others)
    return re.compile(f"[{cls}]+(?:['\u2019][{cls}]+)*"), re.compile(f"(?<![{cls}])(?<![{cls}]['\u2019])")


def _sig(x: float) -> float:
    """``x`` to four significant digits (evidence is read by people, not recomputed)."""
    return float(f"{x:.4g}")


# a single quote that opens a quotation: after a space, bracket or double quote, before a letter
_OPENING_SINGLE = regex.compile(r"(?:^|(?<=[\s(\[\"\u201c]))['\u2018](?=\p{L})")


class _Target:
    __slots__ = ("start", "end", "tok", "suffix", "new_suffix", "marker_tail", "alt", "realword", "near")

    def __init__(self, start, end, tok, suffix, new_suffix, marker_tail="", alt=None):
        self.start, self.end, self.tok = start, end, tok
        self.suffix, self.new_suffix, self.marker_tail = suffix, new_suffix, marker_tail
        self.alt = alt      # another reading of the token: a glyph, then a footnote marker
        self.realword = False   # a known word that may be a misread of a common one
        self.near = None        # (previous word, next word, sentence start), once asked


class _PairCounts(dict):
    """Counts of chosen word pairs ``(a, b)`` (lower case) of the book's words in text order:
    ``counts[a, b]``, the same as ``BookVocab.bigrams[a, b]``.

    Counted on the run's tokens as written, with no lower-case copy of the book: a token of
    letters is one word, so each pair wanted stands for the pairs of its words' spellings
    (:meth:`_Run.spellings`), found among adjacent tokens in one pass (a set look-up per
    pair); the pairs around the few tokens holding a digit or lost glyph are read from
    :meth:`_Run.broken_pairs`.  A pair outside the chosen ones is counted when asked."""

    def __init__(self, run: "_Run", wanted: set) -> None:
        super().__init__()
        # the run keeps these counts: a weak reference back makes no cycle, so the run and
        # all it holds are freed as soon as the stage is done (no garbage collection needed)
        self.run = weakref.proxy(run)
        self._count(wanted)

    def __missing__(self, pair: tuple[str, str]) -> int:
        self._count({pair})
        return self[pair]

    def _count(self, wanted: set) -> None:
        run = self.run
        written: dict[tuple[str, str], tuple[str, str]] = {}
        for pair in wanted:
            self[pair] = 0
            after = run.spellings(pair[1])
            for a in run.spellings(pair[0]):
                for b in after:
                    written[a, b] = pair
        tokens = run.tokens
        for pair in filter(written.__contains__, zip(tokens, itertools.islice(tokens, 1, None))):
            self[written[pair]] += 1
        for pair in filter(wanted.__contains__, run.broken_pairs()):
            self[pair] += 1


class _Core:
    """What is known of one form before its place in the text is looked at."""
    __slots__ = ("paths", "low", "n_t", "shape", "keep", "entries", "case_fix")
