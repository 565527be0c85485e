"""The punctuation stage's decisions: each a small named rule (``ocr_clean.rules``) whose name
is the Edit's ``rule``.  A rule is given what the scanners found at one place and returns a
:class:`Fix` (span in the paragraph, reading, confidence) or None; the stage makes the Edit
and the confidence policy decides applied or queued from the score.

The confidences are settings (``[stages.punctuation]``); the shared ones are the stage's:
``doubt_confidence`` (a reading a person should choose: below the apply threshold) and
``quote_doubt_confidence`` (a reading the quote structure argues against).
"""
from __future__ import annotations

import re
from typing import NamedTuple

from ...ledger import APPLIED, QUEUED
from ...rules import rule
from .patterns import AFTER_MARK, STRAY_BEFORE

# "13 .7, and" / "8 .6 million": the digits after a spaced full stop read as decimals
DECIMAL = re.compile(r"\d{1,3}(?=,| [a-z%])")


class Fix(NamedTuple):
    """A rule's answer: replace ``p[start:end]`` of the paragraph by ``after``."""

    start: int
    end: int
    after: str
    confidence: float
    candidates: tuple = ()
    note: str = ""
    status: str | None = None     # None: the confidence policy decides
    evidence: dict | None = None  # what decided it, by name (the ledger, the review, explain)


@rule("space-before-punct", stage="punctuation",
      help="a stray space before a closing mark goes (1931 . -> 1931.); the spaced ellipsis stays; "
           "a mark glued to the next word is put before a person",
      settings={"decimal_confidence": (0.85, "confidence of '13 .7, and' read as the decimal 13.7")})
def space_before_punct(p: str, s: int, e: int, mark: str, j: int, table_conf: float, cfg) -> Fix | None:
    """The fix of the spaces ``p[s:e]`` before ``mark`` (which ends at ``j``); ``table_conf``
    is the mark's confidence in punctuation.tsv.

    >>> cfg = {"decimal_confidence": 0.85, "doubt_confidence": 0.5}
    >>> space_before_punct("in 1931 . His", 7, 8, ".", 9, 0.95, cfg)[:4]
    (7, 8, '', 0.95)
    >>> space_before_punct("so . . . then", 2, 3, ".", 4, 0.95, cfg) is None     # house style
    True
    >>> space_before_punct("it .was", 2, 3, ".", 4, 0.95, cfg).candidates
    (' ', '. ', '.')
    """
    n = len(p)
    nxt = p[j] if j < n else ""
    prev = p[s - 1]
    if mark == ".":
        if p[j:j + 2] == " ." or prev == ".":
            return None             # a spaced ellipsis: house style
        if nxt.isdigit() and prev.isdigit():
            # "13 .7, and": a decimal; "1930 .7 The" may be a footnote marker after a full stop
            if DECIMAL.match(p, j):
                return Fix(s, e, "", cfg["decimal_confidence"], note="decimal point", evidence={"mark": mark, "decimal": True})
            return Fix(s, e, "", cfg["doubt_confidence"], note="decimal point or full stop?",
                       evidence={"mark": mark, "decimal": False})
    if mark == ":" and prev.isdigit() and nxt.isdigit():
        return None
    if mark == ")" and prev in "-\u2013\u2014":
        return None                 # "(1890- )": an open date range, printed so
    if nxt.isalpha():
        # "i .e." / "L .D.": a letter then its full stop is an abbreviation; else ("it .was")
        # it is unclear which side the mark belongs to: the item spans the space and the
        # mark, each reading one choice; a full stop before a small letter is mostly a speck
        if not (mark == "." and p[j + 1:j + 2] == "."):
            readings = (" ", mark + " ", mark) if mark == "." and nxt.islower() else (mark + " ", " ", mark)
            return Fix(s, j, readings[0], cfg["doubt_confidence"], readings,
                       "mark glued to the next word: " + ("a speck?" if readings[0] == " "
                                                          else "moved to the word before?"),
                       evidence={"mark": mark, "next_letter": "small" if nxt.islower() else "capital"})
    elif nxt and not nxt.isdigit() and nxt not in AFTER_MARK:
        return None                 # ":(-": not a plain mark; another stage's glyph
    return Fix(s, e, "", table_conf, evidence={"mark": mark, "mark_confidence": table_conf})


