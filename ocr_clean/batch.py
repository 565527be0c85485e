"""Clean files on disk: the library behind ``ocr-clean clean``.

For each input ``raw/<stem>.txt`` it writes ``<out>/<stem>.txt`` (the cleaned text) and
``<out>/<stem>.ledger.jsonl`` (a header naming the source, then every edit), each
atomically: a crash halfway leaves the previous files or none, never half of one.
"""
from __future__ import annotations

import hashlib
import io
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .config import Config
from .io import atomic_write, collect_inputs, read_text
from .ledger import QUEUED, Edit
from .pipeline import Pipeline, Result


@dataclass
class FileReport:
    source: Path
    output: Path | None = None
    ledger: Path | None = None
    words: int = 0
    edits: int = 0
    queued: int = 0
    by_rule: dict[str, dict[str, int]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    skipped: bool = False
    error: str | None = None

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        for k in ("source", "output", "ledger"):
            d[k] = str(d[k]) if d[k] is not None else None
        return d


class DecisionMap:
    """A review sink backed by a plain dict of decisions (id -> (status, text))."""

    def __init__(self, decisions: dict[str, tuple[str, str]] | None = None) -> None:
        self.decisions = decisions or {}
        self.submitted: list[Edit] = []

    def decision(self, doc_name: str, edit: Edit):
        return self.decisions.get(edit.id)

    def submit(self, doc_name: str, edits: list[Edit]) -> int:
        self.submitted.extend(edits)
        return len(edits)


def settings_key(config: Config, skip: Iterable[str] = ()) -> str:
    """A fingerprint of everything that decides the output, except the input itself."""
    from .lexicon import dictionaries_dir

    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(json.dumps([config.order, sorted(config.skip | set(skip)), config.stages, config.guess],
                        sort_keys=True, default=str).encode())
    d = dictionaries_dir()
    if d.is_dir():
        for p in sorted(d.rglob("*")):
            if p.is_file():
                h.update(p.name.encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:16]


def output_paths(source: Path, out_dir: Path) -> tuple[Path, Path]:
    return out_dir / f"{source.stem}.txt", out_dir / f"{source.stem}.ledger.jsonl"


def write_outputs(source: Path, out_dir: Path, result: Result, header: dict) -> tuple[Path, Path]:
    out_txt, out_ledger = output_paths(source, out_dir)
    buf = io.StringIO()
    result.ledger.dump_jsonl(buf, header=header)
    atomic_write(out_ledger, buf.getvalue())
    atomic_write(out_txt, result.text)   # the text last: its presence means the pair is whole
    return out_txt, out_ledger


def clean_file(source: Path, out_dir: Path, pipeline: Pipeline, *, key: str = "") -> FileReport:
    """Clean one file and write its outputs.  Errors in the input become ``report.error``."""
    from .io import InputError

    t0 = time.perf_counter()
    report = FileReport(source=source)
    try:
        raw = read_text(source)
    except InputError as exc:
        report.error = str(exc)
        return report
    result = pipeline.run(raw, name=source.stem)
    header = {
        "source": str(source.resolve()),
        "name": source.stem,
        "raw_sha256": hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        "stages": pipeline.stage_names,
        "settings": key,
        "ocr_clean": __version__,
    }
    report.output, report.ledger = write_outputs(source, out_dir, result, header)
    report.words = len(result.text.split())
    report.edits = sum(1 for _ in result.ledger)
    report.queued = sum(1 for e in result.ledger if e.status == QUEUED)
    report.by_rule = result.ledger.summary()
    report.timings = result.timings
    report.seconds = time.perf_counter() - t0
    return report


def is_current(source: Path, out_dir: Path, key: str) -> bool:
    """True when the outputs exist, were made with the same settings, from the same raw text."""
    out_txt, out_ledger = output_paths(source, out_dir)
    if not (out_txt.is_file() and out_ledger.is_file()):
        return False
    try:
        with open(out_ledger, encoding="utf-8") as fh:
            header = json.loads(fh.readline()).get("header", {})
        raw = read_text(source)
    except (OSError, ValueError):
        return False
    return (header.get("settings") == key
            and header.get("raw_sha256") == hashlib.sha256(raw.encode("utf-8")).hexdigest())


def clean_paths(paths: list[Path], out_dir: Path, *, config: Config | None = None,
                skip: Iterable[str] = (), review=None,
                progress: Callable[[FileReport], None] | None = None,
                resume: bool = False) -> list[FileReport]:
    """Clean every file (folders: their ``*.txt``) into ``out_dir``.

    ``review`` is a review store (see ``ocr_clean.review``): its decisions are applied
    and the new uncertain edits are queued in it.
    """
    config = config or Config()
    sources = collect_inputs(paths)
    pipeline = Pipeline(config, skip=skip, review=review)
    key = settings_key(config, skip)
    reports = []
    for src in sources:
        if resume and is_current(src, out_dir, key):
            rep = FileReport(source=src, skipped=True)
            rep.output, rep.ledger = output_paths(src, out_dir)
        else:
            rep = clean_file(src, out_dir, pipeline, key=key)
        reports.append(rep)
        if progress is not None:
            progress(rep)
    return reports
