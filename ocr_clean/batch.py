"""Clean files on disk: the library behind ``ocr-clean clean``.

For each input ``raw/<stem>.txt`` it writes ``<out>/<stem>.txt`` (the cleaned text) and
``<out>/<stem>.ledger.jsonl`` (a header naming the source, then every edit), each
atomically: a crash halfway leaves the previous files or none, never half of one.

Many books are cleaned in parallel with ``jobs`` > 1 (a process pool; ``jobs=0`` uses
every core) or on a Ray or Dask cluster (``executor="ray"|"dask"``, see
:mod:`ocr_clean.executors`).  Whatever runs the books, it is one code path: each worker
builds its :class:`~ocr_clean.pipeline.Pipeline` once and calls :func:`clean_task` per
file.  The review store is only touched by the calling process: it loads a book's
decisions into a plain :class:`DecisionMap` handed to the worker, and submits the
uncertain edits the worker sends back.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .config import Config
from . import executors
from .formats.detect import collect_sources, detect
from .formats.run import Options as FormatOptions
from .io import EmptyInput, InputError, remove_stale_temps, atomic_write, read_bytes, read_text
from .ledger import APPLIED, QUEUED, REJECTED, Edit, Ledger, read_ledger
from .pipeline import Pipeline, Result
from .review.store import ReviewStore, is_word_form
from .review_port import Lessons

EXECUTORS = ("local", "process", "ray", "dask")


@dataclass
class FileReport:
    source: Path
    output: Path | None = None
    ledger: Path | None = None
    words: int = 0
    edits: int = 0
    queued: int = 0
    to_review: int = 0      # queued + applied edits the stages were unsure of
    by_rule: dict[str, dict[str, int]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    skipped: bool = False
    profile: dict | None = None     # the scan profile measured (ocr_clean.profile), as a dict
    error: str | None = None
    warning: str | None = None      # written, but something to know (an empty page)

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        for k in ("source", "output", "ledger"):
            d[k] = str(d[k]) if d[k] is not None else None
        return d


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


def settings_key(config: Config, skip: Iterable[str] = (), lessons: str = "") -> str:
    """A fingerprint of everything that decides the output, except the input itself."""
    from .lexicon import dictionaries_dir, user_word_files

    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(json.dumps([config.order, sorted(config.skip | set(skip)), config.stages, config.guess]
                        + ([config.scan] if config.scan else []),
                        sort_keys=True, default=str).encode())
    if lessons:   # what the review taught changes the lexicon and stages, hence the output
        h.update(lessons.encode("utf-8"))
    d = dictionaries_dir()
    if d.is_dir():
        for p in sorted(d.rglob("*")):
            if p.is_file():
                h.update(p.name.encode())
                h.update(p.read_bytes())
    for p in user_word_files():   # the user's own list, wherever it lives
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def config_record(config: Config) -> dict:
    """A config as the ledger header keeps it (``Config.from_dict`` reads it back)."""
    return {"order": list(config.order), "skip": sorted(config.skip), "stages": config.stages,
            "guess": config.guess, "review_below": config.review_below,
            "scan": dict(getattr(config, "scan", {}) or {})}


def output_paths(source: Path, out_dir: Path) -> tuple[Path, Path]:
    return out_dir / f"{source.stem}.txt", out_dir / f"{source.stem}.ledger.jsonl"


def _identity(p: Path) -> tuple[Path | None, tuple[int, int] | None]:
    """A file's path with links followed, and its (device, inode) when it exists."""
    try:
        real = p.resolve()
    except (OSError, RuntimeError):   # a symlink loop: nothing we write can be it
        return None, None
    try:
        st = os.stat(real)
        return real, (st.st_dev, st.st_ino)
    except OSError:
        return real, None