@rule("space-after-open", stage="punctuation",
      help="a stray space after an opening bracket goes (( Bolshevik -> (Bolshevik)")
def space_after_open(p: str, start: int, s: int, e: int, table_conf: float) -> Fix | None:
    """The fix of the spaces ``p[s:e]`` after the opening mark at ``start``.

    >>> space_after_open("a ( Bolshevik", 2, 3, 4, 0.95).evidence
    {'mark': '(', 'mark_confidence': 0.95}
    >>> space_after_open("however( it", 7, 8, 9, 0.95) is None    # the mark itself may be misread
    True
    """
    prev = p[start - 1] if start > 0 else ""
    if prev.isalnum():
        return None
    if (p[e] if e < len(p) else "") in ")]":
        return None
    return Fix(s, e, "", table_conf, evidence={"mark": p[start], "mark_confidence": table_conf})


@rule("double-space", stage="punctuation", help="a run of spaces inside a paragraph becomes one space",
      settings={"spacing_confidence": (0.99, "confidence of a run of spaces made one, or of an edge space dropped")})
def double_space(s: int, e: int, cfg) -> Fix:
    """The run of spaces ``s:e`` made one space.

    >>> double_space(3, 6, {"spacing_confidence": 0.99}).after
    ' '
    """
    return Fix(s, e, " ", cfg["spacing_confidence"], evidence={"spaces": e - s})


@rule("edge-space", stage="punctuation", help="spaces at a paragraph's start or end are dropped")
def edge_space(p: str, cfg) -> list[Fix]:
    """The spaces at the paragraph's start and end, dropped.

    >>> [(f.start, f.end) for f in edge_space("  text ", {"spacing_confidence": 0.99})]
    [(0, 2), (6, 7)]
    """
    out = []
    lead = len(p) - len(p.lstrip(" "))
    if lead:
        out.append(Fix(0, lead, "", cfg["spacing_confidence"], evidence={"edge": "start", "spaces": lead}))
    trail = len(p) - len(p.rstrip(" "))
    if trail and trail < len(p):
        out.append(Fix(len(p) - trail, len(p), "", cfg["spacing_confidence"], evidence={"edge": "end", "spaces": trail}))
    return out


def glyph_prefix_confidence(conf: float, back: int, fwd: int, cfg) -> float:
    """A glyph glued before a word read as an opening quote (``liThe``): its table confidence,
    lowered when the quotes around argue against it (``quote-glyph``).

    >>> cfg = {"quote_doubt_confidence": 0.6, "glyph_support_penalty": 0.05}
    >>> glyph_prefix_confidence(0.95, 2, 2, cfg), glyph_prefix_confidence(0.95, 2, 1, cfg)
    (0.95, 0.8999999999999999)
    >>> glyph_prefix_confidence(0.95, -1, 2, cfg)
    0.6
    """
    if back < 0 or fwd < 0:
        return min(conf, cfg["quote_doubt_confidence"])
    if fwd < 2:
        return conf - cfg["glyph_support_penalty"]
    return conf


def glyph_suffix_confidence(conf: float, back: int, fwd: int, cfg) -> float | None:
    """A glyph glued after a mark read as a closing quote (``party./I``), or None when the
    quotes around say no quote closes there (``quote-glyph``).

    >>> cfg = {"suffix_support_penalty": 0.1}
    >>> glyph_suffix_confidence(0.9, 2, 1, cfg), glyph_suffix_confidence(0.9, 1, 1, cfg)
    (0.9, 0.8)
    >>> glyph_suffix_confidence(0.9, 0, 1, cfg) is None
    True
    """
    if back < 1 or fwd < 0:
        return None
    return conf - cfg["suffix_support_penalty"] if back < 2 else conf


