"""One book cleaned and written: :func:`clean_file`."""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Callable

from .. import __version__
from ..formats.options import Options as FormatOptions
from ..io import EmptyInput, InputError, atomic_write, read_text
from ..ledger import QUEUED
from ..pipeline import Pipeline, Result
from .report import FileReport, format_of, one_line, config_record, output_paths


def write_outputs(source: Path, out_dir: Path, result: Result, header: dict) -> tuple[Path, Path]:
    out_txt, out_ledger = output_paths(source, out_dir)
    atomic_write(out_ledger, result.ledger.to_jsonl(header))
    atomic_write(out_txt, result.text)   # the text last: its presence means the pair is whole
    return out_txt, out_ledger


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
        if format_of(source, formats) != "txt":
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
        report.error = f"{source}: cleaning failed ({one_line(exc)}); please report this file"
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
                            f"review ({one_line(exc)})")
            return report
    try:
        report.output, report.ledger = write_outputs(source, out_dir, result, header)
    except OSError as exc:
        report.error = f"{source}: cannot write to {out_dir} ({exc.strerror or one_line(exc)})"
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


def _clean_formatted(*args) -> FileReport:
    """:func:`.formatted.clean_formatted`: its readers and writers (lxml, rapidfuzz) are
    imported only for a source in another format than plain text."""
    from .formatted import clean_formatted

    return clean_formatted(*args)
