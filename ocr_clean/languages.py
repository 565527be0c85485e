"""Other languages than English: what a passage in French, German, Spanish, Italian, Dutch,
Portuguese or Latin looks like, so that the stages that correct by English can leave it as printed.

An English book or newspaper quotes other languages: a French title (``Comité National de
la Ligue Communiste``), a German quotation, an Italian aria (``Parigi o cara``).  Read word
by word against English, such a passage is full of misreadings that are none: ``vivait``
becomes ``visit``, ``Sonne`` becomes ``Some``.  The evidence is wordfreq's own lists of those
languages (the ``small`` lists it ships: the commonest 30,000 words or so of each, no
network), and for Latin, which wordfreq lacks, Unicode Unilex's list in ``dictionaries/``
(3,000 forms of a small corpus of Latin news: enough for the words every Latin sentence is
made of); read once a process and kept on disk as ``marshal`` like the English list.

:class:`OtherLanguages` gives a word's frequency in each language asked; :func:`reads_as`
decides whether another language reads a stretch far better than English; :class:`ForeignStretches`
finds the stretch of a text (a sentence, a quotation, a title) around a place and the language
that reads it; :func:`withheld` makes an edit proposed there its rejection.  The stages that
correct by English (``words``, ``split_words``) each register the decision as their rule
``foreign-stretch``, with the settings of :data:`SETTINGS`, and leave such stretches as printed.
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import importlib.util
import marshal
import math
import re
import sys
import unicodedata
from pathlib import Path

from .ledger import REJECTED, Edit
from .lexicon import DataFileError, data_file, marshal_cached, read_table
from .rules import rule
from .settings import ConfigError

LIST_SIZE = "small"          # wordfreq's list of each other language (its commonest words)
# Languages wordfreq has no list of, and the data file (in dictionaries/) that holds one:
# word forms and their frequency per billion tokens (Unicode Unilex; see unilex_LICENSE.txt).
OWN_LISTS = {"la": "unilex_la.tsv"}
NAMES = {"fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "nl": "Dutch", "pt": "Portuguese",
         "da": "Danish", "sv": "Swedish", "nb": "Norwegian", "pl": "Polish", "cs": "Czech", "ca": "Catalan",
         "fi": "Finnish", "hu": "Hungarian", "ro": "Romanian", "ru": "Russian", "la": "Latin"}

# A stretch ends at a sentence's end, a colon or semicolon, a quotation mark or a bracket,
# or a blank line; a single line end (a line of print) runs on.
_BOUNDARY = re.compile(r"[.!?;:\"\u201c\u201d\u201e\u00ab\u00bb()\[\]]|\n[ \t]*\n")
_LETTERS = re.compile(r"[^\W\d_]+")


# The settings of the rule ``foreign-stretch`` (each stage that registers it has them).
SETTINGS = {
    "foreign_languages": ("fr de es it nl pt la", "the other languages a stretch of the text may be in, left as "
                                                  "printed (wordfreq's codes, and la; none: every stretch read as English)"),
    "foreign_min_words": (5, "the fewest words of a stretch (a sentence, a quotation, a title) judged so"),
    "foreign_margin": (1.0, "log10 odds a word the other language must read the stretch better by than English"),
    "foreign_known": (0.75, "...knowing at least this share of its words that either list knows..."),
    "foreign_known_freq": (1e-6, "...at least this common in it"),
    "foreign_rare": (0.4, "...where English finds at least this share of them..."),
    "foreign_rare_freq": (1e-5, "...rarer than this"),
    "foreign_markers": (2, "only a stretch with this many words of another language is read so: words of three "
                           "letters or more, rare in English..."),
    "foreign_marker_freq": (1e-5, "...and at least this common in one of the languages (a text that quotes "
                                  "none opens no list but these words)"),
}
_FLOOR = 1e-8          # the least frequency a word is given (one no list knows)


def _data_dir() -> Path | None:
    """wordfreq's data folder, found without importing wordfreq."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent / "data"