@rule("quote-glyph", stage="punctuation",
      help="a double quote misread as /I, 1/, II, li... (punctuation.tsv) where the quote structure "
           "wants one; a roman-looking II after a name is only ever put before a person",
      settings={"glyph_support_penalty": (0.05, "taken off a glyph quote's confidence when the quotes around "
                                                "support it on one side only"),
                "suffix_support_penalty": (0.1, "taken off a glued closing glyph's confidence when only the "
                                                "paragraph's edge supports it")})
def quote_glyph(options: list[tuple], base: float, roman: bool, cfg) -> tuple[tuple, float] | None:
    """Of the readings of a standalone glyph (``options``: (support, ...) as an opening and/or
    a closing quote), the best and its confidence; None when two readings tie.

    >>> cfg = {"glyph_support_penalty": 0.05, "quote_doubt_confidence": 0.6}
    >>> quote_glyph([(4, "open")], 0.9, False, cfg)
    ((4, 'open'), 0.9)
    >>> quote_glyph([(3, "open")], 0.9, True, cfg)
    ((3, 'open'), 0.6)
    >>> quote_glyph([(3, "open"), (3, "close")], 0.9, False, cfg) is None
    True
    """
    if not options:
        return None
    options = sorted(options, key=lambda o: -o[0])
    if len(options) > 1 and options[0][0] == options[1][0]:
        return None
    conf = base - (cfg["glyph_support_penalty"] if options[0][0] < 4 else 0.0)
    if roman:
        conf = min(conf, cfg["quote_doubt_confidence"])
    return options[0], conf


@rule("quote-space", stage="punctuation",
      help="a double quote with a stray space is opening or closing as the paragraph's quotes "
           "alternate (\" democratic -> \"democratic); unclear ones are put before a person",
      settings={"quote_space_sure": (0.95, "confidence when clear quotes on both sides agree"),
                "quote_space_confidence": (0.9, "confidence when one side is only the paragraph's edge"),
                "quote_colon_confidence": (0.85, "confidence of a quote after ':' read as opening")})
