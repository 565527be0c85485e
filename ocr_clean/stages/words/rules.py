"""words: the stage's decisions, each a small registered rule (:mod:`ocr_clean.rules`).

The ledger's ``rule`` of a words edit is one of these names; a config switches one off with
``[stages.words] disable = ["long-s"]``.
"""
from __future__ import annotations

import math
from itertools import combinations
from typing import Callable, Sequence

from ...languages import stretch_rule
from ...rules import rule
from .tokens import stray_letter


@rule("ocr-confusion", stage="words",
      help="a token becomes the reading that beats its being printed as it stands by the margin "
           "its own frequency asks (error model cost, English and the text's counts, word pairs)")
def best_reading(keep_score: float, scored: Sequence[tuple[float, object]], need: float):
    """The best of the ``scored`` readings ((log10 score, reading), best first) with its
    confidence (its share of the probability of all the readings and of the token kept), or
    None when it does not beat the token kept by ``need`` (log10).

    >>> best, reading, conf = best_reading(-9.0, [(-7.5, "the"), (-9.5, "tho")], 1.0)
    >>> reading, round(conf, 2)
    ('the', 0.96)
    >>> best_reading(-9.0, [(-8.5, "the")], 1.0) is None
    True
    """
    best_s, best = scored[0]
    if best_s <= keep_score + need:
        return None
    tot = math.pow(10, keep_score - best_s) + sum(math.pow(10, s - best_s) for s, _ in scored)
    return best_s, best, 1.0 / tot


@rule("merged-words", stage="words",
      help="two words the OCR ran together are parted where the word-pair table knows the pair")
def merged_words(low: str, is_word: Callable[[str], bool], pair_count: Callable[[str, str], int],
                 least: int = 1) -> list[tuple[str, str]]:
    """Every cut of ``low`` into two words that the pair table holds as a pair at least
    ``least`` times.

    >>> pairs = {"in the": 900}
    >>> merged_words("inthe", {"in", "the", "int", "he"}.__contains__, lambda a, b: pairs.get(a + " " + b, 0))
    [('in', 'the')]
    """
    out = []
    for i in range(1, len(low)):
        a, b = low[:i], low[i:]
        if is_word(a) and is_word(b) and pair_count(a, b) >= least:
            out.append((a, b))
    return out


@rule("long-s", stage="words",
      help="in a text that shows long s read as f, an f is read as s where that makes a word")
def long_s_readings(low: str, is_word: Callable[[str], bool], most: int = 3) -> list[tuple[str, int]]:
    """The words ``low`` becomes when up to ``most`` of its f are read as s, with how many.

    >>> long_s_readings("thefe", {"these"}.__contains__)
    [('these', 1)]
    >>> long_s_readings("fafe", {"safe"}.__contains__)
    [('safe', 1)]
    """
    idx = [i for i, ch in enumerate(low) if ch == "f"]
    out = []
    for r in range(1, min(len(idx), most) + 1):
        for combo in combinations(idx, r):
            w = list(low)
            for i in combo:
                w[i] = "s"
            word = "".join(w)
            if is_word(word):
                out.append((word, r))
    return out


READ_AS_L, LOST_LONG_S = "l/\u017f", "h/\u017fh"      # the families of long_s_lookalikes
LOOKALIKE_FAMILIES = frozenset({READ_AS_L, LOST_LONG_S})


@rule("long-s-lookalike", stage="words",
      help="in a text that shows long s, an l is read as the long s it resembles, and an h at a "
           "word's start as the \u017fh whose long s the OCR lost, where that makes a word")
