"""The decisions of dehyphenate: what a line break becomes.

Each reading a break can get is a registered rule (:func:`ocr_clean.rules.rule`), whose
name is the edit's ``rule``: ``space-join``, ``paragraph-break``, ``text-end`` (the layout),
``word-join``, ``soft-hyphen``, ``hyphen-restored``, ``compound``, ``range`` (a word or
number broken across the line, joined or hyphenated) and ``join-uncertain`` (the evidence
leaves it open: the likelier reading queued for a person over the scan's text,
``kept-as-scanned``, when it changes that text).  A config switches one off by name
(``[stages.dehyphenate] disable = ["hyphen-restored"]``): a join whose rule is off keeps the
halves apart on one line (``so called``), as a join a person rejects; the layout rules off
leave the scan's breaks.

Which of the join readings a break gets is decided by the book's evidence first, then
English (:func:`decide`, in named steps: :func:`number_halves`, :func:`book_counts`,
:func:`silent_book`, :func:`book_habit`, :func:`english_frequency`); the counts that decided
go into the edit's evidence.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from ...rules import rule
from .counts import BookCounts, zipf
from .scanners import DASH_AFTER, DASH_BEFORE, GLUED_MARK, LEFT_RUN, POSSESSIVE, RIGHT_RUN

STAGE = "dehyphenate"
SPACE_NOTE = " times as two words"


class Decision(NamedTuple):
    """A break's decided reading: ``join`` or ``hyphen``, the rule, its confidence, the note."""

    choice: str
    rule: str
    confidence: float
    note: str


# -- the layout ---------------------------------------------------------------------------

@rule("space-join", stage=STAGE,
      help="a line break after a line that ended with a space (or, in ordinary OCR, any break "
           "not after a hyphen mark) is one space between words")
def space_join(after_space: bool, ordinary: bool, hyphen_mark_after_alnum: bool) -> bool:
    """Is the break a space between words?

    >>> space_join(True, False, False), space_join(False, True, False), space_join(False, True, True)
    (True, True, False)
    """
    return after_space or (ordinary and not hyphen_mark_after_alnum)


@rule("paragraph-break", stage=STAGE,
      help="a paragraph separator (two or more line breaks) becomes exactly one blank line")
def paragraph_break(at_text_start: bool) -> str:
    """The separator's text (none before the first paragraph).

    >>> paragraph_break(False), paragraph_break(True)
    ('\\n\\n', '')
    """
    return "" if at_text_start else "\n\n"


@rule("text-end", stage=STAGE, help="the text ends with exactly one line break")
def text_end() -> str:
    """The text's end.

    >>> text_end()
    '\\n'
    """
    return "\n"


# -- the readings of a word broken across a line --------------------------------------------

@rule("word-join", stage=STAGE,
      help="a word broken at a line end without a mark is joined (revo / lution -> revolution)")
def word_join(a: str, b: str) -> str:
    """The halves joined.

    >>> word_join("revo", "lution")
    'revolution'
    """
    return a + b


@rule("soft-hyphen", stage=STAGE,
      help="a word broken at a kept hyphen mark is joined, the mark taken out (in- / dustrial -> industrial)")
def soft_hyphen(a: str, b: str) -> str:
    """The halves joined, the mark taken out.

    >>> soft_hyphen("in", "dustrial")
    'industrial'
    """
    return a + b


@rule("hyphen-restored", stage=STAGE,
      help="a hyphen or dash the scan dropped at a line end is put back (so / called -> so-called)")
def hyphen_restored(a: str, b: str, dash: str = "-") -> str:
    """The halves with the dash the text prints.

    >>> hyphen_restored("so", "called"), hyphen_restored("luck !", "consists")
    ('so-called', 'luck !-consists')
    """
    return a + dash + b


@rule("compound", stage=STAGE,
      help="a compound broken at its own hyphen keeps it (trade- / union -> trade-union)")
def compound(a: str, b: str) -> str:
    """The halves with their hyphen.

    >>> compound("trade", "union")
    'trade-union'
    """
    return a + "-" + b


@rule("range", stage=STAGE,
      help="two numbers broken at a line end are a range: the hyphen kept (1929- / 30 -> 1929-30)")
def number_range(a: str, b: str) -> str:
    """The numbers with their hyphen.

    >>> number_range("1929", "30")
    '1929-30'
    """
    return a + "-" + b


