"""Run the stages in order over a document; hand uncertain edits to the review queue.

    >>> from ocr_clean import Pipeline
    >>> result = Pipeline().run("the lnost decisive events \\nin 1930 .\\n")
    >>> result.text, len(result.queued)

The batch API is this one in a loop (:meth:`Pipeline.pipe`), not a second code path.
"""
from __future__ import annotations

import gc
import re
from bisect import bisect_left
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

from .config import Config
from .document import Document
from .in_processes import clean_in_processes, jobs_for
from .ledger import GUESSED, IN_OUTPUT, QUEUED, REJECTED, Edit, Ledger
from .lexicon import BookVocab, Lexicon
from .policy import for_review
from .profile import ScanProfile, measure, with_collection
from .review_port import Lessons, ReviewPort
from .stages import REGISTRY, Stage


_CR = re.compile(r"\r\n?")


@dataclass
class Result:
    """The cleaned text, the document (raw text + ledger) and timings."""

    document: Document
    timings: dict[str, float] = field(default_factory=dict)
    review_below: float = Config.review_below   # the pipeline's config sets it

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def ledger(self) -> Ledger:
        return self.document.ledger

    @property
    def edits(self) -> list[Edit]:
        return list(self.document.ledger)

    @property
    def applied(self) -> list[Edit]:
        return [e for e in self.document.ledger if e.status in IN_OUTPUT]

    @property
    def queued(self) -> list[Edit]:
        return [e for e in self.document.ledger.loose() if e.status == QUEUED]

    @property
    def for_review(self) -> list[Edit]:
        """What a person should see: the queued edits, and applied ones the stage was unsure of
        (confidence below the pipeline config's ``review_below``).  (The packed plain edits,
        of confidence 1, are never among them unless ``review_below`` is above 1.)"""
        led = self.document.ledger
        return for_review(led.loose() if self.review_below <= 1.0 else led, self.review_below)


_GC = {"runs": 0, "was_on": False}
_GC_LOCK = threading.Lock()


class _gc_paused:
    """The cyclic collector paused while any thread runs a pipeline, and restored as it was
    when the last run ends (a counter: runs in several threads overlap)."""

    def __enter__(self) -> None:
        with _GC_LOCK:
            if _GC["runs"] == 0:
                _GC["was_on"] = gc.isenabled()
                gc.disable()
            _GC["runs"] += 1

    def __exit__(self, *exc) -> None:
        with _GC_LOCK:
            _GC["runs"] -= 1
            if _GC["runs"] == 0 and _GC["was_on"]:
                gc.enable()


