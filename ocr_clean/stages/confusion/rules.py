"""The confusion stage's decisions, each a small named rule (``ocr_clean.rules``) whose name is
the Edit's ``rule``: ``glyph`` (a form read through the scan's glyph confusions), ``lost-glyph``
(a glyph the OCR could not read), ``case`` (capitals inside a word set right), ``real-word`` (a
rare word that may be a misread common one) and ``too-long`` (a token left unsearched).  The
stage scores; the confidence policy (``ocr_clean.policy``) decides applied, queued or dropped.
"""
from __future__ import annotations

from functools import lru_cache

from ...channel import LOST
from ...lexicon import data_file, read_word_list
from ...rules import rule
from .tokens import HAS_DIGIT, INNER_CAP, MAX_TOKEN, WORDISH


@rule("glyph", stage="confusion",
      help="a form no list knows read through the scan's glyph confusions (confusions.tsv) as a word English "
           "or the text spells: its noisy-channel score over all readings' and keeping the form's",
      settings={"length_odds": ((1.0, 0.5, 0.25, 0.12), "odds that a form of up to 5 / 7 / 9 / more letters "
                                                        "is printed as it stands, by length")})
def glyph(scores: list[float], keep: float, mark_conf: float = 1.0) -> float:
    """The confidence of the best reading: its score (channel weight x profile x case odds x
    name odds x frequency x context) over the scores of all readings and of keeping the form,
    times the odds of the mark a lost glyph at the end stood for.

    >>> glyph([9.0, 0.5], 0.5)
    0.9
    >>> round(glyph([9.0, 0.5], 0.5, 0.92), 4)
    0.828
    """
    return scores[0] / (sum(scores) + keep) * mark_conf


def length_odds(n: int, odds) -> float:
    """A long form that lands on a word by a glyph rule rarely does so by chance: the odds of
    keeping a form of ``n`` letters (``odds``: up to 5, 7, 9 letters, longer; ``glyph``).

    >>> [length_odds(n, (1.0, 0.5, 0.25, 0.12)) for n in (4, 6, 9, 12)]
    [1.0, 0.5, 0.25, 0.12]
    """
    k = 0 if n <= 5 else 1 if n <= 7 else 2 if n <= 9 else 3
    return odds[min(k, len(odds) - 1)]


@rule("lost-glyph", stage="confusion",
      help="a glyph the OCR could not read: inside a word a letter; at a word's end r and a mark, or the mark "
           "alone ('.' before a word the text capitalizes only at sentence starts, else ',')",
      settings={"mark_at_end": (0.9, "odds that a lost glyph at a paragraph's end was a full stop"),
                "mark_stop_before_starter": (0.92, "odds of a full stop before a word the text capitalizes "
                                                   "only at sentence starts"),
                "mark_comma_before_capital": (0.95, "odds of a comma before another capitalized word"),
                "profile_reading_odds": (0.92, "odds of reading l + a lost glyph as r when the scan's sure fixes "
                                               "read it so (times n/(n+1))")})
def end_mark(text: str, e: int, counts, cfg) -> tuple[str, float]:
    """The mark a lost glyph ending a word at ``e`` stood for, and its odds; ``counts``: the
    text's word counts as written.

    >>> cfg = {"mark_at_end": 0.9, "mark_stop_before_starter": 0.92, "mark_comma_before_capital": 0.95}
    >>> end_mark("howevel\\ufffd the", 8, {}, cfg), end_mark("civil wal\\ufffd", 10, {}, cfg)
    ((',', 1.0), ('.', 0.9))
    >>> end_mark("occupatiol\\ufffd This", 11, {"this": 40, "This": 9}, cfg)
    ('.', 0.92)
    >>> end_mark("said\\ufffd Trotsky", 5, {"Trotsky": 40}, cfg)
    (',', 0.95)
    """
    if e < len(text) and text[e] in ",.;:!?)":
        return "", 1.0
    if e >= len(text) or text[e] == "\n":
        return ".", cfg["mark_at_end"]
    m = WORDISH.match(text, e + 1)
    if m:
        w = m.group()
        if w[0].isupper():
            if counts.get(w.lower(), 0) > counts.get(w, 0):
                return ".", cfg["mark_stop_before_starter"]     # capitalized only to start a sentence
            return ",", cfg["mark_comma_before_capital"]
    return ",", 1.0


