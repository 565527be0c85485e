"""The cleaning stages, one module each, registered by name when imported.

The order they run in is ``DEFAULT_ORDER`` in ocr_clean.config (or a config file's ``order``).
"""
from __future__ import annotations

from . import confusion, dehyphenate, footnotes, page_structure, punctuation, split_words, words  # noqa: F401
from .base import REGISTRY, Stage, register

__all__ = ["REGISTRY", "Stage", "register"]