@rule("kept-as-scanned", stage=STAGE,
      help="a break whose reading the evidence leaves open: the scan's text kept, only the line "
           "break taken out (re- / singing -> re-singing; land / holdings in a scan whose lines "
           "go on without a space -> landholdings); the likelier reading is queued over it")
def kept_as_scanned(left: str, right: str) -> str:
    """The two lines at the break without the break: ``left`` (the left line's end, with the
    hyphen mark the scan has there, if any) and ``right`` (the right line's start) as the
    scan has them.  Where a line end is read as a word going on (after a hyphen mark; any
    line without a trailing space in a continues-without-space scan), this is the scan's own
    reading: the text a person keeps by rejecting the queued one, every paragraph still one line.

    >>> kept_as_scanned("re-", "singing"), kept_as_scanned("land", "holdings")
    ('re-singing', 'landholdings')
    """
    return left + right


@rule("join-uncertain", stage=STAGE,
      help="a break the evidence leaves open: the likelier reading, queued for a person over the "
           "scan's text (kept-as-scanned), the others as candidates; applied (at the uncertain "
           "confidence, shown for review) when it is the scan's text itself")
def join_uncertain(a: str, b: str, choice: str, two_words: bool) -> tuple[str, ...]:
    """The readings, the likelier first; the halves as two words when the book writes them so.

    >>> join_uncertain("land", "holdings", "join", False)
    ('landholdings', 'land-holdings')
    >>> join_uncertain("class", "war", "hyphen", True)
    ('class-war', 'class war', 'classwar')
    """
    join, hyphen = a + b, a + "-" + b
    readings = [join, hyphen] if choice == "join" else [hyphen, join]
    if two_words:
        readings.insert(1, a + " " + b)
    return tuple(readings)


# the reading each sure rule makes of the halves
SURE = {"word-join": word_join, "soft-hyphen": soft_hyphen, "hyphen-restored": hyphen_restored,
        "compound": compound, "range": number_range}


def readings(a: str, b: str, d: Decision) -> tuple[str, str, float, tuple[str, ...], str]:
    """(after, rule, confidence, candidates, note) of the edit joining ``a`` and ``b`` as
    decided: sure, one reading and no candidates; else the likelier reading first."""
    if d.confidence >= 1.0:
        build = SURE.get(d.rule)
        after = build(a, b) if build is not None else (a + b if d.choice == "join" else a + "-" + b)
        return after, d.rule, d.confidence, (), d.note
    cands = join_uncertain(a, b, d.choice, d.note.endswith(SPACE_NOTE))
    return cands[0], d.rule, d.confidence, cands, d.note


# -- deciding: the book's evidence first, then English --------------------------------------

class Evidence:
    """What a decision reads: the stage's settings ``c``, the lexicon (or None) and the book."""

    __slots__ = ("c", "lex", "book")

    def __init__(self, c: dict[str, Any], lex: Any, book: BookCounts) -> None:
        self.c, self.lex, self.book = c, lex, book

    def english_zipf(self, w: str) -> float:
        """The Zipf frequency of ``w`` in English (0 without a lexicon); asked only where a
        decision needs it (most are settled by the book's counts first)."""
        return zipf(self.lex.freq(w)) if self.lex is not None else 0.0

    def good(self, w: str) -> bool:
        """A word on its own: used in the book, or frequent in English (one letter: a, A, I)."""
        if len(w) < 2:
            return w in ("a", "A", "I")
        w = w.lower()
        if self.book.words.get(w, 0) >= self.c["good_book"]:
            return True
        return self.lex is not None and zipf(self.lex.freq(w)) >= self.c["good_zipf"]

    def named(self, choice: str, conf: float, sure_join: str, sure_hyph: str) -> str:
        """The rule of a reading: ``join-uncertain`` at or below the uncertain confidence."""
        if conf <= self.c["confidence_uncertain"]:
            return "join-uncertain"
        return sure_hyph if choice == "hyphen" else sure_join


def decide(a: str, b: str, hyphen_line: bool, ctx: Evidence, ev: dict, soft: bool = False) -> Decision:
    """The reading of the halves ``a`` / ``b``; the counts that decided it go into ``ev`` (the
    edit's evidence); ``soft``: the line ended in a mark that only breaks words (``¬``, U+00AD)."""
    names = ("soft-hyphen", "compound") if hyphen_line else ("word-join", "hyphen-restored")
    got = number_halves(a, b, hyphen_line, names[1], ctx.c)
    if got is not None:
        return got
    # the possessive of the second half does not change the decision: "Robes" / "pierre's"
    b0 = b[:-2] if b.endswith(POSSESSIVE) else b
    nj, nh, note = book_counts(a, b0, ctx.book, ev)
    if soft and nh <= nj:
        ev["soft_hyphen_mark"] = 1
        return Decision("join", names[0], 1.0, note + "; a soft hyphen mark")
    if nj or nh:
        return by_book_counts(a, b0, nj, nh, note, ctx, names)
    return silent_book(a, b, b0, note, ctx, ev, names)


