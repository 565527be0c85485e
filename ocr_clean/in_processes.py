"""A collection in memory cleaned on several processes (``clean_texts(..., jobs=N)``).

The collection's habits and words are measured once, in the calling process; the texts are
cut into runs of ``CHUNK`` and each run is cleaned by a worker's own pipeline with them (the
same pipeline, settings and evidence as in one process: the results are the same, text for
text).  The results come back in the texts' order.  The workers are the batch's
(:func:`ocr_clean.executors.run_process_pool`): they die with the calling process and leave
Ctrl-C to it.
"""
from __future__ import annotations

import os
from typing import Any

from . import executors

CHUNK = 16            # texts a worker cleans per call (fewer calls, results still spread evenly)
MIN_PER_JOB = 50      # texts per process below which starting another one does not pay

_STATE: dict[str, Any] = {}     # a worker's pipeline and the collection's evidence (set up once)


def jobs_for(jobs: int | None, n: int) -> int:
    """The processes to clean ``n`` texts on: ``jobs`` if given (never more than the texts);
    by default (None) one per core, each with ``MIN_PER_JOB`` texts at least, where workers
    start by fork (elsewhere they import the calling script again, which then needs its
    ``if __name__ == "__main__":`` guard: only a caller who asks for ``jobs`` gets them); and
    one inside a worker process of someone else's pool (a daemon may start no process).

    >>> jobs_for(1, 500), jobs_for(4, 3), jobs_for(None, 60)
    (1, 3, 1)
    """
    if jobs is not None:
        if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
            raise ValueError(f"jobs must be a whole number of processes, 1 or more (or None), not {jobs!r}")
        wanted = min(jobs, max(1, n))
    else:
        wanted = min(os.cpu_count() or 1, n // MIN_PER_JOB)
        if wanted > 1 and not executors.can_fork():
            return 1
    if wanted > 1:
        import multiprocessing      # (here: a collection cleaned in this process never needs it)

        if multiprocessing.current_process().daemon:
            return 1
    return max(1, wanted)


def clean_in_processes(texts: list[str], names: list[str], init: tuple, jobs: int) -> list:
    """The :class:`~ocr_clean.pipeline.Result` of each of ``texts`` (named ``names``), cleaned on
    ``jobs`` processes; ``init`` is (the function that builds a worker's pipeline from the next
    two, the config, the stages skipped, the collection's profile, its words)."""
    items = list(zip(names, texts))
    tasks = [(k, items[i:i + CHUNK]) for k, i in enumerate(range(0, len(items), CHUNK))]
    parts: dict[int, list] = {}

    def done(k: int, results: list, _queued: list) -> None:
        parts[k] = results

    # Ctrl-C ends the workers at once (an in-memory collection writes nothing, so nothing is
    # lost): the first one counts as the batch's second, and the call raises KeyboardInterrupt;
    # a run that fails ends them too, and the call raises its error
    stop = executors.Stop(on_signal=lambda n: setattr(stop, "count", max(n, 2)))
    errors: list[str] = []

    def failed(task: list, why: str) -> list:
        errors.append(f"cleaning the texts {task[0][0]!r} to {task[-1][0]!r} failed: {why}")
        stop.count = 2
        return []

    with executors.catching_interrupts(stop):
        executors.run_process_pool(tasks, _clean_run, _set_up, init, jobs, done, failed, stop, init_once=True)
    if errors:
        raise RuntimeError(errors[0])
    if stop.requested or len(parts) != len(tasks):
        raise KeyboardInterrupt
    words = init[-1]
    results = [r for k in range(len(tasks)) for r in parts[k]]
    for r in results:
        r.document.collection = words       # each text belongs to the collection, as in one process
    return results


def _set_up(init: tuple, batch_pid: int | None = None) -> None:
    """A worker's start (the pool's initializer): it dies with the calling process, leaves
    Ctrl-C to it, and builds its pipeline before the first run."""
    executors.die_with_parent(batch_pid)
    executors.ignore_interrupts()
    build, config, skip, profile, words = init
    _STATE.update(pipe=build(config, skip), profile=profile, words=words)


def _clean_run(run: list, _init: None) -> tuple[list, list]:
    """One run of texts ((name, text) pairs) cleaned in a worker by what :func:`_set_up` kept:
    (their results, no edits left to queue: an in-memory collection has no review database)."""
    pipe, profile, words = _STATE["pipe"], _STATE["profile"], _STATE["words"]
    results = [pipe.run(text, name, profile=profile, collection=words) for name, text in run]
    for r in results:
        r.document.collection = None        # (the collection's words are the caller's: not sent back
        r.document.forget_counts()          # with each text; nor the text's own count, made again if asked)
    return results, []
