"""Explain a line of a cleaned text: the raw lines it came from and the edits that made it."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .document import Document
from .io import read_text
from .ledger import Edit, read_ledger, source_path
from .review.apply import ApplyError, locate_raw, read_header, refuse_other_formats


class ExplainError(ValueError):
    pass


@dataclass
class Explanation:
    line: int
    text: str
    source: str
    raw_first: int
    raw_last: int
    edits: list[Edit] = field(default_factory=list)
    hidden: int = 0
    profile: dict | None = None     # the scan profile of the run (ledger header), as a dict


def _value(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, (list, tuple)):
        return "/".join(map(_value, v))
    return str(v)


def evidence_text(evidence: dict) -> str:
    """The factors of a score as one readable run: ``channel=0.31 english=2.1e-05 ...``.

    >>> evidence_text({"channel": 0.3125, "book": 12, "profile": True})
    'channel=0.3125 book=12 profile=yes'
    """
    return " ".join(f"{k}={_value(v)}" for k, v in evidence.items())


def edit_text(e: Edit) -> str:
    """One line for an edit: where, stage and rule, the change, its score and status, the
    note and the evidence that made the score."""
    head = f"{e.raw_line}:{e.raw_col} {e.stage}:{e.rule} {e.before!r} -> {e.after!r} {e.confidence:.4g} {e.status}"
    if e.note:
        head += f" ({e.note})"
    return head + (f"; evidence: {evidence_text(e.evidence)}" if e.evidence else "")


def is_layout(e: Edit) -> bool:
    """A join of lines or a change of white space only."""
    return not e.before.strip() and not e.after.strip()


def explain_document(doc: Document, line: int, *, include_layout: bool = False) -> Explanation:
    """Explain line ``line`` (1-based) of ``doc.text``."""
    lines = doc.text.split("\n")
    if not 1 <= line <= len(lines):
        raise ExplainError(f"line {line} is outside the text (1-{len(lines)})")
    start = sum(len(x) + 1 for x in lines[: line - 1])
    end = start + len(lines[line - 1])
    r0 = doc.raw_offset(start)
    r1 = doc.raw_offset(max(start, end - 1)) + 1 if end > start else r0
    first = doc.raw_line_col(r0)[0]
    last = doc.raw_line_col(max(r0, r1 - 1))[0]
    edits, hidden = [], 0
    for e in doc.ledger:
        if r0 <= e.raw_start < r1 or (e.raw_start == r1 and e.raw_end == r1 and end > start):
            if include_layout or not is_layout(e):
                edits.append(e)
            else:
                hidden += 1
    return Explanation(line, lines[line - 1], doc.name, first, last, edits, hidden)


def explain_line(cleaned: Path, ledger_path: Path, line: int, *, include_layout: bool = False) -> Explanation:
    """Explain a line of a cleaned file, from its ledger file and the raw file it names."""
    if not Path(ledger_path).is_file():
        raise ExplainError(f"{ledger_path}: no ledger beside the cleaned text; run 'ocr-clean clean' first")
    try:
        refuse_other_formats(read_header(ledger_path), ledger_path, "explain")
    except ApplyError as exc:
        raise ExplainError(str(exc)) from None
    except (ValueError, TypeError, KeyError, AttributeError):   # not even a header that parses
        raise ExplainError(f"{ledger_path}: the ledger is damaged or cut short; "
                           "clean the book again to rebuild it") from None
    try:
        ledger = read_ledger(ledger_path)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:   # a line cut short, or not a ledger
        raise ExplainError(f"{ledger_path}: the ledger is damaged or cut short; "
                           "clean the book again to rebuild it") from None
    except OSError as exc:
        raise ExplainError(f"{ledger_path}: cannot read the ledger ({exc.strerror or exc})") from None
    announced = ledger.header.get("edits") if isinstance(ledger.header, dict) else None
    if isinstance(announced, int) and announced != len(ledger):
        raise ExplainError(f"{ledger_path}: the ledger is cut short ({len(ledger)} of its {announced} edits); "
                           "clean the book again to rebuild it")
    source = source_path(ledger.header, ledger_path)
    if source is None:
        raise ExplainError(f"{ledger_path}: the ledger has no header naming its raw file")
    try:
        source, raw = locate_raw(ledger.header, ledger_path)
    except ApplyError as exc:
        raise ExplainError(str(exc)) from None
    doc = Document.rebuild(raw, ledger, name=str(source))
    ex = explain_document(doc, line, include_layout=include_layout)
    ex.profile = ledger.header.get("profile")
    # The cleaned file may carry review decisions applied later: show its own line.
    cleaned_lines = read_text(cleaned).split("\n")
    if line <= len(cleaned_lines):
        ex.text = cleaned_lines[line - 1]
    # Report the edits with the statuses the ledger holds now (decisions included).
    return ex