def case_slips(name: str = "case_slips.txt") -> frozenset[str]:
    """The capitals an OCR puts for small letters (``ocr_clean/dictionaries/case_slips.txt``)."""
    return _read_slips(str(data_file(name)))


@lru_cache(maxsize=4)
def _read_slips(path: str) -> frozenset[str]:
    return frozenset(read_word_list(path))


@rule("case", stage="confusion",
      help="capitals inside a word that look like the scan's case slips (bourgeOisie, UglanOV) set right, "
           "not a compound written with inner capitals (MacDonald); 'S after a word read as 's",
      settings={"case_only_odds": (0.2, "odds of a known word with slipped capitals, against its readings"),
                "compound_english_min": (1e-6, "two halves this frequent in English make a compound (MacDonald)"),
                "suffix_case_confidence": (0.97, "confidence of 'S after a lower-case word read as 's")})
def case_slip(core: str, english, slips: frozenset[str], compound_min: float) -> bool:
    """Are the capitals inside ``core`` the scan's case slips (each one of ``slips``, and
    the word no compound of two English words)?

    >>> eng = {"mac": 1e-5, "donald": 1e-5}
    >>> case_slip("bourgeOisie", eng, frozenset("CKOPSUVWXYZIL"), 1e-6)
    True
    >>> case_slip("MacDonald", eng, frozenset("CKOPSUVWXYZIL"), 1e-6)     # D prints unlike d
    False
    >>> case_slip("PoliticO", {"politic": 1e-6, "o": 1e-4}, frozenset("O"), 1e-6)
    True
    """
    if HAS_DIGIT.search(core) or LOST in core or not INNER_CAP.search(core):
        return False
    inner = [i for i, c in enumerate(core) if i > 0 and c.isupper()]
    if any(core[i] not in slips for i in inner):
        return False
    for i in inner:
        head, rest = core[:i].lower(), core[i:].lower()
        if len(head) >= 2 and len(rest) >= 2 and english.get(head, 0.0) >= compound_min \
                and english.get(rest, 0.0) >= compound_min:
            return False
    return True


@rule("real-word", stage="confusion",
      help="a rare English word, rare in the text, holding a strong glyph confusion (corning) is doubted "
           "only where the text's word pairs support the common reading, and put before a person unless "
           "that support is strong")
def realword_suspect(core: str, english_freq: float, book_uses: int, strong, cfg) -> bool:
    """Is the known word ``core`` a suspect: small letters, rarer than ``realword_max_english``,
    used at most twice by the text, holding a strong confusion (``strong``: its pattern)?

    >>> import re
    >>> cfg = {"realword": True, "realword_max_english": 1e-5}
    >>> realword_suspect("corning", 2e-7, 0, re.compile("rn"), cfg)
    True
    >>> realword_suspect("morning", 5e-5, 30, re.compile("rn"), cfg)
    False
    """
    if not cfg["realword"] or len(core) < 4 or not core.islower():
        return False
    if english_freq >= cfg["realword_max_english"] or book_uses > 2:
        return False
    return strong.search(core) is not None


def realword_doubted(ctx: float, cand_uses: int, cand_freq: float, word_freq: float, cfg) -> bool:
    """Does a reading of a suspect real word have the support to doubt it: the word pairs
    favour it, the text uses it often, and it is far more common (``real-word``)?

    >>> cfg = {"realword_min_book": 10, "realword_ratio": 20.0}
    >>> realword_doubted(3.0, 40, 60.0, 0.5, cfg), realword_doubted(1.0, 40, 60.0, 0.5, cfg)
    (True, False)
    """
    return not (ctx <= 1.0 or cand_uses < cfg["realword_min_book"]
                or cand_freq < cfg["realword_ratio"] * word_freq)


@rule("too-long", stage="confusion",
      help="a token longer than max_token is no misread word: its readings (more with every letter) are not "
           "searched, and the ledger says it was left as it stands",
      settings={"max_token": (MAX_TOKEN, "tokens longer than this are left unsearched (queued as they stand)")})
def too_long(tok: str, max_token: int) -> bool:
    """Is the token too long to search?

    >>> too_long("x" * 65, 64), too_long("word", 64)
    (True, False)
    """
    return len(tok) > max_token