def long_s_lookalikes(low: str, is_word: Callable[[str], bool]) -> list[tuple[str, str]]:
    """The words ``low`` becomes when one of its l (never the first, which may be a capital,
    nor the last: long s was not printed at a word's end) is read as s, or when an h at its
    start is read as sh (the \u017fh ligature read as h; the caller keeps a capital from
    either: :func:`~.tokens.capital_long_s`), each with its family.

    >>> long_s_lookalikes("houle", {"house"}.__contains__), long_s_lookalikes("hould", {"should"}.__contains__)
    ([('house', 'l/\u017f')], [('should', 'h/\u017fh')])
    >>> long_s_lookalikes("lace", {"sace"}.__contains__), long_s_lookalikes("oh", {"osh"}.__contains__)
    ([], [])
    """
    out = []
    for i, ch in enumerate(low[:-1]):
        if ch == "l" and i:                      # (a word's first l may be its capital L: Louth)
            word = low[:i] + "s" + low[i + 1:]
            if is_word(word):
                out.append((word, READ_AS_L))
    if low[:1] == "h" and is_word("s" + low):
        out.append(("s" + low, LOST_LONG_S))
    return out


@rule("stray-mark", stage="words",
      help="a lone thin stroke between two words (a speck or a column rule read as a thin letter, "
           "speck_glyphs: i, I, j) "
           "is dropped where the two words read side by side beat the stroke between them by a margin")
def stray_mark(keep: float, dropped: float, need: float) -> float | None:
    """The confidence that a stroke is a speck: the words without it scored ``dropped`` (log10,
    the speck's cost paid) against ``keep`` with it, which it must beat by ``need``; None if not.

    >>> round(stray_mark(-9.0, -6.5, 1.0), 3), stray_mark(-9.0, -8.5, 1.0)
    (0.997, None)
    """
    if dropped <= keep + need:
        return None
    return 1.0 / (1.0 + math.pow(10, keep - dropped))


@rule("unreadable-stretch", stage="words",
      help="a run of words most of which no list knows (a table, another language, OCR past "
           "reading) is left as it stands and said in the ledger")
def unreadable_runs(unknown: Sequence[bool], window: int, share: float) -> list[tuple[int, int]]:
    """The runs (first, past-last index) of a paragraph's words where more than ``share``
    of ``window`` words are unknown: the whole of a paragraph of ``window`` words or fewer
    (a fifth of that at least), else runs of ``window`` overlapping by half.

    >>> unreadable_runs([True] * 16 + [False] * 4, 100, 0.5)
    [(0, 20)]
    >>> unreadable_runs([True, False] * 10, 100, 0.5)
    []
    >>> unreadable_runs([False] * 100 + [True] * 100, 100, 0.5)
    [(100, 200)]
    """
    n = len(unknown)
    if n < window // 5:
        return []
    step = window if n <= window else window // 2
    runs: list[tuple[int, int]] = []
    prev_bad = False
    for i in range(0, max(1, n - window + step), step):
        j = min(n, i + window)
        bad = sum(unknown[i:j]) > share * (j - i)
        if bad:
            if prev_bad:
                runs[-1] = (runs[-1][0], j)
            else:
                runs.append((i, j))
        prev_bad = bad
    return runs


# a place inside a stretch another language reads far better than English (ocr_clean.languages)
foreign_stretch = stretch_rule("words", help="a reading inside a sentence another language reads far better than English (a French "
                                               "title, a German quotation: vivait is no misread visit) is withheld, its rejection in the ledger")


@rule("parted-word", stage="words",
      help="two neighbouring tokens are read as one word the OCR parted (and misread besides) "
           "where that word fits between their neighbours better than the two do")
def parted_pair(first: str, second: str, is_word: Callable[[str], bool]) -> bool:
    """Are ``first`` and ``second`` (lower case, one space apart) worth reading as one word:
    is one of them no word, or a lone letter other than ``a`` and ``i``?

    >>> known = {"being", "the", "nomination", "on", "a", "ready"}.__contains__
    >>> parted_pair("b", "ing", known), parted_pair("nomlnat", "on", known)
    (True, True)
    >>> parted_pair("a", "ready", known), parted_pair("the", "nomination", known)
    (False, False)
    """
    return odd_piece(first, is_word) or odd_piece(second, is_word)


def odd_piece(word: str, is_word: Callable[[str], bool]) -> bool:
    """No word, or a lone letter other than ``a`` and ``i`` (half of :func:`parted_pair`)."""
    return not is_word(word) or stray_letter(word)
