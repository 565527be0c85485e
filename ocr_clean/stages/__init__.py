"""The cleaning stages, one module each, registered by name in pipeline order."""
from __future__ import annotations

from .base import REGISTRY, Stage, register

# Importing a stage module registers it.  Order here is not the pipeline order:
# that is ``DEFAULT_ORDER`` in ocr_clean.config.
import importlib

for _mod in ("page_structure", "dehyphenate", "split_words", "confusion", "punctuation", "footnotes"):
    try:
        importlib.import_module(f"{__name__}.{_mod}")
    except ModuleNotFoundError as exc:  # a stage still being written
        if exc.name != f"{__name__}.{_mod}":
            raise

__all__ = ["REGISTRY", "Stage", "register"]