def refuse_overwriting_inputs(paths: Iterable[Path], sources: Iterable[Path], out_dir: Path) -> None:
    """Raise :class:`~ocr_clean.io.InputError` (one line) when an output would be written over
    an input: the same path, the same file by another name (a hard or symbolic link), or an
    input folder used as the output folder.  Nothing is written before this check passes."""
    out_dir = Path(out_dir)
    out_real, out_id = _identity(out_dir)
    for p in map(Path, paths):
        if p.is_dir():
            real, ident = _identity(p)
            if (real is not None and real == out_real) or (ident is not None and ident == out_id):
                raise InputError(f"{out_dir}: is an input folder; the cleaned files would be written "
                                 "over the scans: choose another --out folder")
    sources = [Path(s) for s in sources]
    by_path: dict[Path, Path] = {}
    by_id: dict[tuple[int, int], Path] = {}
    for src in sources:
        real, ident = _identity(src)
        if real is not None:
            by_path.setdefault(real, src)
        if ident is not None:
            by_id.setdefault(ident, src)
    for src in sources:
        for out in output_paths(src, out_dir):
            real, ident = _identity(out)
            hit = by_path.get(real) if real is not None else None
            hit = hit or (by_id.get(ident) if ident is not None else None)
            if hit is not None:
                raise InputError(f"{hit}: the output {out} would be written over this input; "
                                 "choose another --out folder")


def write_outputs(source: Path, out_dir: Path, result: Result, header: dict) -> tuple[Path, Path]:
    out_txt, out_ledger = output_paths(source, out_dir)
    atomic_write(out_ledger, result.ledger.to_jsonl(header))
    atomic_write(out_txt, result.text)   # the text last: its presence means the pair is whole
    return out_txt, out_ledger


