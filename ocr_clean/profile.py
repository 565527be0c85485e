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
from dataclasses import dataclass, field, replace
from typing import Any

import regex

# -- the habits and their values ----------------------------------------------------------
ORDINARY = "ordinary"                       # a bare line end is a break between words
CONTINUES = "continues-without-space"       # a line without a trailing space: the word goes on
LINE_END_VALUES = (ORDINARY, CONTINUES)
HYPHEN_MARKS = ("-", "\u00ac", "\u00ad", "\u2010", "=", "\u2e17")   # - ¬ soft-hyphen ‐ = ⸗
SOFT_MARKS = frozenset("\u00ac\u00ad")      # marks that only ever break a word: always joined

HABITS: dict[str, str] = {                   # name -> what it is (shown by `ocr-clean clean -v`)
    "line_end": "what a bare line end means",
    "hyphens": "the marks that hyphenate a word at a line end",
    "lines": "whether the text is cut into printed lines",
}

# an inner line (one followed by a line of text) ending with a space or tab / with text
_SPACED_END = regex.compile(r"[ \t]\n[ \t]*\S")
_BARE_END = regex.compile(r"[^\s]\n[ \t]*\S")
# a letter, a hyphen-like mark, the line end, a lower-case letter: a word broken by the mark
_MARK_BREAK = regex.compile(r"\p{L}([-\u00ac\u00ad\u2010=\u2e17])[ \t]*\n[ \t]*\p{Ll}")
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

    # -- what the stages ask ---------------------------------------------------------------
    @property
    def continues_without_space(self) -> bool:
        return self.line_end.value == CONTINUES

    @property
    def hyphen_marks(self) -> str:
        return "".join(self.hyphens.value)

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


def measure_line_end(text: str) -> Habit:
    spaced = len(_SPACED_END.findall(text))
    bare = len(_BARE_END.findall(text))
    n = spaced + bare
    ev = {"inner_lines": n, "with_trailing_space": spaced, "without": bare}
    if spaced and spaced >= 0.3 * n:
        # ordinary OCR never ends a line with a space: lines that do mark a habit
        return Habit(CONTINUES, _confidence(n, spaced / n), ev, "measured" if n >= 2 else "neutral")
    if n < _MIN_LINES:
        return Habit(ORDINARY, 0.0, ev, "neutral")
    return Habit(ORDINARY, _confidence(n, spaced / n), ev)


def measure_hyphens(text: str) -> Habit:
    counts = {m: 0 for m in HYPHEN_MARKS}
    for mark in _MARK_BREAK.findall(text):
        counts[mark] += 1
    # "=" is also a sign of its own: it counts as a hyphen when words break at it often
    used = tuple(m for m in HYPHEN_MARKS if m == "-" or counts[m] >= (3 if m == "=" else 1))
    ev = {("U+00AD" if m == "\u00ad" else "U+2010" if m == "\u2010" else m): counts[m]
          for m in HYPHEN_MARKS if counts[m]}
    total = sum(counts.values())
    if not total:
        return Habit(("-",), 0.0, ev, "neutral")
    return Habit(used, round(min(1.0, total / 10), 3), ev)


def measure_lines(text: str) -> Habit:
    inner = len(_SPACED_END.findall(text)) + len(_BARE_END.findall(text))
    paragraphs = max(1, len(regex.findall(r"\S(?:[ \t]*\n){2,}", text)) + 1)
    ev = {"inner_lines": inner, "paragraphs": paragraphs}
    if inner == 0 and paragraphs == 1 and "\n" not in text.strip():
        return Habit(False, 0.5 if len(text) > 200 else 0.0, ev, "measured" if len(text) > 200 else "neutral")
    cut = inner >= paragraphs
    return Habit(cut, round(min(1.0, (inner + 1) / (paragraphs + 1) / 4), 3), ev)


def measure(text: str, overrides: dict | None = None) -> ScanProfile:
    """The profile of ``text``, then the habits ``overrides`` (a ``[scan]`` table) sets."""
    prof = ScanProfile(line_end=measure_line_end(text), hyphens=measure_hyphens(text),
                       lines=measure_lines(text))
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
    if name == "lines":
        if not isinstance(value, bool):
            raise ProfileError(f"[scan] lines = {value!r} must be true or false")
        return value
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


def profile_of(text: str, doc: Any = None) -> ScanProfile:
    """The document's profile when it has one, else the profile of ``text`` (a stage run on
    its own, outside a pipeline)."""
    prof = getattr(doc, "profile", None)
    return prof if isinstance(prof, ScanProfile) else measure(text)


def dumps(prof: ScanProfile) -> str:
    return json.dumps(prof.to_dict(), ensure_ascii=False)
