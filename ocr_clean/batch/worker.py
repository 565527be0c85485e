"""The worker side of a batch: one pipeline per process, one call per file
(:func:`clean_task`), whatever runs the workers (:mod:`ocr_clean.executors`)."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .. import executors
from ..config import Config
from ..formats.options import Options as FormatOptions
from ..ledger import QUEUED, REJECTED, Edit
from ..pipeline import Pipeline, Result
from ..review.store import ReviewStore, is_word_form
from ..review_port import Lessons
from .files import clean_file
from .report import FileReport


class DecisionMap:
    """A review sink backed by a plain dict of decisions (id -> (status, text)).

    This is what a worker gets instead of the review database: picklable, read-only
    decisions in, the new uncertain edits collected in ``submitted`` for the caller
    to hand to the real store.  ``rejected_pairs`` are ``(before, after)`` fixes a
    person rejected anywhere: a queued edit making one again is kept out, as the
    store itself does (``ReviewStore.protect_alike``).
    """

    def __init__(self, decisions: dict[str, tuple[str, str]] | None = None,
                 rejected_pairs: Iterable[tuple[str, str]] = ()) -> None:
        self.decisions = dict(decisions or {})
        self.rejected_pairs = frozenset(tuple(p) for p in rejected_pairs)
        self.submitted: list[Edit] = []
        self.by_doc: dict[str, list[Edit]] = {}     # the same, by the doc they were submitted for

    def decision(self, doc_name: str, edit: Edit):
        d = self.decisions.get(edit.id)
        if d is not None:
            return tuple(d)
        if (self.rejected_pairs and edit.status == QUEUED
                and (edit.before, edit.after) in self.rejected_pairs and is_word_form(edit.before)):
            return REJECTED, edit.after
        return None

    def decisions_for(self, doc_name: str) -> dict[str, tuple[str, str]]:
        """The decisions it holds (as :meth:`ReviewStore.decisions_for` gives a book's)."""
        return dict(self.decisions)

    def submit(self, doc_name: str, edits: list[Edit]) -> int:
        edits = list(edits)
        self.submitted.extend(edits)
        self.by_doc.setdefault(doc_name, []).extend(edits)
        return len(edits)

    def lessons(self) -> Lessons:
        """The review port's lessons: only the rejected pairs (the rest came with the pipeline)."""
        return Lessons(rejected_pairs=tuple(sorted(self.rejected_pairs)))

    def fingerprint(self) -> str:
        """A key of the decisions, so that ``resume`` re-cleans a book whose review changed."""
        if not self.decisions:
            return ""
        blob = json.dumps(sorted((k, list(v)) for k, v in self.decisions.items()), ensure_ascii=False)
        return hashlib.blake2b(blob.encode("utf-8"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class WorkerInit:
    """What a worker needs to build its pipeline (picklable, sent once per process)."""

    config: Config
    skip: tuple[str, ...] = ()
    lessons: Lessons = field(default_factory=Lessons)

    def token(self) -> str:
        blob = json.dumps([self.config.order, sorted(self.config.skip), self.config.stages,
                           self.config.guess, sorted(self.skip), self.lessons.key()],
                          sort_keys=True, default=str)
        return hashlib.blake2b(blob.encode("utf-8"), digest_size=8).hexdigest()

    def build(self) -> Pipeline:
        # per book, clean_task hands it that book's decisions as its review
        return Pipeline(self.config, skip=self.skip, lessons=self.lessons)


@dataclass
class Task:
    """One book to clean: where it is, where to write, its review decisions, and the review
    database (a path) the worker puts the book's uncertain edits in before writing it."""

    source: Path
    out_dir: Path
    key: str
    decisions: dict[str, tuple[str, str]] | None = None
    decisions_key: str = ""
    db: str | None = None
    formats: FormatOptions | None = None
    empty_ok: bool = False          # an empty file is a blank page among many: warn, write it empty


_WORKER: dict[str, Pipeline] = {}   # init token -> pipeline, per process
_STORES: dict[tuple[int, str], ReviewStore] = {}   # (process id, database) -> store, per process


def worker_pipeline(init: WorkerInit) -> Pipeline:
    """The pipeline of this process for ``init``: built on first use, then reused."""
    tok = init.token()
    pipe = _WORKER.get(tok)
    if pipe is None:
        _WORKER.clear()
        pipe = _WORKER[tok] = init.build()
    return pipe


def _worker_store(db: str) -> ReviewStore:
    """This process's own connection to the review database (never one inherited by a fork)."""
    k = (os.getpid(), db)
    store = _STORES.get(k)
    if store is None:
        for other in [o for o in _STORES if o[0] == os.getpid()]:
            _STORES.pop(other).close()
        store = _STORES[k] = ReviewStore(db)
    return store


def init_worker(init: WorkerInit, batch_pid: int | None = None) -> None:
    """Process-pool initializer: die with the batch process ``batch_pid`` (and with the
    parent process), leave Ctrl-C to it, and build the pipeline before the first book."""
    executors.die_with_parent(batch_pid)
    executors.ignore_interrupts()
    worker_pipeline(init)


def clean_task(task: Task, init: WorkerInit, store=None) -> tuple[FileReport, dict[str, list[Edit]] | list[Edit]]:
    """Clean one book; returns its report and the uncertain edits that are not yet queued.

    The book's uncertain edits are put in the review queue before its outputs are written,
    in this process: in ``store`` when given (the calling process's own store), else in the
    database at ``task.db``.  Without either they are returned for the caller to queue.
    """
    pipeline = worker_pipeline(init)
    sink = DecisionMap(task.decisions, init.lessons.rejected_pairs) if task.decisions is not None else None
    if store is None and task.db is not None and sink is not None:
        store = _worker_store(task.db)
    commit = None
    if store is not None and sink is not None:
        def commit(result: Result) -> None:
            for doc, edits in sink.by_doc.items():     # a JSONL file's: one doc a record
                if edits:
                    store.submit(doc, edits)
    pipeline.review = sink
    try:
        report = clean_file(task.source, task.out_dir, pipeline, key=task.key,
                            decisions=task.decisions_key, before_write=commit, formats=task.formats,
                            empty_ok=task.empty_ok)
    finally:
        pipeline.review = None
        # The book vocabularies the lexicon keeps are this book's: no later book can use
        # them, and a worker would otherwise carry up to nine of them (~13 MB a book).
        pipeline.lexicon.forget_books()
    if sink is None or report.error or commit is not None:
        return report, []
    return report, sink.by_doc


def died(task: Task, why: str) -> FileReport:
    return FileReport(source=task.source, error=f"{task.source}: {why}")
