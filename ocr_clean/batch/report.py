"""What a clean of one book writes and reports: its :class:`FileReport`, the paths of its
outputs, and the settings key and config record kept in its ledger header."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .. import __version__
from ..config import Config
from ..formats.detect import detect
from ..formats.options import Options as FormatOptions
from ..lexicon import dictionaries_dir, user_word_files


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


def settings_key(config: Config, skip: Iterable[str] = (), lessons: str = "") -> str:
    """A fingerprint of everything that decides the output, except the input itself."""
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


def one_line(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def format_of(source: Path, opts: FormatOptions | None) -> str:
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
