"""The calling side of a batch: :func:`clean_paths` plans the books, hands them to the
workers (:mod:`.worker`, run by :mod:`ocr_clean.executors`) and queues what comes back."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .. import executors
from ..config import Config
from ..formats.detect import collect_sources
from ..formats.options import Options as FormatOptions
from ..io import remove_stale_temps
from ..ledger import Edit
from ..lexicon import data_file
from ..review.store import ReviewStore
from ..review_port import Lessons
from ..stages import REGISTRY
from .formatted import record_decisions
from .inputs import refuse_overwriting_inputs
from .report import FileReport, format_of, one_line, output_paths, settings_key
from .resume import formatted_current, is_current
from .worker import DecisionMap, Task, WorkerInit, died, clean_task, init_worker

EXECUTORS = ("local", "process", "ray", "dask")


def resolve_jobs(jobs: int) -> int:
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (all cores) or more, not {jobs}")
    return jobs or os.cpu_count() or 1


class BatchInterrupted(Exception):
    """Ctrl-C stopped a batch: ``reports`` of the books that ended (input order), and the
    ``remaining`` sources not cleaned (run again with ``resume=True`` to finish)."""

    def __init__(self, reports: list[FileReport], remaining: list[Path]) -> None:
        super().__init__(f"interrupted: {len(reports)} book(s) done, {len(remaining)} not cleaned")
        self.reports = reports
        self.remaining = remaining


def clean_paths(paths: list[Path], out_dir: Path, *, config: Config | None = None,
                skip: Iterable[str] = (), review: ReviewStore | DecisionMap | None = None,
                progress: Callable[[FileReport], None] | None = None,
                resume: bool = False, jobs: int = 1, executor: str = "local",
                address: str | None = None,
                on_interrupt: Callable[[int], None] | None = None,
                formats: FormatOptions | None = None) -> list[FileReport]:
    """Clean every file (folders: their ``*.txt``) into ``out_dir``; reports in input order.

    ``review`` is a :class:`~ocr_clean.review.ReviewStore` (or a :class:`DecisionMap`):
    its decisions are applied and each book's new uncertain edits are queued in it before
    the book's outputs are written, by the process that cleans the book, so that a book
    on disk always has its items in the queue.  ``progress`` is called once per file, as
    each ends.  ``resume`` skips books already cleaned from the same raw text with the
    same settings and decisions, whose ledger is whole and whose items are all queued.
    ``jobs``: books cleaned at once (0 = every core);
    ``executor``: ``"local"`` (in this process, or a process pool when jobs != 1),
    ``"process"`` (a process pool), ``"ray"`` or ``"dask"`` (a cluster at ``address``,
    or a local one of ``jobs`` workers; needs ``pip install 'ocr-clean[ray]'`` / ``[dask]``).
    ``formats`` says how to read the inputs (:class:`ocr_clean.formats.Options`: a format
    forced, the JSONL fields, folders as books); by default each file's format is detected
    and a folder of numbered page files is a book.
    Worker processes start by "fork" when the caller runs no other thread, else from a
    clean "forkserver" process, which imports the calling script again: a script that
    calls this with threads running must guard its top level with
    ``if __name__ == "__main__":``.

    Ctrl-C (SIGINT, in the main thread): the first takes no new book and lets the running
    ones finish, the second abandons them; then :class:`BatchInterrupted` is raised with
    what was done.  ``on_interrupt(count)`` is told of each Ctrl-C.
    """
    _check_choices(executor, review)
    n_jobs = resolve_jobs(jobs)
    config = config or Config()
    out_dir = Path(out_dir)
    sources = collect_sources(paths, formats.fmt if formats else None, bool(formats and formats.book))
    refuse_overwriting_inputs(paths, sources, out_dir)
    remove_stale_temps(out_dir)     # left by a batch killed between a write and its rename
    skip = tuple(skip)
    init = WorkerInit(config, skip, Lessons.of(review))
    check_stages(config, skip)
    books = _Books(out_dir, settings_key(config, skip, init.lessons.key()), review, formats, progress,
                   config.review_below, _review_db(review), len(sources) > 1)
    tasks = books.plan(sources, resume)
    stop = executors.Stop(on_interrupt)
    with executors.catching_interrupts(stop):
        _run(tasks, init, books, executor, n_jobs, address, stop)
    reports = books.reports
    if stop.requested and len(reports) < len(sources):
        raise BatchInterrupted([reports[i] for i in sorted(reports)],
                               [src for i, src in enumerate(sources) if i not in reports])
    return [reports[i] for i in range(len(sources))]


def _check_choices(executor: str, review) -> None:
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; choose one of: {', '.join(EXECUTORS)}")
    if review is not None and not isinstance(review, (ReviewStore, DecisionMap)):
        raise TypeError("review must be an ocr_clean.review.ReviewStore or an ocr_clean.batch.DecisionMap")


def check_stages(config: Config, skip: tuple[str, ...]) -> None:
    """Fail early, in this process, before any worker starts: an unknown stage name, or a
    missing data file of a stage that runs (one error here, not one per book)."""
    unknown = [n for n in (*config.order, *config.skip, *skip) if n not in REGISTRY]
    if unknown:
        raise ValueError(f"unknown stage(s): {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    for n in config.order:
        if n not in config.skip and n not in skip:
            for f in REGISTRY[n].data_files:
                data_file(f)


def _review_db(review) -> str | None:
    """The review database the workers queue the items in themselves, when it is a file
    they can open (else the calling process queues what they send back)."""
    if isinstance(review, ReviewStore) and str(review.path) != ":memory:":
        return str(review.path.resolve())
    return None


@dataclass
class _Books:
    """The books of one batch: which ones to clean, and their reports (by input index) as
    they end, each told to ``progress``; the uncertain edits a worker could not queue
    itself are queued here."""

    out_dir: Path
    key: str
    review: ReviewStore | DecisionMap | None
    formats: FormatOptions | None
    progress: Callable[[FileReport], None] | None
    review_below: float
    db: str | None
    many: bool                  # more than one source: an empty file is a blank page, not an error
    reports: dict[int, FileReport] = field(default_factory=dict)

    def plan(self, sources: list[Path], resume: bool) -> list[tuple[int, Task]]:
        """The tasks of the books to clean; the others (a clash of names, or current when
        resuming) are reported at once."""
        tasks: list[tuple[int, Task]] = []
        first_of: dict[str, Path] = {}
        for i, src in enumerate(sources):
            if src.stem in first_of:   # out/<stem>.txt of both would overwrite each other
                self.end(i, FileReport(source=src, error=(
                    f"{src}: has the same name as {first_of[src.stem]}; their outputs would overwrite "
                    "each other: rename one or clean them into different folders")))
                continue
            first_of[src.stem] = src
            decisions = self.decisions(src)
            dkey = DecisionMap(decisions).fingerprint() if decisions else ""
            if resume and self.current(src, dkey):
                self.end(i, self.skipped(src))
            else:
                tasks.append((i, Task(src, self.out_dir, self.key, decisions, dkey, self.db, self.formats,
                                      self.many)))
        return tasks

    def decisions(self, src: Path) -> dict[str, tuple[str, str]] | None:
        review = self.review
        decisions = review.decisions_for(src.stem) if review is not None else None
        if isinstance(review, ReviewStore) and format_of(src, self.formats) == "jsonl":
            decisions = record_decisions(review, src.stem)   # its records are docs <stem>#<n>
        return decisions

    def current(self, src: Path, dkey: str) -> bool:
        if format_of(src, self.formats) != "txt":
            return formatted_current(src, self.out_dir, self.key, dkey, self.formats, review=self.review,
                                     review_below=self.review_below)
        return is_current(src, self.out_dir, self.key, dkey, review=self.review,
                          review_below=self.review_below)

    def skipped(self, src: Path) -> FileReport:
        out_dir = self.out_dir
        rep = FileReport(source=src, skipped=True)
        rep.output, rep.ledger = output_paths(src, out_dir)
        if format_of(src, self.formats) != "txt":
            rep.output = out_dir / src.name if src.is_file() else out_dir
            rep.ledger = out_dir / f"{src.stem if src.is_file() else src.name}.ledger.jsonl"
        return rep

    def end(self, i: int, rep: FileReport) -> None:
        self.reports[i] = rep
        if self.progress is not None:
            self.progress(rep)

    def done(self, i: int, rep: FileReport, queued: list[Edit]) -> None:
        """A book cleaned (by any executor): its edits queued here if the worker did not."""
        review = self.review
        if review is not None and queued:     # a store the workers could not open themselves
            by_doc = queued.items() if isinstance(queued, dict) else [(rep.source.stem, queued)]
            queued = [e for _, edits in by_doc for e in edits]
            try:
                for doc, edits in by_doc:
                    if edits:
                        review.submit(doc, edits)
            except Exception as exc:  # the text is written; say the queue is not
                rep.error = (f"{rep.source}: cleaned, but its {len(queued)} uncertain edit(s) could not be "
                             f"queued for review ({one_line(exc)})")
        self.end(i, rep)


def _run(tasks: list[tuple[int, Task]], init: WorkerInit, books: _Books, executor: str, n_jobs: int,
         address: str | None, stop: executors.Stop) -> None:
    """Clean the tasks in this process, in a process pool or on a cluster."""
    if not tasks:
        return
    if executor == "local" and (n_jobs == 1 or len(tasks) == 1):
        _run_here(tasks, init, books, stop)
        return
    # Biggest books first, so that the last ones to finish are short (better balance).
    tasks.sort(key=lambda it: -_size(it[1].source))
    if executor in ("local", "process"):
        executors.run_process_pool(tasks, clean_task, init_worker, init, min(n_jobs, len(tasks)),
                                   books.done, died, stop)
    elif executor == "ray":
        executors.run_ray(tasks, clean_task, init_worker, init, n_jobs, books.done, died, stop,
                          address=address)
    else:
        executors.run_dask(tasks, clean_task, init_worker, init, n_jobs, books.done, died, stop,
                           address=address)


def _run_here(tasks: list[tuple[int, Task]], init: WorkerInit, books: _Books, stop: executors.Stop) -> None:
    """The books cleaned one after the other in this process, in input order."""
    stop.in_process = True
    store = books.review if isinstance(books.review, ReviewStore) else None
    try:
        for i, task in tasks:
            if stop.requested:
                break
            rep, queued = clean_task(task, init, store)
            books.done(i, rep, queued)
    except KeyboardInterrupt:                 # the second Ctrl-C: this book abandoned
        stop.count = max(stop.count, 2)


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0