def _one_line(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def clean_file(source: Path, out_dir: Path, pipeline: Pipeline, *, key: str = "",
               decisions: str = "", before_write: Callable[[Result], None] | None = None,
               formats: FormatOptions | None = None, empty_ok: bool = False) -> FileReport:
    """Clean one file and write its outputs.  Errors become ``report.error`` (one line).

    ``pipeline.review`` (if any) is asked for decisions and given the uncertain edits.
    ``decisions`` is the fingerprint of those decisions, kept in the ledger header.
    ``before_write(result)`` is called after cleaning and before the outputs are written
    (the batch commits the book's review items there): if it raises, nothing is written,
    so an output on disk always has its review items in the database.
    ``formats``: how to read other formats than plain text (ALTO, hOCR, PAGE XML, JSONL,
    books as folders of pages; see :mod:`ocr_clean.formats`); by default detected.
    ``empty_ok``: an empty file (a blank page among many) is written as an empty output
    with ``report.warning``, not refused.
    """
    t0 = time.perf_counter()
    source = Path(source)
    report = FileReport(source=source)
    try:
        if _format_of(source, formats) != "txt":
            return _clean_formatted(source, out_dir, pipeline, formats or FormatOptions(), key,
                                    decisions, report, t0, before_write)
    except InputError as exc:
        report.error = str(exc)
        return report
    try:
        raw = read_text(source)
    except EmptyInput as exc:
        if not empty_ok:
            report.error = str(exc)
            return report
        raw = ""
        report.warning = f"{source}: empty (a blank page?): wrote an empty output"
    except InputError as exc:
        report.error = str(exc)
        return report
    try:
        result = pipeline.run(raw, name=source.stem)
    except Exception as exc:  # a stage bug must not stop the other books of a batch
        report.error = f"{source}: cleaning failed ({_one_line(exc)}); please report this file"
        return report
    header = {
        "source": os.path.relpath(source.resolve(), out_dir.resolve()),
        "source_abs": str(source.resolve()),   # found again after the cleaned folder moves
        "name": source.stem,
        "raw_sha256": hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        "stages": pipeline.stage_names,
        "settings": key,
        # the settings themselves, so that `apply` can clean again exactly as this run did
        "config": config_record(pipeline.config),
        "decisions": decisions,
        "ocr_clean": __version__,
        # the scan's habits the stages decided by (ocr_clean.profile), with their evidence
        "profile": result.document.profile.to_dict() if result.document.profile is not None else None,
        # the text is written after the ledger: a kill between the two leaves a ledger
        # whose text_sha256 does not match the text beside it, and resume cleans again
        "text_sha256": hashlib.sha256(result.text.encode("utf-8")).hexdigest(),
        "edits": len(result.ledger),   # a ledger cut short at a line end is seen as such
    }
    if before_write is not None:
        try:
            before_write(result)
        except Exception as exc:
            report.error = (f"{source}: not written, its uncertain edits could not be queued for "
                            f"review ({_one_line(exc)})")
            return report
    try:
        report.output, report.ledger = write_outputs(source, out_dir, result, header)
    except OSError as exc:
        report.error = f"{source}: cannot write to {out_dir} ({exc.strerror or _one_line(exc)})"
        return report
    report.words = len(result.text.split())
    report.edits = len(result.ledger)
    report.queued = sum(1 for e in result.ledger if e.status == QUEUED)
    report.to_review = len(result.for_review)
    report.by_rule = result.ledger.summary()
    report.timings = result.timings
    report.profile = header["profile"]
    report.seconds = time.perf_counter() - t0
    return report


def _format_of(source: Path, opts: FormatOptions | None) -> str:
    """``txt`` for the plain-text path of :func:`clean_file`; else the format (a folder: "book")."""
    if source.is_dir():
        return "book"
    if opts is not None and opts.fmt:
        return opts.fmt
    if not source.is_file():
        return "txt"          # read_text says what is wrong with it
    try:
        with open(source, "rb") as fh:
            return detect(fh.read(65536), str(source))
    except OSError:
        return "txt"          # read_text says what is wrong with it, in one line


def record_decisions(store: ReviewStore, stem: str) -> dict[str, tuple[str, str]]:
    """The decisions of a JSONL file's records (the docs ``<stem>#<n>``; an edit's id names
    its doc, so the ids of two records never meet)."""
    prefix = stem + "#"
    docs = [r[0] for r in store.conn.execute(
        "SELECT DISTINCT doc FROM items WHERE substr(doc, 1, ?) = ?", (len(prefix), prefix))]
    out: dict[str, tuple[str, str]] = {}
    for doc in docs:
        out.update(store.decisions_for(doc))
    return out


def formatted_inputs(source: Path) -> list[Path]:
    """The files a source of another format is read from: the file, or a book folder's pages."""
    from .formats import page_files
    from .formats.detect import PAGE_SUFFIXES

    if not source.is_dir():
        return [source]
    return page_files(source) or sorted(
        p for p in source.iterdir() if p.is_file() and not p.name.startswith(".")
        and p.suffix.lower() in PAGE_SUFFIXES)


def inputs_sha256(files: list[tuple[str, bytes]]) -> str:
    """One hash of the input files of a source, names and bytes (a page renamed or changed
    makes another hash)."""
    h = hashlib.sha256()
    for name, data in files:
        h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def format_key(opts: FormatOptions | None, fmt: str) -> dict:
    """The format options a source of format ``fmt`` was read and written with (a resume
    with other ones cleans it again; the JSONL fields count for JSONL files only)."""
    o = opts or FormatOptions()
    key = {"fmt": o.fmt, "book": o.book}
    if fmt == "jsonl":
        key.update(text_field=o.text_field, out_field=o.out_field, group_by=o.group_by)
    return key


def formatted_current(source: Path, out_dir: Path, key: str, decisions: str, opts: FormatOptions | None, *,
                      review=None, review_below: float = 0.65) -> bool:
    """:func:`is_current` for an ALTO, hOCR, PAGE XML or JSONL file or a book folder of pages:
    the ledger is whole and made with the same settings, decisions and format options from the
    same input bytes, and every output it names is on disk with the bytes it recorded."""
    from .formats import jsonl

    ledger_path = out_dir / f"{source.stem if source.is_file() else source.name}.ledger.jsonl"
    try:
        lines = ledger_path.read_text(encoding="utf-8").splitlines()
        header = json.loads(lines[0])["header"]
        if header.get("format") == "jsonl":
            by_record = jsonl.read_ledger(lines)[1]
        else:
            by_record = {None: read_ledger(ledger_path)}
        inputs = [(p.name, read_bytes(p)) for p in formatted_inputs(source)]
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, InputError):
        return False
    outputs = header.get("outputs")
    if not (isinstance(outputs, dict) and outputs
            and header.get("settings") == key
            and header.get("decisions", "") == decisions
            and header.get("format_options") == format_key(opts, _format_of(source, opts))
            and header.get("inputs_sha256") == inputs_sha256(inputs)):
        return False
    if "edits" in header and header["edits"] != sum(len(led) for led in by_record.values()):
        return False
    for name, sha in outputs.items():
        path = out_dir / name
        try:
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                return False
        except OSError:
            return False
    if isinstance(review, ReviewStore):   # outputs written without their review items: clean again
        stem = header.get("name") or source.stem
        for rec, led in by_record.items():
            wanted = review_ids(led, review_below)
            doc = stem if rec is None else f"{stem}#{rec}"
            if wanted and not wanted <= review.ids_of(doc):
                return False
    return True


