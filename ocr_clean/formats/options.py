"""How to read the inputs (:class:`Options`), apart from the readers and writers, so that the
plain-text path of a clean (``ocr_clean.batch``) knows them without importing lxml and rapidfuzz."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Options:
    """How to read the inputs: a format forced (else detected), the JSONL fields."""

    fmt: str | None = None
    text_field: str = "text"
    out_field: str | None = None
    book: bool = False
    group_by: str | None = None     # JSONL: records with the same value of this field are one collection
