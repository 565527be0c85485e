"""ocr_clean: clean a book's OCR scan in explained, reversible, reviewable stages.

    from ocr_clean import clean_text
    result = clean_text(raw)          # no files touched
    result.text                       # the cleaned text
    result.edits                      # every edit: stage, rule, raw line/col, before/after, confidence
    result.queued                     # the uncertain ones, left as raw text until reviewed
"""
from .config import Config
from .document import Document
from .ledger import Edit, Ledger, replay
from .pipeline import Pipeline, Result, clean_text, clean_texts

__all__ = ["Config", "Document", "Edit", "Ledger", "Pipeline", "Result", "clean_text", "clean_texts", "replay"]
__version__ = "0.1.0"