def _clean_formatted(source: Path, out_dir: Path, pipeline: Pipeline, opts: FormatOptions,
                     key: str, decisions: str, report: FileReport, t0: float,
                     before_write: Callable[[Result], None] | None = None) -> FileReport:
    """An ALTO, hOCR, PAGE XML or JSONL file, or a book folder of pages: cleaned by
    :mod:`ocr_clean.formats`, written in its own format under the same name(s)."""
    from .formats import clean_book, clean_bytes, page_files
    from .formats.detect import PAGE_SUFFIXES

    header = {"source": os.path.relpath(source.resolve(), out_dir.resolve()),
              "source_abs": str(source.resolve()), "settings": key, "decisions": decisions,
              "format_options": format_key(opts, _format_of(source, opts))}
    try:
        if source.is_dir():
            inputs = formatted_inputs(source)
            pages = [(p.name, read_bytes(p)) for p in inputs]
            header["inputs_sha256"] = inputs_sha256(pages)
            done = clean_book(pages, source.name, pipeline, opts, header)
        else:
            inputs = [source]
            data = read_bytes(source)
            header["inputs_sha256"] = inputs_sha256([(source.name, data)])
            done = clean_bytes(data, source.name, pipeline, opts, header)
    except InputError as exc:
        report.error = str(exc)
        return report
    except Exception as exc:  # a stage or writer bug must not stop the other books of a batch
        report.error = f"{source}: cleaning failed ({_one_line(exc)}); please report this file"
        return report
    outs = [(out_dir / name, data) for name, data in done.outputs]
    ledger_path = out_dir / f"{source.stem if source.is_file() else source.name}.ledger.jsonl"
    taken = {p.resolve() for p in inputs}
    for path in [ledger_path] + [p for p, _ in outs]:
        if path.resolve() in taken:
            report.error = f"{path}: is the input; clean into another folder (--out)"
            return report
    if before_write is not None and done.results:
        try:
            before_write(done.results[0])
        except Exception as exc:
            report.error = (f"{source}: not written, its uncertain edits could not be queued for "
                            f"review ({_one_line(exc)})")
            return report
    try:
        atomic_write(ledger_path, done.ledger)
        for path, data in outs:
            atomic_write(path, data)
    except OSError as exc:
        report.error = f"{source}: cannot write to {out_dir} ({exc.strerror or _one_line(exc)})"
        return report
    report.output = outs[0][0] if len(outs) == 1 else out_dir
    report.ledger = ledger_path
    for res in done.results:
        report.words += len(res.text.split())
        report.edits += len(res.ledger)
        report.queued += sum(1 for e in res.ledger if e.status == QUEUED)
        report.to_review += len(res.for_review)
        for k, counts in res.ledger.summary().items():
            row = report.by_rule.setdefault(k, {})
            for status, n in counts.items():
                row[status] = row.get(status, 0) + n
        for k, v in res.timings.items():
            report.timings[k] = report.timings.get(k, 0.0) + v
    report.seconds = time.perf_counter() - t0
    return report