class Pipeline:
    """The configured stages, in order."""

    def __init__(self, config: Config | None = None, *, lexicon: Lexicon | None = None,
                 review: ReviewPort | None = None, lessons: Lessons | None = None,
                 skip: Iterable[str] = ()) -> None:
        self.config = (config or Config()).with_skip(skip)
        unknown = [n for n in (*self.config.order, *self.config.skip) if n not in REGISTRY]
        if unknown:
            raise ValueError(f"unknown stage(s): {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
        self.review = review
        self._lock = threading.RLock()
        # What a person taught through the review (the review's lessons, or those given):
        # accepted forms are words of the book, rejected raw forms are protected from the
        # same fix, accepted pairs weigh their rules in the confusion profile.  All of it is
        # evidence the stages read from the lexicon.
        self.lessons = lessons if lessons is not None else Lessons.of(review)
        self.lexicon = lexicon or Lexicon.load(extra_words=set(self.lessons.words))
        self.lexicon.protected |= set(self.lessons.rejected)
        if self.lessons.pairs:
            self.lexicon.learned_pairs = tuple(self.lessons.pairs)
        self.stages: list[Stage] = [
            REGISTRY[n](self.config.stages.get(n), self.lexicon)
            for n in self.config.order if n not in self.config.skip
        ]

    def warm(self) -> "Pipeline":
        """Load every table and index the stages would load on first use, now (a long-running
        ingestion service or a batch worker calls it once at start); returns the pipeline."""
        for stage in self.stages:
            stage.warm()
        return self

    @property
    def stage_names(self) -> list[str]:
        return [s.name for s in self.stages]

    def _decider(self, name: str):
        review, guess = self.review, self.config.guess
        if review is None and not guess:
            return None

        def decide(edit: Edit):
            if review is not None:
                d = review.decision(name, edit)
                if d is not None:
                    return d
            if guess and edit.status == QUEUED and edit.after != edit.before:
                return GUESSED, edit.after
            return None

        return decide

    def run(self, text: str, name: str = "", *, profile: ScanProfile | None = None,
            collection: BookVocab | None = None) -> Result:
        """Clean ``text``.  Safe from many threads: the stages keep state while they run, so
        the runs of one pipeline take turns (for texts cleaned side by side, give each thread
        its own pipeline, as :func:`clean_text` does).  ``profile``: the habits of the collection
        the text belongs to (:meth:`measure_collection`), which hold where the text alone is too
        short to tell; ``collection``: the words of that collection, counted once
        (:meth:`count_collection`), weighed by the stages beside the text's own."""
        _check_text(text)
        with self._lock:
            return self._run(text, name, profile, collection)

    def measure_collection(self, texts: list[str]) -> ScanProfile:
        """The scan profile of a collection (its texts read as one), with the [scan] table."""
        return measure("\n\n".join(t.replace("\r\n", "\n") for t in texts), self.config.scan,
                       is_word=self.lexicon.is_english, freq=self.lexicon.freq_lower)

    def count_collection(self, texts: list[str]) -> BookVocab:
        """The words of a collection (its texts read as one), counted once."""
        return BookVocab.from_text("\n\n".join(texts))

    def _run(self, text: str, name: str, shared: ScanProfile | None = None,
             collection: BookVocab | None = None) -> Result:
        doc = Document(raw=text, name=name, collection=collection)
        if not text:            # nothing to clean: nothing added (not even a final line break)
            return Result(doc, {}, self.config.review_below)
        if "\r" in text:   # line ends as files have them after ocr_clean.io: recorded, so undone too
            doc.apply("input", [Edit(m.start(), m.end(), "\n", "line-end") for m in _CR.finditer(text)])
        # the scan's habits, measured once before any stage (the [scan] table overrides them)
        doc.profile = measure(doc.text, self.config.scan, is_word=self.lexicon.is_english, freq=self.lexicon.freq_lower)
        if shared is not None:
            doc.profile = with_collection(doc.profile, shared)
        doc.decide = self._decider(name)
        timings: dict[str, float] = {}
        # The stages make hundreds of thousands of small objects and no reference cycles:
        # the cyclic garbage collector, which would walk them over and over, is paused for
        # the run (reference counting still frees everything) and restored afterwards.
        with _gc_paused():
            for stage in self.stages:
                t0 = time.perf_counter()
                stage(doc)
                timings[stage.name] = time.perf_counter() - t0
        doc.decide = None
        set_aside_superseded(doc.ledger)
        result = Result(doc, timings, self.config.review_below)
        if self.review is not None:
            # a person reviews an edit in the line as the output reads (every stage done), not
            # in the half-cleaned text the stage saw; the ledger keeps the stage's context
            self.review.submit(name, [replace(e, context=doc.final_context(e)) for e in result.for_review])
        return result

    def pipe(self, texts: Iterable[tuple[str, str]]) -> Iterator[Result]:
        """Clean many ``(name, text)`` pairs with the same stages."""
        for name, text in texts:
            yield self.run(text, name)


def set_aside_superseded(ledger: Ledger) -> int:
    """A queued edit whose raw text a later stage's edit rewrote as a whole (the words stage's
    ``l t`` -> ``it`` inside the flattened footnote marker ``l t-!`` -> ``[^114]``; or the same
    reading, which the later stage was sure enough to apply) is no question for a person:
    the text there is the later edit's, and taking the queued one would take its text from
    under that edit.  It is marked rejected, its note saying by what.  Returns how many.

    >>> led = Ledger()
    >>> _ = led.add_batch("words", [Edit(1, 4, "it", "w", 0.5, QUEUED, raw_start=1, raw_end=4)])
    >>> _ = led.add_batch("footnotes", [Edit(0, 6, "[^1]", "m", stage="footnotes", raw_start=0, raw_end=6)])
    >>> set_aside_superseded(led), led.batches[0][0].status
    (1, 'rejected')
    """
    queued = sorted((e for e in ledger.loose() if e.status == QUEUED and e.raw_end > e.raw_start),
                    key=lambda e: e.raw_start)
    if not queued:
        return 0
    starts = [e.raw_start for e in queued]
    first = min(e.batch for e in queued)
    n = 0
    for b, batch in enumerate(ledger.batches):
        if b <= first:
            continue
        for e in _rewriters(batch, starts):
            if e.status not in IN_OUTPUT or e.raw_end <= e.raw_start:
                continue
            i = bisect_left(starts, e.raw_start)
            while i < len(queued) and starts[i] < e.raw_end:
                q = queued[i]
                if q.status == QUEUED and q.batch < b and q.raw_end <= e.raw_end:
                    q.status = REJECTED
                    how = "applied the same reading" if (q.raw_start, q.raw_end, q.after) == \
                        (e.raw_start, e.raw_end, e.after) else "rewrote it"
                    q.note = (q.note + "; " if q.note else "") + f"set aside: {e.stage}:{e.rule} {how}"
                    n += 1
                i += 1
    return n


def _rewriters(batch, starts: list[int]) -> list[Edit]:
    """The edits of ``batch`` that may rewrite a queued edit's raw text (those whose raw span
    holds one of the raw ``starts``, sorted), in the batch's order; a packed batch's rows are
    looked at as numbers, and only those that hold one made edits of (the batch stays packed)."""
    holding = getattr(batch, "rows_holding", None)
    hits = holding(starts) if holding is not None else None
    if hits is None:
        return batch
    return sorted([*batch.loose_edits(), *map(batch.unpacked_row, hits)], key=lambda e: (e.start, e.end))


def clean_text(text: str, *, config: Config | None = None, skip: Iterable[str] = (),
               name: str = "") -> Result:
    """Clean one text in memory; no file is touched."""
    return _default_pipeline(config, tuple(skip)).run(text, name)


def clean_texts(texts: Iterable[str], *, config: Config | None = None, skip: Iterable[str] = (),
                names: Iterable[str] | None = None, review: ReviewPort | None = None,
                jobs: int | None = None) -> list[Result]:
    """Clean a collection in memory (a newspaper run, a book cut into pages, the records of a
    JSONL file): one :class:`Result` per text, in order, each with its own text and ledger.
    The scan profile is measured for the collection too: where a text alone is too short to
    show a habit, the collection's holds.  No file is touched.

    ``review`` is the review port, as for ``Pipeline(review=...)``: its decisions and lessons
    are used, and each text's uncertain edits are submitted to it under the text's name.

    ``jobs``: the processes to clean on (:mod:`ocr_clean.in_processes`; the results are the same
    as in one).  By default one per core for a large collection (``MIN_PER_JOB`` texts each at
    least), one for a small one, and always one with a ``review`` port (it lives here)."""
    texts = list(texts)
    for t in texts:
        _check_text(t)                                 # (before any work)
    names = [str(i) for i in range(len(texts))] if names is None else list(names)
    if len(names) != len(texts):
        raise ValueError(f"{len(names)} names for {len(texts)} texts")
    n_jobs = jobs_for(jobs, len(texts))               # (checked before any work too)
    if review is None:
        pipe = _default_pipeline(config, tuple(skip))
    else:
        lessons = Lessons.of(review)
        # the lessons change the lexicon: a pipeline of its own then, else the shared one
        own = lessons.words or lessons.rejected or lessons.pairs
        pipe = Pipeline(config, skip=skip, review=review, lessons=lessons,
                        lexicon=None if own else _shared_lexicon())
    # the collection's habits, measured once: they hold for a text too short to show its own
    together = len(texts) > 1
    shared = pipe.measure_collection(texts) if together else None
    # ...and its words: a name or a period spelling that recurs across the collection is a
    # word of it, a short text gets a book's worth of evidence
    words = pipe.count_collection(texts) if together else None
    if n_jobs > 1 and review is None:
        return clean_in_processes(texts, names, (_default_pipeline, config, tuple(skip), shared, words), n_jobs)
    return [pipe.run(t, n, profile=shared, collection=words) for n, t in zip(names, texts)]


def _check_text(text) -> None:
    """A text to clean is a str: anything else is the caller's mistake, said in one line."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}"
                        + (" (decode the bytes first, e.g. data.decode('utf-8'))"
                           if isinstance(text, (bytes, bytearray)) else ""))


# The default pipelines of clean_text / clean_texts: one per thread (a stage keeps state while
# it runs, so two threads never share one), all reading one Lexicon (read-only while cleaning)
# built once per process.
_LOCAL = threading.local()
_SHARED: dict[str, Lexicon] = {}
_SHARED_LOCK = threading.Lock()


def _shared_lexicon() -> Lexicon:
    with _SHARED_LOCK:
        lex = _SHARED.get("lexicon")
        if lex is None:
            lex = _SHARED["lexicon"] = Lexicon.load()
        return lex


def _default_pipeline(config: Config | None, skip: tuple[str, ...]) -> Pipeline:
    if config is not None:
        return Pipeline(config, skip=skip, lexicon=_shared_lexicon())
    pipes = getattr(_LOCAL, "pipelines", None)
    if pipes is None:
        pipes = _LOCAL.pipelines = {}
    if skip not in pipes:
        pipes[skip] = Pipeline(skip=skip, lexicon=_shared_lexicon())
    return pipes[skip]
