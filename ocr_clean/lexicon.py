"""Every dictionary look-up in one place.

Two sources of evidence, always kept apart so a stage can weigh them:

* **English**: word frequencies from wordfreq (a general English list, no network),
  plus the user's own word lists: ``user_words.txt`` of the data directory, and a file
  of the user's choosing (``$OCR_CLEAN_USER_WORDS``: one word a line);
* **the book**: the vocabulary and word pairs counted from the text being cleaned,
  at run time (:class:`BookVocab`).  A word the book spells the same way forty times
  is strong evidence; nothing about one particular book is written into the code.

Both costly things are cached on disk (``$OCR_CLEAN_CACHE``, else ``~/.cache/ocr_clean``),
keyed by what they were built from: the English list as a ``marshal`` file (read in a third
of the time wordfreq takes, without importing wordfreq), and the symspellpy index for
edit-distance candidates.
"""
from __future__ import annotations

import collections
import functools
import hashlib
import marshal
import os
import pickle
import re
import sys
import tempfile
from itertools import compress
from operator import add
from pathlib import Path
from typing import Iterable

import regex

# What a word is, for the whole package: letters (any script) with inner apostrophes.
WORD = regex.compile(r"\p{L}+(?:['\u2019]\p{L}+)*")


def token_chars(extra: str = "") -> str:
    """The characters of a token of the text, as a regex class: a WORD's letters, digits
    (OCR reads letters as digits: ``t6e``, ``Counci1``), and ``extra``, characters a stage
    reads as letters too (long s, the replacement character)."""
    return r"[\p{L}\p{N}" + "".join(extra) + "]"


def token_pattern(extra: str = "") -> "regex.Pattern":
    """A token of the text: a WORD that may hold digits and ``extra`` (:func:`token_chars`),
    with inner apostrophes: what the correcting stages look at."""
    ch = token_chars(extra)
    return regex.compile(rf"{ch}+(?:['\u2019]{ch}+)*")
# A character no WORD can hold: an ASCII character that is neither a letter nor an
# apostrophe.  (Every other character is taken as a possible letter, so the words around
# an edit are never under-counted.)
NOT_IN_WORD = re.compile(r"[\x00-\x26\x28-\x40\x5b-\x60\x7b-\x7f]")
PACKAGE_DIR = Path(__file__).resolve().parent


class DataFileError(ValueError):
    """A data file a stage needs is missing or unreadable (one line: what and where)."""


def dictionaries_dir() -> Path:
    """Where the data files live: ``$OCR_CLEAN_DICTIONARIES``, else the package's own
    ``ocr_clean/dictionaries/`` (package data: the same place in a wheel, an sdist and an
    editable install)."""
    env = os.environ.get("OCR_CLEAN_DICTIONARIES")
    if env:
        return Path(env)
    return PACKAGE_DIR / "dictionaries"


def data_file(name: str) -> Path:
    """The path of the data file ``name``; :class:`DataFileError` when it is not there."""
    path = dictionaries_dir() / name
    if not path.is_file():
        where = "$OCR_CLEAN_DICTIONARIES" if os.environ.get("OCR_CLEAN_DICTIONARIES") else "the installed package"
        raise DataFileError(f"data file {name} not found in {path.parent} ({where}); "
                            "reinstall ocr-clean or point $OCR_CLEAN_DICTIONARIES at a folder that has it")
    return path