def read_whole_ledger(path: Path) -> Ledger | None:
    """The ledger at ``path`` if every line of it parses and its header is there (with the
    number of edits it announces, when it does); ``None`` for a missing, cut or damaged one."""
    try:
        ledger = read_ledger(path)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    header = ledger.header if isinstance(ledger.header, dict) else None
    if not header or not header.get("raw_sha256") or not header.get("text_sha256"):
        return None
    if "edits" in header and header["edits"] != len(ledger):
        return None
    return ledger


def review_ids(ledger: Ledger, review_below: float) -> set[str]:
    """Ids of the edits of a ledger that a clean puts in the review queue
    (as :meth:`ocr_clean.pipeline.Result.for_review` chooses them)."""
    return {e.id for e in ledger
            if e.id and (e.status == QUEUED or (e.status == APPLIED and e.confidence < review_below))}


def is_current(source: Path, out_dir: Path, key: str, decisions: str = "", *,
               review=None, review_below: float = 0.65) -> bool:
    """True when the outputs exist and are whole (every ledger line parses, the header and the
    text's hash match), were made with the same settings and review decisions from the same
    raw text, and, given a review store, every review item of the book is in it."""
    out_txt, out_ledger = output_paths(source, out_dir)
    if not (out_txt.is_file() and out_ledger.is_file()):
        return False
    ledger = read_whole_ledger(out_ledger)
    if ledger is None:
        return False
    header = ledger.header
    try:
        raw = read_text(source)
        text = out_txt.read_bytes()
    except (OSError, ValueError):
        return False
    if not (header.get("settings") == key
            and header.get("decisions", "") == decisions
            and header.get("raw_sha256") == hashlib.sha256(raw.encode("utf-8")).hexdigest()
            and header.get("text_sha256") == hashlib.sha256(text).hexdigest()):
        return False
    if isinstance(review, ReviewStore):   # a book written without its items: clean it again
        wanted = review_ids(ledger, review_below)
        if wanted and not wanted <= review.ids_of(source.stem):
            return False
    return True


# -- the worker side: one pipeline per process, one call per file ----------------------------

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


def _died(task: Task, why: str) -> FileReport:
    return FileReport(source=task.source, error=f"{task.source}: {why}")