def quote_space(p: str, i: int, so: tuple[int, int], sc: tuple[int, int], ls: int, re_: int, k: int,
                cfg) -> Fix | None:
    """A quote at ``i`` with spaces on both sides (``p[ls:i]`` and ``p[i+1:re_]``) and no clear
    role of its own; ``so`` / ``sc``: the support of the quotes around for it opening /
    closing (2 a clear quote agrees, 1 the edge agrees, 0 or -1 not); ``k``: its index.

    >>> cfg = {"quote_space_sure": 0.95, "quote_space_confidence": 0.9,
    ...        "quote_colon_confidence": 0.85, "doubt_confidence": 0.5}
    >>> fix = quote_space('said " democratic', 5, (2, 2), (-1, -1), 4, 7, 0, cfg)
    >>> fix[:4], fix.note
    ((6, 7, '', 0.95), 'opening quote')
    >>> quote_space('it , " he', 5, (1, 1), (1, 1), 4, 7, 0, cfg).status    # unclear: raw kept
    'queued'
    >>> f = quote_space('the foe ! " It', 10, (1, 1), (1, 1), 9, 12, 0, cfg)   # after a sentence's end
    >>> f.after, f.candidates, f.status
    ('" ', ('" ', ' " ', ' "'), 'applied')
    """
    ev = {"support_open": so, "support_close": sc}
    o_ok = min(so) >= 1 and max(so) == 2
    c_ok = min(sc) >= 1 and max(sc) == 2
    if o_ok and not c_ok:
        conf = cfg["quote_space_sure"] if min(so) == 2 else cfg["quote_space_confidence"]
        return Fix(i + 1, re_, "", conf, note="opening quote", evidence=ev)
    if c_ok and not o_ok:
        conf = cfg["quote_space_sure"] if min(sc) == 2 else cfg["quote_space_confidence"]
        return Fix(ls, i, "", conf, note="closing quote", evidence=ev)
    if not o_ok and not c_ok and p[ls - 1:ls] in (":", "(", "["):
        # `tells us: " In the fall`: after a colon a quote opens (the quotation may run on
        # into the next paragraphs, so no closing quote is seen)
        return Fix(i + 1, re_, "", cfg["quote_colon_confidence"], note="opening quote after ':'", evidence=ev)
    if p[re_:re_ + 1] in STRAY_BEFORE and p[re_:re_ + 1] not in "\"'":
        # `on ! " ?`: a mark follows, so the quote closes (the mark's own space goes with the
        # mark's rule)
        return Fix(ls, i, "", cfg["doubt_confidence"], note="closing quote before a mark?", evidence=ev)
    # unclear: a guess is more often wrong than right, so the item keeps the raw text by
    # default and offers both readings over the whole span; the likelier first: closing
    # after a mark that ends a quotation (`foe !  " It`), else as the quote count suggests
    # (stray double spaces around it become one, as elsewhere: that much is sure)
    closing = p[:ls].rstrip(" ")[-1:] in ".!?," or k % 2 == 1
    q = p[i]
    keep = " " + q + " "
    readings = (q + " ", " " + q) if closing else (" " + q, q + " ")
    cands, note = (keep, *readings), "opening or closing? (kept apart unless you choose)"
    if p[:ls].rstrip(" ")[-1:] in ".!?":
        # right after a sentence's end (`rule . . . .  " In`, `foe !  " It`) the quote closes
        # the quotation (a quotation ends with its sentence's mark inside the quotes, while an
        # opening quote follows the space after it), so that reading is the suggestion (at
        # doubt: still put before a person)
        cands, note = (readings[0], keep, readings[1]), "closing quote after a sentence's end?"
    return Fix(ls, re_, cands[0], cfg["doubt_confidence"], cands, note,
               QUEUED if p[ls:re_] == cands[0] else APPLIED, ev)


def contraction_confidence(conf: float, quote_before: bool, cfg) -> float:
    """``weren 't``: the suffix's table confidence, lowered when a single quote opens just
    before (the apostrophe may close it) (``apostrophe-space``).

    >>> contraction_confidence(0.95, True, {"quote_doubt_confidence": 0.6})
    0.6
    """
    return min(conf, cfg["quote_doubt_confidence"]) if quote_before else conf


@rule("apostrophe-space", stage="punctuation",
      help="a split apostrophe is joined: weren 't -> weren't, Landau 's -> Landau's, Workers ' and -> Workers' and",
      settings={"split_s_penalty": (0.05, "taken off the table confidence of 's split after its apostrophe (Trotsky' S)"),
                "plural_confidence": (0.85, "confidence of a plural possessive's apostrophe joined (Workers ' and)")})
def apostrophe_space(word: str, s_letter: str, table_conf: float, cfg) -> tuple[str, float]:
    """The reading and confidence of an ``'s`` split after its apostrophe (``Trotsky' S``);
    ``word`` is the word before, ``s_letter`` the ``s`` or ``S``.

    >>> apostrophe_space("Trotsky", "S", 0.95, {"split_s_penalty": 0.05})
    ("'s", 0.8999999999999999)
    >>> apostrophe_space("USSR", "S", 0.95, {"split_s_penalty": 0.05})[0]
    "'S"
    """
    after = "'S" if word.isupper() and len(word) > 1 and s_letter == "S" else "'s"
    return after, table_conf - cfg["split_s_penalty"]


