"""Clean files on disk: the library behind ``ocr-clean clean``.

For each input ``raw/<stem>.txt`` it writes ``<out>/<stem>.txt`` (the cleaned text) and
``<out>/<stem>.ledger.jsonl`` (a header naming the source, then every edit), each
atomically: a crash halfway leaves the previous files or none, never half of one.

Many books are cleaned in parallel with ``jobs`` > 1 (a process pool; ``jobs=0`` uses
every core) or on a Ray or Dask cluster (``executor="ray"|"dask"``, see
:mod:`ocr_clean.executors`).  Whatever runs the books, it is one code path: each worker
builds its :class:`~ocr_clean.pipeline.Pipeline` once and calls :func:`clean_task` per
file.  The review store is only touched by the calling process: it loads a book's
decisions into a plain :class:`DecisionMap` handed to the worker, and submits the
uncertain edits the worker sends back.

The parts, each importing only those listed before it:

* :mod:`.report`: what a clean writes and reports (:class:`FileReport`, the output
  paths, the settings key and the config kept in a ledger header);
* :mod:`.inputs`: which files a source is read from, and that no output overwrites one;
* :mod:`.formatted`: a source in another format than plain text (ALTO, hOCR, PAGE XML,
  JSONL, a book folder of pages);
* :mod:`.resume`: whether a book's outputs are current (``resume=True``);
* :mod:`.files`: :func:`clean_file`, one book cleaned and written;
* :mod:`.worker`: the worker side (:class:`DecisionMap`, :class:`WorkerInit`,
  :class:`Task`, :func:`clean_task`);
* :mod:`.run`: the calling side (:func:`clean_paths`).
"""
from .files import clean_file, write_outputs
from .inputs import refuse_overwriting_inputs
from .report import FileReport, config_record, output_paths, settings_key


def __getattr__(name: str):
    """The parts that import the formats' readers (lxml, rapidfuzz), the review store and the
    process pools, when first asked for: writing one cleaned text (:func:`write_outputs`)
    does not pay for their import."""
    if name in ("format_key", "formatted_inputs", "inputs_sha256", "record_decisions"):
        from .formatted import format_key, formatted_inputs, inputs_sha256, record_decisions
    elif name in ("formatted_current", "is_current", "read_whole_ledger", "review_ids"):
        from .resume import formatted_current, is_current, read_whole_ledger, review_ids
    elif name in ("EXECUTORS", "BatchInterrupted", "clean_paths", "resolve_jobs"):
        from .run import EXECUTORS, BatchInterrupted, clean_paths, resolve_jobs
    elif name in ("DecisionMap", "Task", "WorkerInit", "clean_task", "init_worker", "worker_pipeline"):
        from .worker import DecisionMap, Task, WorkerInit, clean_task, init_worker, worker_pipeline
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = locals()[name]
    globals()[name] = value
    return value


__all__ = ["EXECUTORS", "BatchInterrupted", "DecisionMap", "FileReport", "Task", "WorkerInit",
           "clean_file", "clean_paths", "clean_task", "config_record", "format_key",
           "formatted_current", "formatted_inputs", "init_worker", "inputs_sha256", "is_current",
           "output_paths", "read_whole_ledger", "record_decisions", "refuse_overwriting_inputs",
           "resolve_jobs", "review_ids", "settings_key", "worker_pipeline", "write_outputs"]
