"""What every stage is: one job, text + ledger in, text + ledger out.

A stage is a small class registered by name.  It reads ``doc.text`` (and, for
evidence, the :class:`~ocr_clean.lexicon.Lexicon` and the book's own vocabulary),
proposes :class:`~ocr_clean.ledger.Edit` objects against that text and hands them to
``doc.apply``.  It never imports another stage, the review store or the CLI.  The book's
word counts come from :meth:`Stage.book_vocab` (counted once per document, not per stage).
"""
from __future__ import annotations

from typing import Any, ClassVar

from ..document import Document
from ..ledger import Edit
from ..lexicon import BookVocab, data_file

REGISTRY: dict[str, type["Stage"]] = {}


def register(cls: type["Stage"]) -> type["Stage"]:
    """Class decorator: make a stage available to pipelines by its ``name``."""
    if not getattr(cls, "name", ""):
        raise TypeError(f"{cls.__name__} has no name")
    REGISTRY[cls.name] = cls
    return cls


class Stage:
    """Base class.  Subclasses set ``name``, ``defaults`` and implement :meth:`propose`."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    defaults: ClassVar[dict[str, Any]] = {}
    # the files of the data directory (``lexicon.dictionaries_dir()``) the stage reads: a
    # run checks them all before the first text (one clear error when one is missing)
    data_files: ClassVar[tuple[str, ...]] = ()

    def __init__(self, config: dict[str, Any] | None = None, lexicon: Any = None) -> None:
        self.config = {**self.defaults, **(config or {})}
        self.lexicon = lexicon
        for f in self.data_files:   # a missing one stops here, before any text is cleaned
            data_file(f)

    def propose(self, text: str, doc: Document) -> list[Edit]:  # pragma: no cover - abstract
        raise NotImplementedError

    def book_vocab(self, text: str, doc: Document | None):
        """The book's own words in ``text`` (``lexicon.BookVocab``): the document's count when
        ``text`` is its current text (counted once and revised as the stages edit, so shared
        by the stages), else a count of ``text`` itself."""
        if doc is not None and (doc.text is text or doc.text == text):
            return doc.vocab()
        return self.lexicon.book(text) if self.lexicon is not None else BookVocab.from_text(text)

    def __call__(self, doc: Document) -> Document:
        doc.apply(self.name, self.propose(doc.text, doc))
        return doc

    def __repr__(self) -> str:
        return f"<stage {self.name}>"
