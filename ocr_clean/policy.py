"""The one confidence policy: from an edit's score and the user's thresholds, applied, queued
for a person, or dropped; and which applied edits a person is shown too.

A stage scores its edits and leaves the decision here.  It proposes an edit with one of the
statuses below instead of ``applied`` / ``queued``:

* ``SCORED``: applied from ``apply_threshold``, queued (the raw text stays, a person decides)
  from ``queue_threshold``, else dropped;
* ``SCORED_NO_QUEUE``: applied from ``apply_threshold``, else dropped (a doubtful fix whose
  reading has too little evidence to be worth a person's look);
* ``SCORED_QUEUE``: queued from ``queue_threshold``, else dropped (a rule says a person
  decides whatever the score, e.g. a real word doubted on too little context).

The thresholds are the stage's settings ``apply_threshold`` and ``queue_threshold``
(``[stages.NAME]`` in a config).  An edit proposed ``applied`` or ``queued`` keeps the status
its stage gave (stages not yet scored this way, and rules that are never a matter of score).
Applied edits less sure than the config's ``review_below`` are also put before a person
(:func:`for_review`)::

    >>> th = Thresholds(apply=0.9, queue=0.5)
    >>> [status_for(SCORED, s, th) for s in (0.95, 0.7, 0.3)]
    ['applied', 'queued', None]
    >>> status_for(SCORED_NO_QUEUE, 0.7, th), status_for(SCORED_QUEUE, 0.95, th)
    (None, 'queued')

Imports nothing of ours but the ledger.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from .ledger import APPLIED, QUEUED, Edit

SCORED = "scored"                    # the policy decides from the score
SCORED_NO_QUEUE = "scored-no-queue"  # applied or dropped, never queued
SCORED_QUEUE = "scored-queue"        # queued or dropped, never applied
PROPOSED = frozenset({SCORED, SCORED_NO_QUEUE, SCORED_QUEUE})
REVIEW_BELOW = 0.65                  # the default of the config's review_below

__all__ = ["PROPOSED", "REVIEW_BELOW", "SCORED", "SCORED_NO_QUEUE", "SCORED_QUEUE", "Thresholds",
           "for_review", "settle", "status_for"]


@dataclass(frozen=True)
class Thresholds:
    """A stage's thresholds: applied from ``apply``, queued from ``queue``."""

    apply: float = 1.0
    queue: float = 0.0

    @classmethod
    def of(cls, config: Mapping) -> "Thresholds":
        """The thresholds of a stage's checked settings (a stage that scores declares both)."""
        return cls(float(config.get("apply_threshold", 1.0)), float(config.get("queue_threshold", 0.0)))


def status_for(proposed: str, score: float, th: Thresholds) -> str | None:
    """The status of an edit proposed with ``proposed`` and scored ``score``; None: dropped."""
    if proposed == SCORED:
        return APPLIED if score >= th.apply else QUEUED if score >= th.queue else None
    if proposed == SCORED_NO_QUEUE:
        return APPLIED if score >= th.apply else None
    if proposed == SCORED_QUEUE:
        return QUEUED if score >= th.queue else None
    return proposed


def settle(edits: Iterable[Edit], th: Thresholds) -> list[Edit]:
    """The edits with their statuses decided (a dropped one left out); edits proposed with
    a status of their own keep it.

    >>> e = [Edit(0, 1, "m", "glyph", 0.95, SCORED), Edit(2, 3, "m", "glyph", 0.4, SCORED),
    ...      Edit(4, 5, "", "too-long", 0.0, QUEUED)]
    >>> [(x.start, x.status) for x in settle(e, Thresholds(0.9, 0.5))]
    [(0, 'applied'), (4, 'queued')]
    """
    out = []
    for e in edits:
        if e.status in PROPOSED:
            status = status_for(e.status, e.confidence, th)
            if status is None:
                continue
            e.status = status
        out.append(e)
    return out


def for_review(edits: Iterable[Edit], review_below: float = REVIEW_BELOW) -> list[Edit]:
    """What a person should see: the queued edits, and the applied ones less sure than
    ``review_below`` (they stay applied until a person rejects them).

    >>> edits = [Edit(0, 1, "a", "r", 0.6), Edit(1, 2, "b", "r", 0.9), Edit(2, 3, "c", "r", 0.9, QUEUED)]
    >>> [e.start for e in for_review(edits)]
    [0, 2]
    """
    return [e for e in edits if e.status == QUEUED or (e.status == APPLIED and e.confidence < review_below)]
