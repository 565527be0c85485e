"""A source in another format than plain text (an ALTO, hOCR, PAGE XML or JSONL file, or a
book folder of page files): read, cleaned and written back by :mod:`ocr_clean.formats`."""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Callable

from ..formats import page_files
from ..formats.detect import PAGE_SUFFIXES
from ..formats.options import Options as FormatOptions
from ..io import InputError, atomic_write, read_bytes
from ..ledger import QUEUED
from ..pipeline import Pipeline, Result
from ..review.store import ReviewStore
from .report import FileReport, format_of, one_line


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


def clean_formatted(source: Path, out_dir: Path, pipeline: Pipeline, opts: FormatOptions,
                     key: str, decisions: str, report: FileReport, t0: float,
                     before_write: Callable[[Result], None] | None = None) -> FileReport:
    """An ALTO, hOCR, PAGE XML or JSONL file, or a book folder of pages: cleaned by
    :mod:`ocr_clean.formats`, written in its own format under the same name(s)."""
    from ..formats.run import clean_book, clean_bytes   # the readers and writers (lxml): only here

    header = {"source": os.path.relpath(source.resolve(), out_dir.resolve()),
              "source_abs": str(source.resolve()), "settings": key, "decisions": decisions,
              "format_options": format_key(opts, format_of(source, opts))}
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
        report.error = f"{source}: cleaning failed ({one_line(exc)}); please report this file"
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
                            f"review ({one_line(exc)})")
            return report
    try:
        atomic_write(ledger_path, done.ledger)
        for path, data in outs:
            atomic_write(path, data)
    except OSError as exc:
        report.error = f"{source}: cannot write to {out_dir} ({exc.strerror or one_line(exc)})"
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
