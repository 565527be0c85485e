"""``ocr-clean review``: the queue one item at a time, in its context.

Keys: a / enter accept · r reject (keep the raw text; a line join: keep the words apart)
· 1-9 take candidate N · e edit (an input prefilled with the suggestion; enter saves,
escape cancels) · s / n skip (it stays open) · u undo the last decision · A decide all
alike (a confirmation lists them; y / r / n) · f show only this rule (again: all) · t show
only this stage (again: all) · q quit.  The screen shows the evidence (the stage's note and
structured evidence), the item's line as the cleaned output reads it (every stage done), the
raw lines around the item, and marks an item already applied at
low confidence (the text has the suggestion until it is rejected).

Every decision is written to the store as it is made (its own transaction), so a
crash or a quit loses nothing.
"""
from __future__ import annotations

from .alike import AlikeScreen
from .app import ReviewApp
from .views import (cleaned_view, context_parts, evidence_view, raw_around, raw_view,
                    sentence_parts)

__all__ = ["AlikeScreen", "ReviewApp", "cleaned_view", "context_parts", "evidence_view",
           "raw_around", "raw_view", "sentence_parts"]
