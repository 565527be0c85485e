"""Sources in the formats libraries hold OCR in, and the corrections written back to them.

Readers (:mod:`.alto`, :mod:`.hocr`, :mod:`.page`) turn a file into a :class:`~.model.Parsed`:
the plain text the pipeline cleans and the word element behind every word (with the
engine's word confidences as ``Parsed.confidences``: ``(start, end, confidence)`` spans).
:mod:`.project` traces the cleaned text back to those words; the writers put the
corrections into the same file, every other element and attribute kept.  :mod:`.jsonl`
reads and writes records; :mod:`.run` cleans a file or a book of page files in memory.

No typer, rich or textual here: the CLI calls :func:`.run.clean_bytes` / :func:`.run.clean_book`.
"""
from .detect import FORMATS, detect, page_files
from .model import Parsed, Unit
from .options import Options
from .project import Change, identity_map, project


def __getattr__(name: str):
    """The run (its readers and writers import lxml) when first asked for: a plain-text
    clean, which needs none of it, does not pay for its import."""
    if name in ("Cleaned", "clean_book", "clean_bytes"):
        from .run import Cleaned, clean_book, clean_bytes
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = locals()[name]
    globals()[name] = value
    return value


__all__ = ["FORMATS", "Change", "Cleaned", "Options", "Parsed", "Unit", "clean_book", "clean_bytes",
           "detect", "identity_map", "page_files", "project"]