def number_halves(a: str, b: str, hyphen_line: bool, sure_hyph: str, c: dict) -> Decision | None:
    """Two numbers are a range; a number and a word ("mid-" / "1933", "1928-" / "the") are
    never one word; else None."""
    if a.isdigit() and b.isdigit():
        return Decision("hyphen", "range", 1.0 if hyphen_line else c["confidence_dash"], "a number range")
    if a.isdigit() or b.isdigit():
        return Decision("hyphen", sure_hyph, 1.0 if hyphen_line else c["confidence_dash"], "a number and a word")
    return None


def book_counts(a: str, b0: str, book: BookCounts, ev: dict) -> tuple[int, int, str]:
    """How often the book writes the halves joined and hyphenated on unbroken lines."""
    la, lb = a.lower(), b0.lower()
    if b0[:1].isupper() and not a.isupper():
        # a capital inside the joined form: only that very spelling counts ("MacDonald"),
        # not the folded word (">f-" / "It" is not "fit")
        nj = book.cased.get(a + b0, 0)
    else:
        nj = book.words.get(la + lb, 0)
    nh = book.pairs.get((la, lb), 0)
    ev["book_joined"], ev["book_hyphenated"] = nj, nh
    return nj, nh, f"book: {a}{b0} {nj}, {a}-{b0} {nh}"


def by_book_counts(a: str, b0: str, nj: int, nh: int, note: str, ctx: Evidence,
                   names: tuple[str, str]) -> Decision:
    """The book writes the word: the likelier of its two spellings, sure when the other is
    never seen (and the join is a word) or the winner has ``book_ratio`` times the uses."""
    c = ctx.c
    choice = "hyphen" if nh > nj else "join"
    win, lose = max(nj, nh), min(nj, nh)
    if lose == 0:
        sure = win >= c["book_sure_uses"] or (choice == "join" and (
            ctx.english_zipf(a.lower() + b0.lower()) >= c["join_zipf"]
            or not (ctx.good(a) and ctx.good(b0))))
        conf = 1.0 if sure else c["confidence_english"]
    elif win >= c["book_ratio"] * lose:
        conf = c["confidence_english"]
    else:
        conf = c["confidence_uncertain"]
    return Decision(choice, ctx.named(choice, conf, *names), conf, note)


def silent_book(a: str, b: str, b0: str, note: str, ctx: Evidence, ev: dict,
                names: tuple[str, str]) -> Decision:
    """The book is silent on this pair: a capitalised word after it, a half that is no word,
    the book's habit with the halves, then English."""
    c, book, lex = ctx.c, ctx.book, ctx.lex
    lb = b0.lower()
    # a capitalised word after it marks a compound ("Sino" / "Soviet"), if it is a word
    if b0[:1].isupper() and not b0.isupper() and (
            book.words.get(lb, 0) >= c["good_book_capital"] or (lex is not None and lex.is_english(lb))):
        return Decision("hyphen", names[1], c["confidence_english"], note + "; capitalised word after")
    if not (ctx.good(a) and ctx.good(b0)):
        # a half that is no word: a broken word, perhaps with an OCR error in it
        return Decision("join", names[0], 1.0, note + "; a half is no word")
    got, note = book_habit(a, b0, note, ctx, ev, names)
    if got is not None:
        return got
    return english_frequency(a, b, b0, note, ctx, ev, names)


