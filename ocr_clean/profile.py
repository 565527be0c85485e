"""The scan profile: the habits of one text's OCR, measured once before any stage runs.

Scans differ in what their layout means.  The Writings scan marks "the word goes on" by a
line WITHOUT a trailing space (every other line ends with one); ordinary OCR has no trailing
spaces at all, so there a bare line end is an ordinary break, and only a hyphen-like mark
(``-``, ``¬``, U+00AD, U+2010, ``=``, ``⸗``) can join a word across it.  A stage never assumes
one of these habits: it asks ``doc.profile`` (a :class:`ScanProfile`).

Each habit (:class:`Habit`) holds its value, the counts it was read from (``evidence``) and
a confidence in [0, 1].  Where the text is too short to tell, the neutral habit holds
(``source="neutral"``: ordinary line breaks, the plain hyphen); a ``[scan]`` table in the
config file sets any habit outright (``source="config"``)::

    [scan]
    line_end = "continues-without-space"     # or "ordinary"
    hyphens = ["-", "¬"]

Measuring is a few C-speed regex counts over the whole text.  This module imports nothing
of ours (only the standard library and ``regex``): the document holds the profile as an
opaque object and every stage can read it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

import regex

# -- the habits and their values ----------------------------------------------------------
ORDINARY = "ordinary"                       # a bare line end is a break between words
CONTINUES = "continues-without-space"       # a line without a trailing space: the word goes on
LINE_END_VALUES = (ORDINARY, CONTINUES)
HYPHEN_MARKS = ("-", "\u00ac", "\u00ad", "\u2010", "=", "\u2e17")   # - ¬ soft-hyphen ‐ = ⸗
SOFT_MARKS = frozenset("\u00ac\u00ad")      # marks that only ever break a word: always joined

INDENT_VALUES = ("page-start", "paragraph")  # what a line's leading space marks
QUOTE_VALUES = ("straight", "curly", "low-high", "none")
DASH_VALUES = ("hyphen", "em-dash", "en-dash", "double-hyphen")
DASH_GLYPH = {"hyphen": "-", "em-dash": "\u2014", "en-dash": "\u2013", "double-hyphen": "--"}
MARKER_VALUES = ("digits", "symbols", "none")

HABITS: dict[str, str] = {                   # name -> what it is (shown by `ocr-clean clean -v`)
    "line_end": "what a bare line end means",
    "hyphens": "the marks that hyphenate a word at a line end",
    "lines": "whether the text is cut into printed lines",
    "indent": "what a line's leading space marks: a page start or a paragraph",
    "lines_per_page": "printed lines a page (from the page starts)",
    "quotes": "the double quote glyphs the text prints",
    "dashes": "how the text prints a dash",
    "long_s": "long s read as f (fuch, moft)",
    "footnote_markers": "how footnote references are marked in the text",
}

# an inner line (one followed by a line of text) ending with a space or tab / with text
# (each search starts with a literal newline, which the ``re`` engine finds at C speed)
_END_BEFORE_TEXT = re.compile(r"\n(?=[ \t]*\S)")
_EMPTY_BEFORE_TEXT = re.compile(r"\n\n(?=[ \t]*\S)")
_SPACES_BEFORE_TEXT = re.compile(r"\n[ \t]+\n(?=[ \t]*\S)")
_SPACE_END_BEFORE_TEXT = re.compile(r"\n(?<=[ \t]\n)(?=[ \t]*\S)")
# a hyphen-like mark at a line end, the next line starting with a lower-case letter
_MARKS_CLASS = "[-\u00ac\u00ad\u2010=\u2e17]"
_MARK_END = re.compile(rf"\n(?:(?<={_MARKS_CLASS}\n)|(?<={_MARKS_CLASS}[ \t]\n))(?=[ \t]*[^\W\d_])")
_MIN_LINES = 8          # inner lines needed before a line-end habit is more than neutral


class ProfileError(ValueError):
    """An unknown habit or value in a ``[scan]`` table (one line)."""


@dataclass(frozen=True)
class Habit:
    value: Any
    confidence: float = 0.0
    evidence: dict = field(default_factory=dict)
    source: str = "measured"        # measured | neutral (too little text to tell) | config

    def to_dict(self) -> dict:
        v = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"value": v, "confidence": round(self.confidence, 3), "evidence": dict(self.evidence),
                "source": self.source}

    @classmethod
    def from_dict(cls, d: dict) -> "Habit":
        v = d.get("value")
        return cls(tuple(v) if isinstance(v, list) else v, float(d.get("confidence", 0.0)),
                   dict(d.get("evidence", {})), d.get("source", "measured"))


@dataclass(frozen=True)
class ScanProfile:
    line_end: Habit = Habit(ORDINARY, 0.0, {}, "neutral")
    hyphens: Habit = Habit(("-",), 0.0, {}, "neutral")
    lines: Habit = Habit(True, 0.0, {}, "neutral")
    indent: Habit = Habit("page-start", 0.0, {}, "neutral")
    lines_per_page: Habit = Habit(None, 0.0, {}, "neutral")
    quotes: Habit = Habit("straight", 0.0, {}, "neutral")
    dashes: Habit = Habit("hyphen", 0.0, {}, "neutral")
    long_s: Habit = Habit(False, 0.0, {}, "neutral")
    footnote_markers: Habit = Habit("digits", 0.0, {}, "neutral")

    # -- what the stages ask ---------------------------------------------------------------
    @property
    def continues_without_space(self) -> bool:
        return self.line_end.value == CONTINUES

    @property
    def hyphen_marks(self) -> str:
        return "".join(self.hyphens.value)

    @property
    def paragraph_indent(self) -> bool:
        return self.indent.value == "paragraph"

    @property
    def dash(self) -> str:
        """The glyph the text prints for a dash."""
        return DASH_GLYPH.get(self.dashes.value, "-")

    # -- records ---------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {name: getattr(self, name).to_dict() for name in HABITS}

    @classmethod
    def from_dict(cls, d: dict) -> "ScanProfile":
        return cls(**{k: Habit.from_dict(v) for k, v in d.items() if k in HABITS})

    def describe(self) -> list[str]:
        """One line a habit: name, value, confidence, source and evidence."""
        out = []
        for name in HABITS:
            h = getattr(self, name)
            v = " ".join(_show(x) for x in h.value) if isinstance(h.value, tuple) else str(h.value)
            ev = ", ".join(f"{k} {_show(str(n)) if not isinstance(n, (int, float)) else n}"
                           for k, n in h.evidence.items())
            out.append(f"{name} = {v}  ({h.source}, confidence {h.confidence:.2f}{'; ' + ev if ev else ''})")
        return out


def _show(s: str) -> str:
    """A mark as a person can read it (the soft hyphen is invisible)."""
    return "U+00AD" if s == "\u00ad" else ("U+2010" if s == "\u2010" else s)


# -- measuring -----------------------------------------------------------------------------
def _confidence(n: int, share: float) -> float:
    """More lines and a clearer share, more confidence."""
    return round(min(1.0, n / 50) * min(1.0, abs(share - 0.5) * 2 + 0.2), 3)


def _inner_ends(text: str) -> tuple[int, int, int]:
    """(inner lines, those ending with a space or tab, blank lines before a line of text):
    inner lines are lines followed by a line of text (a blank line, or a line that is all
    space, is none).  (Every search here is linear: no pattern can backtrack over a run.)"""
    ends = len(_END_BEFORE_TEXT.findall(text))          # every line end before a line of text
    empty = len(_EMPTY_BEFORE_TEXT.findall(text))       # ... of an empty line
    spaces = len(_SPACES_BEFORE_TEXT.findall(text))     # ... of a line of spaces only
    spaced = len(_SPACE_END_BEFORE_TEXT.findall(text))
    if text[:1] == "\n":                                 # the text starts with an empty line
        empty += 1 if _END_BEFORE_TEXT.match(text) else 0
    return ends - empty - spaces, spaced - spaces, empty + spaces


def measure_line_end(text: str, inner: tuple[int, int, int] | None = None) -> Habit:
    n, spaced, _ = inner or _inner_ends(text)
    bare = n - spaced
    ev = {"inner_lines": n, "with_trailing_space": spaced, "without": bare}
    if spaced and spaced >= 0.3 * n:
        # ordinary OCR never ends a line with a space: lines that do mark a habit
        return Habit(CONTINUES, _confidence(n, spaced / n), ev, "measured" if n >= 2 else "neutral")
    if n < _MIN_LINES:
        return Habit(ORDINARY, 0.0, ev, "neutral")
    return Habit(ORDINARY, _confidence(n, spaced / n), ev)


def measure_hyphens(text: str) -> Habit:
    counts = {m: 0 for m in HYPHEN_MARKS}
    for m in _MARK_END.finditer(text):
        s = m.start() - 1
        if text[s] in " \t":
            s -= 1
        if s and text[s - 1].isalpha():      # a letter before the mark: a word broken there
            counts[text[s]] += 1
    # "=" is also a sign of its own: it counts as a hyphen when words break at it often
    used = tuple(m for m in HYPHEN_MARKS if m == "-" or counts[m] >= (3 if m == "=" else 1))
    ev = {("U+00AD" if m == "\u00ad" else "U+2010" if m == "\u2010" else m): counts[m]
          for m in HYPHEN_MARKS if counts[m]}
    total = sum(counts.values())
    if not total:
        return Habit(("-",), 0.0, ev, "neutral")
    # fewer breaks than this: the marks seen hold, but a collection may know more
    return Habit(used, round(min(1.0, total / 10), 3), ev, "measured" if total >= 3 else "neutral")


def measure_lines(text: str, inner_ends: tuple[int, int, int] | None = None) -> Habit:
    inner, _, breaks = inner_ends or _inner_ends(text)
    paragraphs = breaks + 1
    ev = {"inner_lines": inner, "paragraphs": paragraphs}
    if inner == 0 and paragraphs == 1 and "\n" not in text.strip():
        return Habit(False, 0.5 if len(text) > 200 else 0.0, ev, "measured" if len(text) > 200 else "neutral")
    cut = inner >= paragraphs
    return Habit(cut, round(min(1.0, (inner + 1) / (paragraphs + 1) / 4), 3), ev)


# a line of text after leading space (at the text's start, too)
_LEAD_LINE = re.compile(r"\n[ \t]+\S")
# a line that ends a sentence (a closing quote or bracket may follow the mark)
_ENDS_SENTENCE = regex.compile(r"[.!?:][\"'\u2019\u201d)\]]*[ \t]*\Z")
_MIN_LEAD = 4           # lines with leading space needed before the indent habit is measured


def measure_indent(text: str) -> tuple[Habit, Habit]:
    """(indent, lines_per_page).  Page starts fall anywhere in a sentence; paragraph
    indentation follows the end of a sentence (or a blank line).  The lines a page are the
    usual distance between page starts (the median of the distances near the median: no
    range fitted to one book)."""
    lead = [m.start() + 1 for m in _LEAD_LINE.finditer(text)]
    if text[:1] in (" ", "\t") and text.strip():
        lead.insert(0, 0)
    after_end = after_blank = mid = 0
    for p in lead:
        if p == 0:
            continue
        q = text.rfind("\n", 0, p - 1)
        prev = text[q + 1:p - 1]
        if not prev.strip():
            after_blank += 1
        elif _ENDS_SENTENCE.search(prev):
            after_end += 1
        else:
            mid += 1
    n = after_end + after_blank + mid
    ev = {"indented_lines": len(lead), "after_sentence_end": after_end, "after_blank": after_blank,
          "mid_sentence": mid}
    if n < _MIN_LEAD:
        return Habit("page-start", 0.0, ev, "neutral"), Habit(None, 0.0, {}, "neutral")
    share_mid = mid / n
    if share_mid <= 0.25:
        indent = Habit("paragraph", _confidence(n, share_mid), ev)
        return indent, Habit(None, 0.0, {}, "neutral")
    indent = Habit("page-start", _confidence(n, share_mid), ev)
    # the line number of each page start: the newlines before it (counted in C, piece by piece)
    numbers, k, last = [], 0, 0
    for p in lead:
        k += text.count("\n", last, p)
        last = p
        numbers.append(k)
    gaps = sorted(b - a for a, b in zip(numbers, numbers[1:]))
    if len(gaps) < 3:
        return indent, Habit(None, 0.0, {"page_starts": len(lead)}, "neutral")
    mid_gap = gaps[len(gaps) // 2]
    near = [g for g in gaps if mid_gap / 2 <= g <= mid_gap * 2]
    lpp = float(near[len(near) // 2])
    return indent, Habit(lpp, round(len(near) / len(gaps), 3),
                         {"page_starts": len(lead), "distances_near_the_median": len(near)})


_QUOTES = {"straight": ('"',), "curly": ("\u201c", "\u201d"), "low-high": ("\u201e", ",,")}


def measure_quotes(text: str) -> Habit:
    low, left, right = text.count("\u201e") + text.count(",,"), text.count("\u201c"), text.count("\u201d")
    if low and low > right and 2 * low >= left:     # „...“: the left quote closes
        counts = {"straight": text.count('"'), "curly": right, "low-high": low + left}
    else:
        counts = {"straight": text.count('"'), "curly": left + right, "low-high": low}
    ev = {k: v for k, v in counts.items() if v}
    total = sum(counts.values())
    if total < 4:
        return Habit("straight" if not counts["curly"] else "curly", 0.0, ev, "neutral")
    best = max(counts, key=counts.get)
    share = counts[best] / total
    return Habit(best, round(min(1.0, total / 20) * share, 3), ev)


_DASH_COUNTS = (("em-dash", regex.compile("\u2014")), ("en-dash", regex.compile(r"(?<=\s)\u2013(?=\s)")),
                ("double-hyphen", regex.compile(r"(?<!-)--(?!-)")),
                ("hyphen", regex.compile(r"(?<=\S) - (?=\S)")))


def measure_dashes(text: str) -> Habit:
    counts = {name: len(pat.findall(text)) for name, pat in _DASH_COUNTS}
    ev = {k: v for k, v in counts.items() if v}
    total = sum(counts.values())
    if total < 3:
        # no dash glyph to see: the dashes, if any, are printed as hyphens
        return Habit("hyphen", 0.0, ev, "neutral")
    best = max(counts, key=counts.get)
    return Habit(best, round(min(1.0, total / 20) * counts[best] / total, 3), ev)


_ASCII_WORD = re.compile(r"[A-Za-z]{2,}")
_LONGEST_WORD = 24          # longer runs of letters are no words to read again
_LONG_S_ODDS = 100          # a word's reading with s this many times as common: a long s read as f
_LONG_S_SHARE = 0.1         # of the f-words read so: a print with long s (a few are chance, or a
                            # collection of mostly later prints with one old one among them)
_LONG_S_SAMPLE = 200_000    # characters read for the habit: a long s is on every page
# a run of letters holding a long s, whole: looked for from the run's start only, its letters
# before the first long s without it (a long run of letters without one fails in one pass, not
# again from each of its letters: linear, where [A-Za-z\u017f]*\u017f[A-Za-z\u017f]* was
# quadratic in a run's length; the same matches)
_LONG_S_WORD = re.compile(r"(?<![A-Za-z\u017f])[A-Za-z]*\u017f[A-Za-z\u017f]*")


def long_s_variants(lw: str) -> list[tuple[str, int]]:
    """``lw`` with an ``f`` read as ``s``: each f alone (never the last letter: long s was not
    printed at a word's end) and, where there are several, all of them at once; each with how
    many f it reads so.

    >>> long_s_variants("affured"), long_s_variants("off")
    ([('asfured', 1), ('afsured', 1), ('assured', 2)], [('osf', 1)])
    """
    idx = [i for i, ch in enumerate(lw[:-1]) if ch == "f"]
    out = [(lw[:i] + "s" + lw[i + 1:], 1) for i in idx]
    if len(idx) > 1:
        out.append(("".join("s" if ch == "f" else ch for ch in lw[:-1]) + lw[-1], len(idx)))
    return out


def read_with_long_s(lw: str, is_word, freq) -> bool:
    """Is ``lw`` (lower case) a word read with an ``f`` for a long s: no word, but one with an
    ``s`` at one of its f (never the last letter) or at all of them, or, with ``freq``, a
    word whose reading with that ``s`` is at least ``_LONG_S_ODDS`` times as common
    (``fo``/``so``, ``fuch``/``such``, ``fome``/``some``: word lists built from old print
    keep such misreadings as words).

    >>> words = {"so": 1e-3, "such": 7e-4, "fuch": 2e-8, "fold": 1e-5, "sold": 9e-5, "sit": 8e-5, "fit": 9e-5}
    >>> [read_with_long_s(w, words.__contains__, words.get) for w in ("fo", "fuch", "fold", "fit", "thefe")]
    [True, True, False, False, False]
    >>> read_with_long_s("affured", {"assured"}.__contains__, None), read_with_long_s("off", {"off", "osf"}.__contains__, None)
    (True, False)
    """
    known = is_word(lw)
    if known and freq is None:
        return False
    least = freq(lw) * _LONG_S_ODDS if known else 0.0
    # each f alone, or every f a long s at once (indifpofed, affured)
    return any(is_word(read) and (not known or (freq(read) or 0.0) >= least > 0) for read, _ in long_s_variants(lw))


def measure_long_s(text: str, is_word=None, freq=None) -> Habit:
    """Long s read as ``f``: words with an ``f`` (never the last letter: long s was not
    printed at a word's end) that are no word, but are one with an ``s`` there, or (with
    ``freq``, a lower-case word's frequency) are a far rarer word than that reading
    (:func:`read_with_long_s`)."""
    if is_word is None:
        return Habit(False, 0.0, {}, "neutral")
    types = {w for w in set(_ASCII_WORD.findall(text, 0, _LONG_S_SAMPLE))
             if "f" in w[:-1] and len(w) <= _LONGEST_WORD}
    hits = sum(1 for w in types if read_with_long_s(w.lower(), is_word, freq))
    # words the OCR read with the long s itself (ſome): the page shows the habit just as well
    # (and a text cleaned once, its f read as ſ, keeps the habit it was cleaned by)
    printed = set(_LONG_S_WORD.findall(text, 0, _LONG_S_SAMPLE))
    ev = {"f_word_types": len(types), "read_with_s": hits, "long_s_words": len(printed)}
    hits += len(printed)
    if len(types) + len(printed) < 10:
        return Habit(False, 0.0, ev, "neutral")
    share = hits / (len(types) + len(printed))
    found = hits >= 3 and share >= _LONG_S_SHARE
    return Habit(found, round(min(1.0, hits / 30) if found else min(1.0, len(types) / 200), 3), ev)


# a reference glued to a word: digits after a letter or a closing mark ("done.12", "Zinoviev3")
_DIGIT_RUN = re.compile(r"[0-9]{1,3}(?![\w-])")
_CLOSERS = frozenset(".,;:!?\"'\u2019\u201d)")
_SYMBOL_MARK = re.compile(r"[*\u2020\u2021](?=\s|\Z)")
# a notes section: lines that start with a number and a full stop (or a symbol)
_NOTE_ENTRY = re.compile(r"\n[ \t]*(?:\d{1,3}\.|[*\u2020\u2021])[ \t]+\S")


_MARKER_SAMPLE = 400_000    # characters read for the marker style (every page has the same)


def measure_footnote_markers(text: str) -> Habit:
    text = text[:_MARKER_SAMPLE]
    digits = 0
    for m in _DIGIT_RUN.finditer(text):      # digits glued to a word, or to its closing mark
        s = m.start()
        if s and (text[s - 1].isalpha() or (s > 1 and text[s - 1] in _CLOSERS and text[s - 2].isalpha())):
            digits += 1
    symbols = 0
    if "*" in text or "\u2020" in text or "\u2021" in text:
        symbols = sum(1 for m in _SYMBOL_MARK.finditer(text) if m.start() and not text[m.start() - 1].isspace())
    entries = len(_NOTE_ENTRY.findall(text))
    ev = {"digit_markers": digits, "symbol_markers": symbols, "note_entries": entries}
    if digits >= 3 and digits >= symbols:
        return Habit("digits", round(min(1.0, digits / 30), 3), ev)
    if symbols >= 3:
        return Habit("symbols", round(min(1.0, symbols / 30), 3), ev)
    if entries == 0 and digits + symbols == 0 and len(text) > 2000:
        return Habit("none", round(min(1.0, len(text) / 20000), 3), ev)
    return Habit("digits", 0.0, ev, "neutral")


def measure(text: str, overrides: dict | None = None, is_word=None, freq=None) -> ScanProfile:
    """The profile of ``text``, then the habits ``overrides`` (a ``[scan]`` table) sets.
    ``is_word(lower_case_word)``: the lexicon's test of a word, ``freq(lower_case_word)``
    its frequency in English (both for the long s habit)."""
    indent, lpp = measure_indent(text)
    inner = _inner_ends(text)
    prof = ScanProfile(line_end=measure_line_end(text, inner), hyphens=measure_hyphens(text),
                       lines=measure_lines(text, inner), indent=indent, lines_per_page=lpp,
                       quotes=measure_quotes(text), dashes=measure_dashes(text),
                       long_s=measure_long_s(text, is_word, freq),
                       footnote_markers=measure_footnote_markers(text))
    return apply_overrides(prof, overrides) if overrides else prof


# -- the [scan] table ----------------------------------------------------------------------
def _check_value(name: str, value: Any) -> Any:
    if name == "line_end":
        if value not in LINE_END_VALUES:
            raise ProfileError(f"[scan] line_end = {value!r} is unknown; choose one of: {', '.join(LINE_END_VALUES)}")
        return value
    if name == "hyphens":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(v in HYPHEN_MARKS for v in value):
            raise ProfileError(f"[scan] hyphens = {value!r}: a list of marks among "
                               + ", ".join(_show(m) for m in HYPHEN_MARKS))
        return tuple(value)
    if name in ("lines", "long_s"):
        if not isinstance(value, bool):
            raise ProfileError(f"[scan] {name} = {value!r} must be true or false")
        return value
    choices = {"indent": INDENT_VALUES, "quotes": QUOTE_VALUES, "dashes": DASH_VALUES,
               "footnote_markers": MARKER_VALUES}.get(name)
    if choices is not None:
        if value not in choices:
            raise ProfileError(f"[scan] {name} = {value!r} is unknown; choose one of: {', '.join(choices)}")
        return value
    if name == "lines_per_page":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 2 <= value <= 500:
            raise ProfileError(f"[scan] lines_per_page = {value!r} must be a number of lines (2-500)")
        return float(value)
    raise ProfileError(f"[scan] {name} is not a habit; known: {', '.join(HABITS)}")


def check_overrides(table: dict) -> dict:
    """The ``[scan]`` table with every habit and value checked (:class:`ProfileError`)."""
    if not isinstance(table, dict):
        raise ProfileError("[scan] must be a table of habits, e.g. line_end = \"ordinary\"")
    return {name: _check_value(name, value) for name, value in table.items()}


def apply_overrides(prof: ScanProfile, table: dict) -> ScanProfile:
    changes = {name: Habit(value, 1.0, getattr(prof, name).evidence, "config")
               for name, value in check_overrides(table).items()}
    return replace(prof, **changes)


def with_collection(own: ScanProfile, shared: ScanProfile) -> ScanProfile:
    """``own`` (a text's profile) where it could tell; where a habit of it is neutral (the text
    too short), the collection's habit, when the collection could tell (source "collection")."""
    changes = {}
    for name in HABITS:
        mine, theirs = getattr(own, name), getattr(shared, name)
        if mine.source == "neutral" and theirs.source not in ("neutral",):
            changes[name] = replace(theirs, source="collection" if theirs.source == "measured" else theirs.source)
    return replace(own, **changes) if changes else own


def profile_of(text: str, doc: Any = None) -> ScanProfile:
    """The document's profile when it has one, else the profile of ``text`` (a stage run on
    its own, outside a pipeline)."""
    prof = getattr(doc, "profile", None)
    return prof if isinstance(prof, ScanProfile) else measure(text)


def dumps(prof: ScanProfile) -> str:
    return json.dumps(prof.to_dict(), ensure_ascii=False)