def cache_dir() -> Path:
    env = os.environ.get("OCR_CLEAN_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ocr_clean"


def _read_data(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"data file {path} not found") from None
    except IsADirectoryError:
        raise DataFileError(f"data file {path} is a folder, not a file") from None
    except OSError as exc:
        raise DataFileError(f"data file {path} cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(f"data file {path} is not UTF-8 text (byte {exc.start})") from None


def read_word_list(path: Path) -> list[str]:
    """One entry a line; ``#`` starts a comment; blank lines ignored.  A missing or
    unreadable file is a :class:`DataFileError`, never an empty list."""
    out = []
    for line in _read_data(path).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def read_table(path: Path) -> list[list[str]]:
    """A tab-separated data file; ``#`` lines are comments.  A missing or unreadable file
    is a :class:`DataFileError`, never an empty table."""
    rows = []
    for line in _read_data(path).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append(line.rstrip("\n").split("\t"))
    return rows


def user_word_files(directory: Path | None = None, extra: Path | str | None = None) -> list[Path]:
    """The user's word lists: ``user_words.txt`` of the data directory (when there is
    one), the file named by ``$OCR_CLEAN_USER_WORDS`` and ``extra`` (a config's
    ``user_words``).  The two named by the user must exist."""
    directory = Path(directory) if directory else dictionaries_dir()
    files = [p for p in (directory / "user_words.txt",) if p.is_file()]
    for named in (os.environ.get("OCR_CLEAN_USER_WORDS"), extra):
        if named:
            p = Path(named).expanduser()
            if not p.is_file():
                raise DataFileError(f"user word list {p} not found")
            files.append(p)
    return files


_ASCII = bytes(range(128))


def beyond_ascii(text: str) -> str:
    """The characters of ``text`` that are not ASCII, in order.  The bytes are dropped in C
    (the UTF-8 of a character beyond ASCII has no ASCII byte): faster than a search."""
    return text.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode("utf-8", "surrogatepass")


def word_finder(text: str):
    """``WORD`` for this text in the standard ``re`` engine: the same words, found about
    three times faster.  Its letters are the ASCII letters and those other characters of
    ``text`` that ``WORD`` takes for letters (``\\p{L}``)."""
    others = sorted(c for c in set(beyond_ascii(text)) if WORD.fullmatch(c))
    letter = "[A-Za-z" + "".join(map(re.escape, others)) + "]"
    return re.compile(f"{letter}+(?:['\u2019]{letter}+)*")


def book_words(text: str) -> list[str]:
    """Every word of ``text`` as ``WORD`` finds them, in order."""
    return word_finder(text).findall(text)


class BookVocab:
    """Counts of the book's own words (case kept and folded) and, when first asked for,
    of its word pairs (the pairs cost more than the words: most runs never need them).

    A vocabulary can be :meth:`revise`\\ d when a few words of its text change (as
    :meth:`ocr_clean.document.Document.vocab` does after each stage) instead of being
    counted again; its counts are then exactly those of the new text."""

    def __init__(self, words: list[str], text: str | None = None) -> None:
        self._words: list[str] | None = words
        self._text = text
        self.counts = collections.Counter(words)
        self.lower: collections.Counter = collections.Counter()
        for w, n in self.counts.items():
            self.lower[w.lower()] += n
        self.total = len(words)
        self._bigrams: collections.Counter | None = None
        self._folded: list[str] | None = None

    @classmethod
    def from_text(cls, text: str) -> "BookVocab":
        return cls(book_words(text), text)

    @property
    def words(self) -> list[str]:
        """The words in text order (found again from the text after a :meth:`revise`)."""
        if self._words is None:
            self._words = book_words(self._text or "")
        return self._words

    def folded(self) -> list[str]:
        """The words in text order, in lower case (each distinct word lowered once); kept
        until the vocabulary is revised."""
        if self._folded is None:
            lower_of = {w: w.lower() for w in self.counts}
            self._folded = list(map(lower_of.__getitem__, self.words))
        return self._folded

    @property
    def bigrams(self) -> collections.Counter:
        """Every pair of adjacent words (case folded) and its uses: the costliest count
        (a table of the book's pairs); :meth:`pair_counts` and :meth:`pairs_joining` count
        the pairs a stage asks about without it."""
        if self._bigrams is None:
            low = self.folded()
            self._bigrams = collections.Counter(zip(low, low[1:]))
        return self._bigrams

    def count(self, word: str, *, fold: bool = True) -> int:
        return self.lower.get(word.lower(), 0) if fold else self.counts.get(word, 0)

    def pair(self, a: str, b: str) -> int:
        return self.bigrams.get((a.lower(), b.lower()), 0)

    def pair_counts(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """``bigrams[a, b]`` of each pair of ``wanted`` (words in lower case), 0 for a pair
        the book does not write, counted at once: only the places of the pairs' first words
        are read, and no table of every pair is made.

        >>> BookVocab.from_text("The cat. the cat sat").pair_counts([("the", "cat"), ("cat", "the"), ("a", "b")])
        {('a', 'b'): 0, ('cat', 'the'): 1, ('the', 'cat'): 2}
        """
        wanted = set(wanted)
        out = dict.fromkeys(sorted(wanted), 0)
        if not wanted:
            return out
        low = self.folded()
        firsts = {a for a, _ in wanted}
        at = list(compress(range(len(low) - 1), map(firsts.__contains__, low)))
        pairs = zip(map(low.__getitem__, at), map(low.__getitem__, map((1).__add__, at)))
        for pair, n in collections.Counter(filter(wanted.__contains__, pairs)).items():
            out[pair] = n
        return out

    def pairs_joining(self, joinable: set[str] | frozenset[str]) -> collections.Counter:
        """The pairs of adjacent words (case folded) that make a word of ``joinable`` written
        together, with their uses (``bigrams`` of those pairs: every use of such a pair),
        found with one concatenation a pair and no table of every pair.

        >>> BookVocab.from_text("it self, It self and the itself").pairs_joining({"itself"})
        Counter({('it', 'self'): 2})
        """
        low = self.folded()
        nxt = low[1:]
        hits = list(map(joinable.__contains__, map(add, low, nxt)))
        return collections.Counter(zip(compress(low, hits), compress(nxt, hits)))

    def revise(self, text: str, removed: list[str], added: list[str]) -> None:
        """Become the vocabulary of ``text``: this one's text with the words ``removed``
        taken out and ``added`` put in (a word whose count falls to 0 is gone, as it is
        from a new count).  The word pairs are counted again from ``text`` if asked for."""
        counts, lower = self.counts, self.lower
        for w in removed:
            k = counts[w] - 1
            if k:
                counts[w] = k
            else:
                del counts[w]
            lw = w.lower()
            k = lower[lw] - 1
            if k:
                lower[lw] = k
            else:
                del lower[lw]
        for w in added:
            counts[w] += 1
            lower[w.lower()] += 1
        self.total += len(added) - len(removed)
        self._text, self._words, self._bigrams, self._folded = text, None, None, None

    def revise_edits(self, old: str, new: str, spans: list[tuple[int, int, int]]) -> None:
        """Become the vocabulary of ``new``, made from ``old`` (this one's text) by the edits
        ``spans`` (start, end, length of the new text; in ``old``, in order).  Each edit's
        region is widened to characters no word can hold on both sides (edits whose regions
        touch make one), so the words of the region are the same whether read alone or as
        part of the whole text; the region's words in ``old`` are taken out, those in ``new``
        put in (:meth:`revise`)."""
        removed: list[str] = []
        added: list[str] = []
        find_bound, bound_at = NOT_IN_WORD.search, NOT_IN_WORD.match
        delta, i, n = 0, 0, len(spans)
        while i < n:
            s, e, k = spans[i]
            left = s
            while left > 0 and not bound_at(old, left - 1):
                left -= 1
            m = find_bound(old, e)
            right = m.start() if m else len(old)
            grow = k - (e - s)
            i += 1
            while i < n and spans[i][0] <= right:
                s, e, k = spans[i]
                m = find_bound(old, e)
                right = max(right, m.start() if m else len(old))
                grow += k - (e - s)
                i += 1
            removed += WORD.findall(old, left, right)
            added += WORD.findall(new, left + delta, right + delta + grow)
            delta += grow
        self.revise(new, removed, added)


class Lexicon:
    """English frequencies + user words + (per text) the book's vocabulary."""

    def __init__(self, english: dict[str, float], user_words: set[str] | None = None,
                 protected: set[str] | None = None, source_key: str = "") -> None:
        self.english = english
        self.user_words = set(user_words or ())
        self.user_lower = {w.lower() for w in self.user_words}
        self.protected = set(protected or ())
        # (before, after) word pairs a person accepted in review (the pipeline sets them
        # from the review's lessons): their glyph rules weigh in the confusion profile
        self.learned_pairs: tuple[tuple[str, str], ...] = ()
        self.source_key = source_key
        self._symspell = None
        self._book_cache: dict[str, BookVocab] = {}

    # -- construction --------------------------------------------------------------------
    @classmethod
    def load(cls, directory: Path | None = None, extra_words: set[str] | None = None,
             user_words: Path | str | None = None) -> "Lexicon":
        directory = Path(directory) if directory else dictionaries_dir()
        user = set(extra_words or ())
        for p in user_word_files(directory, user_words):
            user |= set(read_word_list(p))
        prot = directory / "protected_words.txt"
        protected = set(read_word_list(prot)) if prot.is_file() else set()
        english = _english_frequencies()
        key = hashlib.blake2b(
            ("\n".join(sorted(user)) + "\x1f" + _english_version() + "\x1f" + str(len(english))).encode("utf-8"),
            digest_size=8).hexdigest()
        return cls(english, user, protected, key)

    # -- English -------------------------------------------------------------------------
    def freq(self, word: str) -> float:
        """Relative frequency of ``word`` in general English (0.0 when unknown)."""
        return self.english.get(word.lower(), 0.0)

    def freq_lower(self, word: str) -> float:
        """:meth:`freq` of a word the caller has already lower-cased (the words stage asks
        a million times a collection: no ``.lower()`` each time).  Each lexicon answers it
        through a plain function of its ``english`` table (:meth:`__setattr__`): the same
        answers, without a method's binding on each of the ~330,000 calls of a book."""
        return self.english.get(word, 0.0)

    def __setattr__(self, name: str, value) -> None:
        """Set an attribute; setting ``english`` also binds :meth:`freq_lower` to the new table."""
        object.__setattr__(self, name, value)
        if name == "english":
            get = value.get

            def freq_lower(word: str) -> float:
                return get(word, 0.0)

            freq_lower.__doc__ = Lexicon.freq_lower.__doc__
            object.__setattr__(self, "freq_lower", freq_lower)

    def __getstate__(self) -> dict:
        """The lexicon's fields for pickle and copy, without the bound ``freq_lower`` (a
        function of the table: made again from ``english`` by :meth:`__setstate__`)."""
        state = dict(self.__dict__)
        state.pop("freq_lower", None)
        return state

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    def is_english(self, word: str) -> bool:
        w = word.lower()
        return w in self.english or w in self.user_lower

    def is_known(self, word: str, book: BookVocab | None = None, min_book: int = 2) -> bool:
        """Known to English, the user's list, or used at least ``min_book`` times in the book."""
        if self.is_english(word) or word in self.protected:
            return True
        return book is not None and book.count(word) >= min_book

    # -- the book ------------------------------------------------------------------------
    def book(self, text: str) -> BookVocab:
        """The vocabulary of ``text`` (cached for the last few texts seen)."""
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        vocab = self._book_cache.get(key)
        if vocab is None:
            if len(self._book_cache) > 8:
                self._book_cache.clear()
            vocab = self._book_cache[key] = BookVocab.from_text(text)
        return vocab

    def forget_books(self) -> None:
        """Drop the book vocabularies kept by :meth:`book` (a batch worker between books)."""
        self._book_cache.clear()

    # -- edit-distance candidates --------------------------------------------------------
    def symspell(self, max_distance: int = 2):
        """A symspellpy index of English + user words, cached on disk."""
        if self._symspell is None:
            self._symspell = _load_symspell(self, max_distance)
        return self._symspell


ENGLISH_LIST = ("en", "large")   # wordfreq's language and list


def _english_file() -> Path | None:
    """wordfreq's data file of the English list, found without importing wordfreq."""
    import importlib.util

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.origin:
        return None
    lang, size = ENGLISH_LIST
    path = Path(spec.origin).parent / "data" / f"{size}_{lang}.msgpack.gz"
    return path if path.is_file() else None


def _english_version() -> str:
    """What the English list is: its data file's name, size and time (a new wordfreq release
    rewrites it).  Part of every cache key built from the list."""
    src = _english_file()
    if src is None:
        return "wordfreq"
    st = src.stat()
    return f"wordfreq-{src.name}-{st.st_size}-{st.st_mtime_ns}"


@functools.lru_cache(maxsize=1)
def _english_frequencies() -> dict[str, float]:
    """wordfreq's English frequencies, read from a cache file when one was written for the
    same list (``marshal``: three times faster to read than wordfreq's own file, and
    ``import wordfreq`` itself is skipped).  The cache is keyed by the list's data file and
    the Python version; a missing, stale or broken cache is rebuilt from wordfreq."""
    tag = hashlib.blake2b(f"{_english_version()}|{sys.version_info[:2]}|{marshal.version}".encode(),
                          digest_size=8).hexdigest()

    def build() -> dict[str, float]:
        from wordfreq import get_frequency_dict

        return get_frequency_dict(*ENGLISH_LIST)

    return marshal_cached(f"english-{tag}.marshal", build, lambda got: isinstance(got, dict) and bool(got))


def marshal_cached(name: str | None, build, valid):
    """``build()``, kept on disk as ``marshal`` in :func:`cache_dir` under ``name`` (a key
    that names what it was built from): read from there when a copy that ``valid`` accepts
    was written before, else built and written.  A missing, stale or broken file is rebuilt;
    ``name`` None: built, never kept."""
    path = cache_dir() / name if name else None
    if path is not None:
        try:
            got = marshal.loads(path.read_bytes())
            if valid(got):
                return got
        except (OSError, EOFError, ValueError, TypeError):
            pass
    got = build()
    if path is not None:
        _write_cache(path, marshal.dumps(got))
    return got


def _write_cache(path: Path, data: bytes) -> None:
    """Write a cache file atomically; a cache that cannot be written is simply not kept."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def _load_symspell(lex: Lexicon, max_distance: int):
    from symspellpy import SymSpell

    key = f"symspell-{max_distance}-{lex.source_key}.pickle"
    path = cache_dir() / key
    if path.is_file():
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except Exception:  # a stale or broken cache is rebuilt
            pass
    sym = SymSpell(max_dictionary_edit_distance=max_distance, prefix_length=7)
    for w, f in lex.english.items():
        if w.isalpha():
            sym.create_dictionary_entry(w, max(1, int(f * 1e9)))
    for w in lex.user_words:
        sym.create_dictionary_entry(w.lower(), 1000)
    _write_cache(path, pickle.dumps(sym, protocol=pickle.HIGHEST_PROTOCOL))
    return sym