def plural_confidence(quote_before: bool, quote_after: bool, cfg) -> float:
    """``Workers ' and``: joined at ``plural_confidence``, at ``quote_doubt_confidence`` when a
    single quote opens before or closes after (``calls ' socialism'``) (``apostrophe-space``).

    >>> plural_confidence(False, True, {"plural_confidence": 0.85, "quote_doubt_confidence": 0.6})
    0.6
    """
    return cfg["quote_doubt_confidence"] if quote_before or quote_after else cfg["plural_confidence"]


@rule("apostrophe-case", stage="punctuation", help="Trotsky'S -> Trotsky's (not in an all-capitals word)",
      settings={"apostrophe_case_confidence": (0.9, "confidence of 'S after a lower-case word read as 's")})
def apostrophe_case(word: str, cfg) -> float | None:
    """The confidence of ``'S`` after ``word`` read as ``'s``, or None (a word of capitals).

    >>> apostrophe_case("Trotsky", {"apostrophe_case_confidence": 0.9})
    0.9
    >>> apostrophe_case("USSR", {"apostrophe_case_confidence": 0.9}) is None
    True
    """
    if word.isupper() or not any(c.islower() for c in word):
        return None
    return cfg["apostrophe_case_confidence"]


@rule("bracket-mismatch", stage="punctuation",
      help="a pair opened with ( and closed with ] (or the reverse) becomes the kind the text itself "
           "uses for contents of that shape",
      settings={"bracket_confidence": (0.85, "confidence when the text's habit is clear (bracket_habit_ratio)"),
                "bracket_unclear_confidence": (0.55, "confidence when it is not")})
def bracket_mismatch(shape: str, habits: dict, cfg) -> tuple[tuple[str, str], float]:
    """The bracket kind for contents of ``shape`` and how sure: ``habits`` counts the text's
    pairs by (kind, shape); the two misreadings (``[`` for ``(``, ``)`` for ``]``) are taken
    as equally likely.

    >>> cfg = {"bracket_habit_ratio": 3.0, "bracket_confidence": 0.85, "bracket_unclear_confidence": 0.55}
    >>> bracket_mismatch("cite", {("[", "cite"): 9, ("(", "cite"): 0, ("(", "lower"): 9}, cfg)
    (('[', ']'), 0.85)
    >>> bracket_mismatch("lower", {("[", "lower"): 1, ("(", "lower"): 1}, cfg)
    (('[', ']'), 0.55)
    """
    tot_r = sum(v for (k, _s), v in habits.items() if k == "(") or 1
    tot_s = sum(v for (k, _s), v in habits.items() if k == "[") or 1
    pr = (habits.get(("(", shape), 0) + 0.5) / tot_r
    ps = (habits.get(("[", shape), 0) + 0.5) / tot_s
    best = ("[", "]") if ps >= pr else ("(", ")")
    ratio = max(ps, pr) / max(min(ps, pr), 1e-9)
    sure = ratio >= cfg["bracket_habit_ratio"]
    return best, cfg["bracket_confidence"] if sure else cfg["bracket_unclear_confidence"]


@rule("bracket-bang", stage="punctuation",
      help="a bracketed '!' misread as 'I' ('[ I ]') becomes '[!]', in a text that writes '[!]' itself")
def bracket_bang(opening: str, inner: str, closing: str, spaced: bool,
                 table: dict[str, tuple[str, float]]) -> tuple[str, float] | None:
    """The reading and confidence of a bracketed misread ``!`` (``inner``, a pattern of the
    ``bracket_bang`` rows of punctuation.tsv), or None: the brackets must be one kind, and
    a space inside them shows the mark stood alone (``[I]`` may be a roman one).

    >>> bracket_bang("[", "I", "]", True, {"I": ("!", 0.9)})
    ('[!]', 0.9)
    >>> bracket_bang("[", "I", "]", False, {"I": ("!", 0.9)}) is None
    True
    >>> bracket_bang("(", "I", "]", True, {"I": ("!", 0.9)}) is None
    True
    """
    if not spaced or (opening == "(") != (closing == ")"):
        return None
    reading, conf = table[inner]
    return opening + reading + closing, conf