def book_habit(a: str, b0: str, note: str, ctx: Evidence, ev: dict,
               names: tuple[str, str]) -> tuple[Decision | None, str]:
    """How the book treats these halves elsewhere: prefixes it glues ("re", "semi") or
    hyphenates ("self"), suffixes it glues ("ness", "ing") or takes after a hyphen ("year",
    and "the" after a dash).  None (and the note) when the habit is weak or even."""
    c, book = ctx.c, ctx.book
    la, lb = a.lower(), b0.lower()
    hyph_types = len(book.pair_first_lower[la] if lb[:1].islower() and b0[:1].islower()
                     else book.pair_first[la]) + len(book.pair_last[lb])
    glue_types = 0
    jt, ju = book.glued_after(la)
    if book.solo.get(la, 0) * c["affix_ratio"] < ju:      # mostly a prefix, seldom a word
        glue_types += jt
    jt, ju = book.glued_before(lb)
    if book.solo.get(lb, 0) * c["affix_ratio"] < ju:      # mostly a suffix, seldom a word
        glue_types += jt
    note += f"; book habit: {glue_types} glued, {hyph_types} hyphenated"
    ev["habit_glued"], ev["habit_hyphenated"] = glue_types, hyph_types
    if max(glue_types, hyph_types) >= c["affix_min_types"]:
        choice = "hyphen" if hyph_types > glue_types else "join"
        win, lose = max(glue_types, hyph_types), min(glue_types, hyph_types)
        if win > lose:
            conf = c["confidence_english"] if win >= c["book_ratio"] * lose else c["confidence_uncertain"]
            return Decision(choice, ctx.named(choice, conf, *names), conf, note), note
    return None, note


def english_frequency(a: str, b: str, b0: str, note: str, ctx: Evidence, ev: dict,
                      names: tuple[str, str]) -> Decision:
    """English decides: a joined form that is a word is joined; in the uncertain band, the
    likelier reading for a person; two good words whose joined form is none get a hyphen,
    unless the book writes them as two words (then the scan may have lost a space)."""
    c = ctx.c
    zj = ctx.english_zipf(a.lower() + b0.lower())
    note += f"; English zipf {a}{b0} {zj:.1f}"
    ev["english_zipf"] = round(zj, 2)
    if zj >= c["join_zipf"]:
        return Decision("join", names[0], c["confidence_english"], note)
    unsure = c["confidence_uncertain"]
    if zj >= c["uncertain_zipf"]:
        choice = "join" if zj >= c["prefer_join_zipf"] else "hyphen"
        return Decision(choice, "join-uncertain", unsure, note + "; both halves words")
    note += "; both halves words, joined form none"
    nsep = ev["book_separate"] = ctx.book.separate(a, b0)
    if nsep >= c["separate_min"]:
        # the book writes the pair as two words: perhaps the scan lost a space, not a dash
        note += f"; the book writes '{a} {b0}' {nsep}{SPACE_NOTE}"
        return Decision("hyphen", "join-uncertain", unsure, note)
    return Decision("hyphen", names[1], c["confidence_english"], note)


# -- a break next to punctuation --------------------------------------------------------------

def punctuation_break(text: str, s: int, e: int, ls: int, hyphen_line: bool, c: dict,
                      dash: str = "-") -> tuple[int, int, str, str, float, tuple[str, ...], str]:
    """(start, end, after, rule, confidence, candidates, note) of a break next to
    punctuation.  After closing punctuation, a dropped dash (``luck !`` / ``consists`` ->
    ``luck !-consists``, ``etc.`` / ``Translator``); a quote glued to a letter is OCR junk
    inside a word (``ovel'`` / ``come``): joined.  Anything else (stray marks of a heading)
    is joined as it stands."""
    left = LEFT_RUN.search(text, max(ls, s - c["punctuation_reach"]), s)
    start = left.start() if left else s
    right = RIGHT_RUN.match(text, e)
    end = right.end() if right else e
    lt, rt = text[start:s], text[e:end]
    if hyphen_line or not rt or not lt:
        # "Bol-" / ". shevik": nothing to decide; the break goes, the text stays
        return start, end, word_join(lt, rt), "word-join", 1.0, (), "break next to punctuation"
    if GLUED_MARK.search(lt) and rt[:1].islower():
        return (start, end, word_join(lt, rt), "word-join", c["confidence_english"], (lt + rt, lt + "-" + rt),
                "quote glued inside a word: OCR junk")
    if DASH_BEFORE.search(lt) and DASH_AFTER.match(rt):
        # the dash as the text prints one (the profile's dash habit: a hyphen in the Writings)
        after = hyphen_restored(lt, rt, dash)
        return (start, end, after, "hyphen-restored", c["confidence_dash"], (after, lt + " " + rt),
                "a dash dropped after punctuation")
    return (start, end, word_join(lt, rt), "word-join", c["confidence_english"],
            (lt + rt, lt + "-" + rt, lt + " " + rt), "break next to punctuation")
