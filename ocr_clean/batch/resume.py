"""``resume``: is a book's output on disk whole and made from the same input, settings and
review decisions, with every one of its review items in the queue?"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..formats import jsonl
from ..formats.options import Options as FormatOptions
from ..io import InputError, read_bytes, read_text
from ..ledger import Ledger, read_ledger
from ..policy import REVIEW_BELOW, for_review
from ..review.store import ReviewStore
from .formatted import format_key, formatted_inputs, inputs_sha256
from .report import format_of, output_paths


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
    return {e.id for e in for_review(ledger, review_below) if e.id}


def is_current(source: Path, out_dir: Path, key: str, decisions: str = "", *,
               review=None, review_below: float = REVIEW_BELOW) -> bool:
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


def formatted_current(source: Path, out_dir: Path, key: str, decisions: str, opts: FormatOptions | None, *,
                      review=None, review_below: float = REVIEW_BELOW) -> bool:
    """:func:`is_current` for an ALTO, hOCR, PAGE XML or JSONL file or a book folder of pages:
    the ledger is whole and made with the same settings, decisions and format options from the
    same input bytes, and every output it names is on disk with the bytes it recorded."""
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
            and header.get("format_options") == format_key(opts, format_of(source, opts))
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