def available(lang: str) -> bool:
    """Does wordfreq ship a list of the language ``lang`` (a code such as ``fr``), or the
    package one (:data:`OWN_LISTS`)?"""
    if lang in OWN_LISTS:
        return True
    path = _list_path(lang) if re.fullmatch(r"[a-z]{2,3}", lang) else None
    return bool(path is not None and path.is_file())


def parse_languages(value: str) -> tuple[str, ...]:
    """The language codes of a setting (``"fr de es"``, commas allowed), each checked.

    >>> parse_languages("fr, de  it"), parse_languages("")
    (('fr', 'de', 'it'), ())
    """
    langs = tuple(w for w in re.split(r"[\s,]+", value.strip()) if w)
    check_languages(langs)
    return langs


def check_languages(langs: tuple[str, ...]) -> None:
    """A one-line ``ValueError`` for a language there is no list of, or English itself (a
    package list missing from the data folder: its :class:`~ocr_clean.lexicon.DataFileError`)."""
    for lang in langs:
        if lang == "en":
            raise ValueError("foreign_languages: 'en' is the language corrected, not another one")
        if lang in OWN_LISTS:
            data_file(OWN_LISTS[lang])
        elif not available(lang):
            raise ValueError(f"foreign_languages: wordfreq has no word list of {lang!r} "
                             f"(a code such as fr, de, es, it, nl, pt, or la)")


def _list_path(lang: str) -> Path | None:
    """The data file of the list of ``lang`` (the package's own, or wordfreq's), or None."""
    if lang in OWN_LISTS:
        try:
            return data_file(OWN_LISTS[lang])
        except DataFileError:
            return None
    folder = _data_dir()
    return folder / f"{LIST_SIZE}_{lang}.msgpack.gz" if folder else None


def read_own_list(path: Path) -> dict[str, float]:
    """A package word list (:data:`OWN_LISTS`): form -> frequency, forms folded to lower case
    (their counts added).

    >>> f = read_own_list(data_file(OWN_LISTS["la"]))
    >>> f["et"] > f["quae"] > 1e-4, "incolunt" in f
    (True, False)
    """
    out: dict[str, float] = {}
    for row in read_table(path):
        if len(row) < 2 or row[0] == "Form":
            continue
        try:
            per_billion = float(row[1])
        except ValueError:
            raise DataFileError(f"{path}: {row[1]!r} is no frequency (form {row[0]!r})") from None
        word = unicodedata.normalize("NFC", row[0].lower())
        out[word] = out.get(word, 0.0) + per_billion / 1e9
    return out


def _version(langs: tuple[str, ...]) -> str:
    parts = []
    for lang in langs:
        path = _list_path(lang)
        st = path.stat() if path is not None and path.is_file() else None
        parts.append(f"{lang}-{st.st_size}-{st.st_mtime_ns}" if st else lang)
    return "|".join(parts)


