"""words: the tokens the stage reads, and what of a token it may correct (the fast finding
code: no decision here).

    >>> _core("republic's", 30), _core("Kuomintang6", 30), _core("USA", 30)
    ('republic', None, None)
    >>> _recase("TBE", "the"), _recase("Tbe", "the")
    ('THE', 'The')
"""
from __future__ import annotations

import functools
import re

import regex

from ...lexicon import beyond_ascii, dictionaries_dir, read_table, token_chars, token_pattern

TOKEN = token_pattern("\u017f")                 # the package's token, long s among its letters
TOKEN_CHAR = regex.compile(token_chars("\u017f"))
HAS_DIGIT = re.compile(r"\d")


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


class Tokens:
    """Every token of a text, found once: ``groups`` (the strings, in order) and ``starts``
    (their offsets); ``tokens[k]`` is the match object of the k-th, made only when asked for
    (most tokens are only ever looked at as strings: match objects for all of them cost more
    than finding them).

    >>> t = Tokens("It's  a cat-dog.")
    >>> t.groups, t.starts, t[3].span()
    (["It's", 'a', 'cat', 'dog'], [0, 6, 8, 12], (12, 15))
    """

    __slots__ = ("text", "pattern", "groups", "starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pattern = token_finder(text)
        self.groups = self.pattern.findall(text)
        starts = []
        find, pos = text.find, 0
        for g in self.groups:                 # between two tokens stand no token characters:
            pos = find(g, pos)                # the first place a token's string is found is its own
            starts.append(pos)
            pos += len(g)
        self.starts = starts

    def __len__(self) -> int:
        return len(self.groups)

    def __getitem__(self, k: int):
        if k < 0:
            k += len(self.groups)
        if not 0 <= k < len(self.groups):
            raise IndexError(k)
        return self.pattern.match(self.text, self.starts[k])


def stray_letter(w: str) -> bool:
    """A lone letter that is no English word of its own (every one but ``a`` and ``i``).

    >>> stray_letter("t"), stray_letter("a"), stray_letter("I"), stray_letter("of")
    (True, False, False, False)
    """
    return len(w) == 1 and w.isalpha() and w.lower() not in "ai"


def _word_like(w: str) -> bool:
    """Letters with inner apostrophes (asked of every English word: no regex engine)."""
    if w.isalpha():
        return True
    if "'" not in w and "\u2019" not in w:
        return False
    parts = w.replace("\u2019", "'").split("'")
    return all(parts) and all(p.isalpha() for p in parts)


LONG_S = "\u017f"


def _lower(tok: str) -> str:
    """The form a token is looked up by: lower case, the typographer's apostrophe plain, and
    a long s as the s it is today (``ſome`` is the word ``some``, as printed)."""
    return tok.lower().replace("\u2019", "'").replace(LONG_S, "s")


def as_printed_long_s(tok: str, after: str, misread: bool = True) -> str:
    """``after``, a reading of ``tok``, with the long s the page shows where ``tok`` has one
    (a reading that mends another letter keeps it: ``Houſc`` -> ``Houſe``) and, when
    ``misread`` (a text printed with long s), wherever the reading puts an s that the token
    does not show as s: a long s read as f, as the l or j it resembles, or lost (``fome`` ->
    ``ſome``, ``Houle`` -> ``Houſe``, ``hould`` -> ``ſhould``; the OCR seldom misreads the
    round s).  The letters are matched by the cheapest alignment of the two, so a reading that
    also mends other letters, or parts two words, writes its long s too (``vanquiflt`` ->
    ``vanquiſh``, ``purfuitof`` -> ``purſuit of``); never at a word's end nor before an f
    (where the round s was printed).

    >>> as_printed_long_s("Veffels", "Vessels"), as_printed_long_s("thefe", "these"), as_printed_long_s("ftaff", "staff")
    ('Veſſels', 'theſe', 'ſtaff')
    >>> as_printed_long_s("vanquiflt", "vanquish"), as_printed_long_s("purfuitof", "pursuit of")
    ('vanquiſh', 'purſuit of')
    >>> as_printed_long_s("Mifs", "Miss"), as_printed_long_s("hurt", "hurts"), as_printed_long_s("fome", "some")
    ('Miſs', 'hurts', 'ſome')
    >>> as_printed_long_s("Houſc", "House", misread=False), as_printed_long_s("fuſh", "sush", misread=False)
    ('Houſe', 'suſh')
    >>> as_printed_long_s("Houle", "House"), as_printed_long_s("hould", "should"), as_printed_long_s("Spanijb", "Spanish")
    ('Houſe', 'ſhould', 'Spaniſh')
    >>> as_printed_long_s("Hou e", "House"), as_printed_long_s("fatiffaction", "satisfaction"), as_printed_long_s("tbe", "the")
    ('Houſe', 'ſatisfaction', 'the')
    """
    last = len(after) - 1
    out = list(after)
    for j, _, seen in _s_not_copied(tok, after):
        if j >= last or not after[j + 1].isalpha() or after[j + 1] == "f":
            continue                            # (no long s at a word's end, nor before an f)
        if misread or seen == LONG_S:           # one the OCR lost (hould -> ſhould) or read as
            out[j] = LONG_S                     # another letter (fome, Houle, Mils)
    return "".join(out)


def _s_not_copied(tok: str, word: str) -> list[tuple[int, int, str]]:
    """Where ``word``, a reading of ``tok``, has an s that is not the token's own s, by the
    cheapest alignment of the two: (its place in ``word``, the place in ``tok`` of the letter
    read as it or, for an s the token lacks, of the letter it stands before, and that letter
    read as it, ``""`` for one the token lacks), the letters compared as they stand.

    >>> _s_not_copied("fome", "some"), _s_not_copied("hould", "should"), _s_not_copied("hurts", "hurts")
    ([(0, 0, 'f')], [(0, 0, '')], [])
    """
    from rapidfuzz.distance import Levenshtein   # only for readings that may hold a long s: kept lazy

    return [(op.dest_pos, op.src_pos, tok[op.src_pos] if op.tag == "replace" else "")
            for op in Levenshtein.editops(tok, word)
            if op.tag != "delete" and word[op.dest_pos] == "s"]


def capital_long_s(tok: str, word: str, long_s_text: bool = True) -> bool:
    """Would reading ``tok`` as ``word`` take a capital for a long s?  No capital long s was
    printed: a capital L read as s, or a capital H read as Sh (its long s lost), is no long s
    misread (``Hould`` is not ``Should``), nor, in a text that shows long s, a capital F read as
    s (``Fame`` is not ``Same``; elsewhere a capital S read as F is a glyph confusion of its own:
    ``Ftate``, ``Fquad``).

    >>> capital_long_s("Fame", "same"), capital_long_s("fame", "same"), capital_long_s("Hould", "should")
    (True, False, True)
    >>> capital_long_s("Firft", "first"), capital_long_s("HOULE", "house"), capital_long_s("Houle", "house")
    (False, True, False)
    >>> capital_long_s("Ftate", "state", long_s_text=False)
    False
    """
    if tok.islower():
        return False
    caps = "FL" if long_s_text else "L"
    return any(i < len(tok) and tok[i].isupper() and (not seen or tok[i] in caps)
               for _, i, seen in _s_not_copied(tok.lower(), word))


def _recase(tok: str, word: str) -> str:
    """``word`` (lower case) in the case pattern of ``tok``."""
    letters = [c for c in tok if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if tok[:1].isupper() or (tok[:1].isdigit() and len(letters) > 1 and letters[0].isupper()):
        return word[:1].upper() + word[1:]
    return word


def _named(tok: str, sentence_start: bool) -> bool:
    """Does the token's capital say it is a name: a capital inside a sentence, on a word not
    set all in capitals (in a heading or an advertisement every word is: ``PANTOMIMB`` is no
    sooner a name than ``pantomimb``)?

    >>> _named("Sedgwick", False), _named("Sedgwick", True), _named("PANTOMIMB", False), _named("I", False)
    (True, False, False, True)
    """
    return tok[:1].isupper() and not sentence_start and not (len(tok) > 1 and tok.isupper())


def _short_capitals(tok: str) -> bool:
    """Two or three capital letters: an acronym (``USA``, which :func:`_core` leaves alone),
    or, in a line set in capitals, a short word (``THB`` for ``THE``).

    >>> _short_capitals("THB"), _short_capitals("USA"), _short_capitals("The"), _short_capitals("A")
    (True, True, False, False)
    """
    return 2 <= len(tok) <= 3 and tok.isalpha() and tok.isupper()


MIXED_CASE = regex.compile(r"\p{Ll}\p{Lu}")
TAIL_DIGITS = regex.compile(r"\p{L}\d+$")
SUFFIXES = ("s", "es", "ed", "d", "ing", "ly", "er", "ers", "est", "ness", "ment", "ments", "ism", "ist", "ists",
            "ic", "al", "ally", "ity", "ize", "ized", "ise", "ised", "ation", "ations", "less", "ful", "ship")


@functools.lru_cache(maxsize=1 << 16)             # (the same forms in every text of a collection)
def _core(tok: str, max_len: int, markers: bool = True) -> str | None:
    """The part of a token the stage may correct, or None: the word before a clitic
    (``republic's`` -> ``republic``); not numbers or a number and its unit (``6d``, ``10th``),
    not an acronym (``USA``), not a long run; and where the text may hold footnote markers
    glued to words (``markers``), not a word with digits at its end or a capital after a
    small letter (a flattened marker: ``Kuomintang6``, ``leadershipY``).  In a text whose
    profile shows no such markers, those are misread letters: a digit at a word's start or
    end (``8ir``, ``hi3``: :func:`digit_misread`), a capital inside it (``dowB``, ``whicL``)."""
    core = tok
    for q in ("'", "\u2019"):
        if q in core:
            core = core.split(q, 1)[0]
    if len(core) < 1 or len(core) > max_len or not any(c.isalpha() for c in core):
        return None
    if core[:1].isdigit() or TAIL_DIGITS.search(core):
        if markers or not digit_misread(core):
            return None
    if markers and MIXED_CASE.search(core):
        return None
    if core.isupper() and len(core) <= 3 and len(core) > 1:
        return None
    return core


LEAD_DIGIT = regex.compile(r"\d(\p{Ll}{2,})")
# what stands after a number as printed (ordinals, measures, money, book sizes): never a misread
NUMBER_SUFFIXES = frozenset("st nd rd th lb lbs oz ozs ft yd yds in cwt qr qrs hrs min mins sec secs mo mos "
                            "vo to am pm per dwt".split())
TAIL_DIGIT = regex.compile(r"\p{L}{2,}\d")


def digit_misread(core: str) -> bool:
    """A word with one digit at its start or end where a letter was printed (``8ir`` for
    ``Sir``, ``6mall``, ``hi3`` for ``his``), as a number and its unit (``10th``, ``5lbs``)
    and a run of misread figures (``8cc``) never look: one digit, small letters after a leading
    one, two letters at least beside it, a vowel among them.  (A word and its footnote marker,
    ``revolution6``, looks the same: only a text whose profile shows no such markers asks.)
    Its readings must read the digit as a letter (:func:`reads_digit`), never drop it.

    >>> [digit_misread(t) for t in ("8ir", "hi3", "6mall", "10th", "6d", "1st", "a1so", "12mo", "8cc")]
    [True, True, True, False, False, False, False, False, False]
    """
    lead = LEAD_DIGIT.fullmatch(core)
    if lead:
        letters = lead.group(1)
        return letters not in NUMBER_SUFFIXES and _has_vowel(letters)
    return bool(TAIL_DIGIT.fullmatch(core)) and _has_vowel(core)


def _has_vowel(letters: str) -> bool:
    """Letters of a word hold a vowel (``ss5``, ``8cc`` are figures misread, not words)."""
    return any(c in "aeiouyAEIOUY" for c in letters)


def reads_digit(low: str, word: str) -> bool:
    """Does the reading ``word`` of a token with a digit misread at an end (:func:`digit_misread`)
    read that digit as a letter, not drop it?  It keeps the token's length, or grows it."""
    return len(word) >= len(low)


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
