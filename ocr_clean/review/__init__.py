"""The review queue: uncertain edits go to a person; decisions persist and teach.

    from ocr_clean.review import ReviewStore
    store = ReviewStore(".ocr_clean/review.sqlite")
    Pipeline(review=store).run(raw, name="book")   # decided items applied, new ones queued
    store.items(status="open")                      # what is waiting
    store.decide(item_id, "accepted")               # or "rejected", or ("edited", text)

The store and :mod:`ocr_clean.review.apply` are plain library code (no typer, rich or
textual); the terminal app is :mod:`ocr_clean.review.tui`.
"""
from .apply import ApplyError, ApplyReport, apply_decisions, apply_dir, apply_file, attach_sources
from .store import DEFAULT_DB, OPEN, Item, ReviewStore, StoreError

__all__ = ["DEFAULT_DB", "OPEN", "ApplyError", "ApplyReport", "Item", "ReviewStore", "StoreError",
           "apply_decisions", "apply_dir", "apply_file", "attach_sources"]