@functools.lru_cache(maxsize=8)
def _frequencies(langs: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """``{language: {word: frequency}}`` of wordfreq's lists and the package's own
    (:data:`OWN_LISTS`), from the disk cache when one was written for the same lists (keyed by
    their data files and the Python version)."""
    tag = hashlib.blake2b(f"{_version(langs)}|{sys.version_info[:2]}|{marshal.version}".encode(),
                          digest_size=8).hexdigest()

    def build() -> dict[str, dict[str, float]]:
        out = {lang: read_own_list(data_file(OWN_LISTS[lang])) for lang in langs if lang in OWN_LISTS}
        if len(out) < len(langs):
            from wordfreq import get_frequency_dict

            out.update({lang: get_frequency_dict(lang, LIST_SIZE) for lang in langs if lang not in out})
        return out

    return marshal_cached(f"languages-{tag}.marshal", build,
                          lambda got: isinstance(got, dict) and set(got) == set(langs))


@functools.lru_cache(maxsize=8)
def _markers(langs: tuple[str, ...], least: float) -> frozenset[str]:
    """The words of three letters or more at least ``least`` common in one of ``langs``: those
    a stretch must hold before the whole lists are opened (a set of words, kept on disk apart
    from the lists, so that a text that quotes no other language never reads them)."""
    tag = hashlib.blake2b(f"{_version(langs)}|{least!r}|{sys.version_info[:2]}|{marshal.version}".encode(),
                          digest_size=8).hexdigest()

    def build() -> list[str]:
        return sorted({w for f in _frequencies(langs).values() for w, x in f.items()
                       if x >= least and len(w) >= 3 and w.isalpha()})

    return frozenset(marshal_cached(f"languages-markers-{tag}.marshal", build,
                                    lambda got: isinstance(got, list) and bool(got)))


def from_settings(cfg, stage: str) -> "OtherLanguages":
    """The languages of the ``foreign_languages`` setting of ``stage`` (a one-line
    :class:`~ocr_clean.settings.ConfigError` naming the stage for a code there is no list of)."""
    try:
        return OtherLanguages(parse_languages(str(cfg["foreign_languages"])))
    except ValueError as exc:
        raise ConfigError(f"[stages.{stage}] {exc}") from None


class OtherLanguages:
    """The word frequencies of the languages ``langs`` (wordfreq's codes, and ``la``), read on
    first use."""

    def __init__(self, langs: tuple[str, ...]):
        self.langs = tuple(langs)
        self._freqs: dict[str, dict[str, float]] | None = None

    def freqs(self) -> dict[str, dict[str, float]]:
        if self._freqs is None:
            self._freqs = _frequencies(self.langs) if self.langs else {}
        return self._freqs

    def markers(self, least: float) -> frozenset[str]:
        """The words of three letters or more at least ``least`` common in one of the languages
        (read without the whole lists once they were kept on disk)."""
        return _markers(self.langs, least) if self.langs else frozenset()

    def freq(self, word: str, lang: str) -> float:
        """The frequency of ``word`` (lower case) in ``lang``: 0.0 for a word its list lacks."""
        return self.freqs()[lang].get(unicodedata.normalize("NFC", word), 0.0)


def reads_as(english, other, margin: float, known: float, rare: float, rare_log: float,
             known_log: float) -> float | None:
    """How much better (log10 a word) another language reads a stretch whose words have the
    log10 frequencies ``english`` and ``other`` (each at least a floor), or None where it is
    English: the other language must read it by ``margin`` a word more, know ``known`` of the
    words either list knows (at least ``known_log`` common: a name, a compound or a misread
    word neither knows counts for neither), and English must find ``rare`` of them rarer than
    ``rare_log`` (an English sentence full of foreign names is made of common words).

    >>> fr = ([-3.9, -8.0, -6.7, -8.0, -5.2], [-1.6, -3.3, -3.2, -4.0, -2.7])   # il vivait avec sa mere
    >>> round(reads_as(*fr, 1.0, 0.75, 0.4, -5.0, -6.0), 2)
    3.4
    >>> en = ([-1.3, -3.5, -4.0, -8.0, -1.6], [-3.0, -6.0, -5.5, -8.0, -4.0])   # the minutes were read
    >>> reads_as(*en, 1.0, 0.75, 0.4, -5.0, -6.0) is None
    True
    """
    n = len(english)
    if not n or len(other) != n:
        return None
    better = (sum(other) - sum(english)) / n
    if better < margin:
        return None
    listed = sum(1 for e, x in zip(english, other) if e >= known_log or x >= known_log)
    if sum(1 for x in other if x >= known_log) < known * listed:
        return None                                   # (a word neither list knows, a name, counts for neither)
    if sum(1 for e in english if e < rare_log) < rare * n:
        return None
    return better


class ForeignStretches:
    """The stretches of one ``text`` in another language, found where a stage asks (around an
    edit it would make), each read once.  A stretch runs between two ``_BOUNDARY`` marks (a
    sentence's end, a colon, a quotation mark, a bracket, a blank line), from its first letter
    to its last.
    ``english_freq``: a word's English frequency (lower case); ``cfg``: the settings of
    :data:`SETTINGS`.  English is asked first, then the other languages' commonest words: a
    stretch whose words English mostly knows well, or that holds fewer than ``foreign_markers``
    words of another language, loads no list (a text that quotes none never reads them)."""

    WINDOW = 2000

    def __init__(self, text: str, english_freq, langs: OtherLanguages, cfg) -> None:
        self.text, self.english_freq, self.langs = text, english_freq, langs
        self.min_words, self.margin = cfg["foreign_min_words"], cfg["foreign_margin"]
        self.known, self.rare = cfg["foreign_known"], cfg["foreign_rare"]
        self.rare_log, self.known_log = math.log10(cfg["foreign_rare_freq"]), math.log10(cfg["foreign_known_freq"])
        self.least_markers, self.marker_freq = cfg["foreign_markers"], cfg["foreign_marker_freq"]
        self._markers: frozenset[str] | None = None   # (the languages' marker words, asked once)
        self._read: dict[tuple[int, int], tuple[int, int, str, float] | None] = {}
        self._starts: list[int] | None = None         # the text's boundaries, when a stretch outgrew the window
        self._ends: list[int] = []

    def at(self, pos: int) -> tuple[int, int, str, float] | None:
        """The stretch around ``pos`` as (start, end, language, log10 odds a word the language
        reads it better than English), when one of the languages reads it so (:func:`reads_as`);
        else None.

        >>> cfg = {k: v[0] for k, v in SETTINGS.items()}
        >>> t = 'He said: "Il est ici, mon ami, avec sa mère." Yes, he did.'
        >>> s = ForeignStretches(t, {"he": 1e-3, "said": 4e-4, "yes": 4e-4, "did": 6e-4}.get, OtherLanguages(("fr",)), cfg)
        >>> a, b, lang, _ = s.at(15)
        >>> t[a:b], lang, s.at(50)
        ('Il est ici, mon ami, avec sa mère', 'fr', None)
        """
        if not self.langs.langs:
            return None
        key = self._around(pos)
        if key not in self._read:
            self._read[key] = self._reading(*key)
        return self._read[key]

    def _around(self, pos: int) -> tuple[int, int]:
        """The bounds of the stretch around ``pos``: the end of the last boundary before it
        and the start of the first after it (the text's edges where there is none).  Looked
        for within ``WINDOW`` characters; a stretch longer than that (a text without
        punctuation) has the text's boundaries found once, so that every place is answered by
        bisection and the work stays linear in the text."""
        text, window = self.text, self.WINDOW
        if self._starts is None:
            lo = 0 if pos <= window else None
            for m in _BOUNDARY.finditer(text, max(0, pos - window), pos):
                lo = m.end()
            m = _BOUNDARY.search(text, pos, pos + window)
            hi = m.start() if m else len(text) if pos + window >= len(text) else None
            if lo is not None and hi is not None:
                return lo, hi
            found = list(_BOUNDARY.finditer(text))
            self._starts, self._ends = [m.start() for m in found], [m.end() for m in found]
        j = bisect.bisect_right(self._ends, pos)
        i = bisect.bisect_left(self._starts, pos)
        return (self._ends[j - 1] if j else 0), (self._starts[i] if i < len(self._starts) else len(text))

    def _reading(self, lo: int, hi: int) -> tuple[int, int, str, float] | None:
        found = list(_LETTERS.finditer(self.text, lo, hi))
        if len(found) < self.min_words:
            return None
        words = [m.group().lower() for m in found]
        freq = self.english_freq
        english = [math.log10(max(freq(w) or 0.0, _FLOOR)) for w in words]
        if sum(1 for e in english if e < self.rare_log) < self.rare * len(words):
            return None                               # (English reads it: most of its words are common ones)
        if self._markers is None:
            self._markers = self.langs.markers(self.marker_freq)
        markers, rare_log = self._markers, self.rare_log
        if len({w for w, e in zip(words, english) if e < rare_log and w in markers}) < self.least_markers:
            return None                               # (OCR fragments, a name or two: no other language's words)
        best = None
        for lang in self.langs.langs:
            other = [math.log10(max(self.langs.freq(w, lang), _FLOOR)) for w in words]
            got = reads_as(english, other, self.margin, self.known, self.rare, self.rare_log, self.known_log)
            if got is not None and (best is None or got > best[1]):
                best = (lang, got)
        return None if best is None else (found[0].start(), found[-1].end(), best[0], round(best[1], 2))


def withheld(e: Edit, stretch: tuple[int, int, str, float], rule: str = "foreign-stretch") -> Edit:
    """The edit ``e``, proposed inside ``stretch`` (start, end, language, log10 odds a word),
    as the ``rule``'s rejection of it: the text is left as printed, the ledger says what was
    withheld and why.

    >>> x = withheld(Edit(4, 10, "visit", "ocr-confusion", 0.9, "scored", note="i/a"), (0, 40, "fr", 2.81))
    >>> x.status, x.rule, x.after, x.evidence["language"], x.evidence["withheld"]
    ('rejected', 'foreign-stretch', 'visit', 'fr', 'ocr-confusion')
    """
    a, b, lang, odds = stretch
    evidence = {"language": lang, "odds": odds, "stretch_length": b - a, "withheld": e.rule}
    if e.evidence:
        evidence["reading"] = dict(e.evidence)
    note = (f"inside {b - a} characters in {NAMES.get(lang, lang)} (wordfreq's {lang} list reads them "
            f"{odds:.1f} log10 a word likelier than English): {e.rule}'s reading withheld, the text left "
            f"as printed" + (f" ({e.note})" if e.note else ""))
    return Edit(e.start, e.end, e.after, rule, e.confidence, REJECTED, e.candidates, note, evidence=evidence)


def withhold_inside(edits: list[Edit], stretch_at, kept) -> list[Edit]:
    """``edits`` with each one that ``kept`` accepts (one the policy would keep) and that
    ``stretch_at(its start)`` finds inside a stretch in another language made its rejection
    (:func:`withheld`); the others as they are, in order."""
    out = []
    for e in edits:
        st = stretch_at(e.start) if kept(e) else None
        out.append(withheld(e, st) if st else e)
    return out


def foreign_stretch(stretches: ForeignStretches, pos: int) -> tuple[int, int, str, float] | None:
    """The stretch around ``pos`` that another language reads far better than English, as
    (start, end, language, log10 odds a word), or None: :meth:`ForeignStretches.at`.  Each stage
    that corrects by English registers it as its rule ``foreign-stretch`` (:func:`stretch_rule`).

    >>> cfg = {k: v[0] for k, v in SETTINGS.items()}
    >>> t = "The minutes were read. Es war einmal ein König, der hatte drei Töchter."
    >>> english = {"the": 5e-2, "minutes": 3e-5, "were": 5e-3, "read": 4e-4}.get
    >>> s = ForeignStretches(t, english, OtherLanguages(("fr", "de")), cfg)
    >>> foreign_stretch(s, 5), foreign_stretch(s, 30)[2]
    (None, 'de')
    """
    return stretches.at(pos)


def stretch_rule(stage: str, help: str):
    """:func:`foreign_stretch` registered as the rule ``foreign-stretch`` of ``stage``, with the
    settings of :data:`SETTINGS` and the stage's own line of ``help`` (each stage that
    corrects by English has the rule, and its settings, as its own)."""
    def of_stage(stretches: ForeignStretches, pos: int) -> tuple[int, int, str, float] | None:
        return foreign_stretch(stretches, pos)

    of_stage.__name__ = "foreign_stretch"
    of_stage.__qualname__ = f"foreign_stretch[{stage}]"
    of_stage.__doc__ = foreign_stretch.__doc__
    return rule("foreign-stretch", stage=stage, settings=SETTINGS, help=help)(of_stage)
