"""The one port between the pipeline and a review: decisions in, uncertain edits out, lessons.

A review (the SQLite :class:`~ocr_clean.review.store.ReviewStore`, or the picklable map of a
book's decisions a batch worker gets) answers three things:

* :meth:`ReviewPort.decision`: what a person already decided for an edit (status, text);
* :meth:`ReviewPort.submit`: the uncertain edits of a run, to be put before a person (the
  pipeline's run is the only caller: one submission path);
* :meth:`ReviewPort.lessons`: what the decisions teach the next clean, as plain data
  (:class:`Lessons`): accepted forms are words of the book, rejected raw forms are protected
  from the same fix, accepted pairs weigh the rules they used in the confusion profile.

Nothing here knows about stages, SQLite or files.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Iterable, Protocol

from .ledger import Edit


@dataclass(frozen=True)
class Lessons:
    """What a review taught, as plain (picklable) data."""

    words: tuple[str, ...] = ()                          # forms people accepted or typed
    rejected: tuple[str, ...] = ()                       # raw forms people kept as they are
    pairs: tuple[tuple[str, str], ...] = ()              # accepted (before, after) word pairs
    rejected_pairs: tuple[tuple[str, str], ...] = ()     # fixes rejected anywhere (protect alike)

    @classmethod
    def of(cls, review: "ReviewPort | None") -> "Lessons":
        """The lessons of ``review`` (none without one)."""
        return cls() if review is None else review.lessons()

    def key(self) -> str:
        """A short key of the lessons ("" for none): cleaned outputs record it, so that a
        book is cleaned again when what the review taught changes."""
        if not (self.words or self.rejected or self.pairs or self.rejected_pairs):
            return ""
        blob = json.dumps([self.words, self.rejected, self.pairs, self.rejected_pairs],
                          ensure_ascii=False, default=str)
        return hashlib.blake2b(blob.encode("utf-8"), digest_size=8).hexdigest()


class ReviewPort(Protocol):
    """What the pipeline needs of a review."""

    def decision(self, doc_name: str, edit: Edit) -> "tuple[str, str] | None": ...

    def submit(self, doc_name: str, edits: Iterable[Edit]) -> int: ...

    def lessons(self) -> Lessons: ...
