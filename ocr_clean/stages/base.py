"""What every stage is: one job, text + ledger in, text + ledger out.

A stage is a small class registered by name.  It reads ``doc.text`` (and, for
evidence, the :class:`~ocr_clean.lexicon.Lexicon` and the book's own vocabulary),
proposes :class:`~ocr_clean.ledger.Edit` objects against that text and hands them to
``doc.apply``.  It never imports another stage, the review store or the CLI.
"""
from __future__ import annotations

from typing import Any, ClassVar

from ..document import Document
from ..ledger import Edit

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

    def __init__(self, config: dict[str, Any] | None = None, lexicon: Any = None) -> None:
        self.config = {**self.defaults, **(config or {})}
        self.lexicon = lexicon

    def propose(self, text: str, doc: Document) -> list[Edit]:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, doc: Document) -> Document:
        doc.apply(self.name, self.propose(doc.text, doc))
        return doc

    def __repr__(self) -> str:
        return f"<stage {self.name}>"
