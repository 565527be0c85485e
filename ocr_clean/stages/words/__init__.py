"""words: correct the words any OCR engine misreads (a package: see :mod:`.stage`)."""
from .stage import Words
from .tokens import TOKEN, _core, _lower, _recase, token_finder

__all__ = ["TOKEN", "Words", "_core", "_lower", "_recase", "token_finder"]