# -- the calling side ------------------------------------------------------------------------

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
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; choose one of: {', '.join(EXECUTORS)}")
    if review is not None and not isinstance(review, (ReviewStore, DecisionMap)):
        raise TypeError("review must be an ocr_clean.review.ReviewStore or an ocr_clean.batch.DecisionMap")
    n_jobs = resolve_jobs(jobs)
    config = config or Config()
    out_dir = Path(out_dir)
    sources = collect_sources(paths, formats.fmt if formats else None, bool(formats and formats.book))
    refuse_overwriting_inputs(paths, sources, out_dir)
    remove_stale_temps(out_dir)     # left by a batch killed between a write and its rename
    skip = tuple(skip)
    init = WorkerInit(config, skip, Lessons.of(review))
    # Fail early (unknown stage names) in this process, before any worker starts.
    from .stages import REGISTRY
    unknown = [n for n in (*config.order, *config.skip, *skip) if n not in REGISTRY]
    if unknown:
        raise ValueError(f"unknown stage(s): {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    from .lexicon import data_file   # a missing data file: one error here, not one per book
    for n in config.order:
        if n not in config.skip and n not in skip:
            for f in REGISTRY[n].data_files:
                data_file(f)
    key = settings_key(config, skip, init.lessons.key())
    # The workers queue the items themselves when the queue is a database file they can open.
    db = None
    if isinstance(review, ReviewStore) and str(review.path) != ":memory:":
        db = str(review.path.resolve())
    review_below = config.review_below

    reports: dict[int, FileReport] = {}
    tasks: list[tuple[int, Task]] = []
    first_of: dict[str, Path] = {}
    for i, src in enumerate(sources):
        if src.stem in first_of:   # out/<stem>.txt of both would overwrite each other
            reports[i] = FileReport(source=src, error=(
                f"{src}: has the same name as {first_of[src.stem]}; their outputs would overwrite "
                "each other: rename one or clean them into different folders"))
            if progress is not None:
                progress(reports[i])
            continue
        first_of[src.stem] = src
        decisions = review.decisions_for(src.stem) if review is not None else None
        if isinstance(review, ReviewStore) and _format_of(src, formats) == "jsonl":
            decisions = record_decisions(review, src.stem)   # its records are docs <stem>#<n>
        dkey = DecisionMap(decisions).fingerprint() if decisions else ""
        if resume and (formatted_current(src, out_dir, key, dkey, formats, review=review,
                                         review_below=review_below)
                       if _format_of(src, formats) != "txt" else
                       is_current(src, out_dir, key, dkey, review=review, review_below=review_below)):
            rep = FileReport(source=src, skipped=True)
            rep.output, rep.ledger = output_paths(src, out_dir)
            if _format_of(src, formats) != "txt":
                rep.output = out_dir / src.name if src.is_file() else out_dir
                rep.ledger = out_dir / f"{src.stem if src.is_file() else src.name}.ledger.jsonl"
            reports[i] = rep
            if progress is not None:
                progress(rep)
        else:
            tasks.append((i, Task(src, out_dir, key, decisions, dkey, db, formats, len(sources) > 1)))

    def done(i: int, rep: FileReport, queued: list[Edit]) -> None:
        if review is not None and queued:     # a store the workers could not open themselves
            by_doc = queued.items() if isinstance(queued, dict) else [(rep.source.stem, queued)]
            queued = [e for _, edits in by_doc for e in edits]
            try:
                for doc, edits in by_doc:
                    if edits:
                        review.submit(doc, edits)
            except Exception as exc:  # the text is written; say the queue is not
                rep.error = (f"{rep.source}: cleaned, but its {len(queued)} uncertain edit(s) could not be "
                             f"queued for review ({_one_line(exc)})")
        reports[i] = rep
        if progress is not None:
            progress(rep)

    stop = executors.Stop(on_interrupt)
    with executors.catching_interrupts(stop):
        if not tasks:
            pass
        elif executor == "local" and (n_jobs == 1 or len(tasks) == 1):
            stop.in_process = True
            store = review if isinstance(review, ReviewStore) else None
            try:
                for i, task in tasks:                 # in this process, in input order
                    if stop.requested:
                        break
                    rep, queued = clean_task(task, init, store)
                    done(i, rep, queued)
            except KeyboardInterrupt:                 # the second Ctrl-C: this book abandoned
                stop.count = max(stop.count, 2)
        else:
            # Biggest books first, so that the last ones to finish are short (better balance).
            tasks.sort(key=lambda it: -_size(it[1].source))
            if executor in ("local", "process"):
                executors.run_process_pool(tasks, clean_task, init_worker, init, min(n_jobs, len(tasks)),
                                           done, _died, stop)
            elif executor == "ray":
                executors.run_ray(tasks, clean_task, init_worker, init, n_jobs, done, _died, stop,
                                  address=address)
            else:
                executors.run_dask(tasks, clean_task, init_worker, init, n_jobs, done, _died, stop,
                                   address=address)
    if stop.requested and len(reports) < len(sources):
        raise BatchInterrupted([reports[i] for i in sorted(reports)],
                               [src for i, src in enumerate(sources) if i not in reports])
    return [reports[i] for i in range(len(sources))]


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0
