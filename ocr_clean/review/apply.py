"""Put review decisions into cleaned outputs without running the stages again.

``cleaned/<stem>.ledger.jsonl`` holds every edit of the last clean with the status and
text it had when its stage ran.  :func:`apply_decisions` sets each decided edit's
status (accepted and edited go in, edited with the person's text; rejected stay out;
the others as recorded) and replays the ledger over the raw text
(:func:`ocr_clean.ledger.replay`); :func:`apply_file` checks the raw text is the one
cleaned (sha256 in the ledger header) and rewrites the text and the ledger atomically.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..io import InputError, atomic_write, read_text
from ..ledger import ACCEPTED, EDITED, IN_OUTPUT, QUEUED, REJECTED, Edit, Ledger, read_ledger, replay, source_path

Decisions = Mapping[str, "tuple[str, str]"]


class ApplyError(ValueError):
    """A cleaned output that cannot be rewritten; the message is one line."""


@dataclass
class ApplyReport:
    name: str
    text_path: Path
    ledger_path: Path
    decided: int = 0          # decisions found for edits of this ledger
    changed: int = 0          # edits whose status or text the decisions changed
    written: bool = False
    error: str | None = None
    statuses: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["text_path"], d["ledger_path"] = str(self.text_path), str(self.ledger_path)
        return d


def _decided(e: Edit, decisions: Decisions) -> tuple[str, str] | None:
    d = decisions.get(e.id)
    if d is None:
        return None
    status, text = d
    suggestion = e.planned_after if e.run_status else e.after
    if status in (ACCEPTED, EDITED):
        return status, text if text is not None else suggestion
    if status == REJECTED:
        return REJECTED, suggestion
    return None


def include_for(decisions: Decisions):
    """The ``include`` of :func:`ocr_clean.ledger.replay` for these decisions."""
    def include(e: Edit) -> bool:
        d = _decided(e, decisions)
        return e.in_output if d is None else d[0] in IN_OUTPUT
    return include


PERSON = frozenset({ACCEPTED, EDITED, REJECTED})


def apply_decisions(raw: str, ledger: Ledger, decisions: Decisions, name: str = "", *,
                    reopened: Mapping[str, str] | None = None) -> tuple[str, Ledger, dict[str, int]]:
    """The text of ``ledger``'s run with ``decisions`` in place, and the ledger with them.

    Each edit keeps the status and text it had when its stage ran (``run_status``,
    ``run_after``: later positions assume them); its ``status``/``after`` become the
    decision: accepted and edited go in (edited with the person's text), rejected stay
    out, the others as recorded.  An edit a person decided before whose id is in
    ``reopened`` (``{id: suggestion}``: the decision was taken back) is queued again
    with its suggestion.  The text is
    :func:`ocr_clean.ledger.replay` of the updated ledger.
    Returns ``(text, ledger, counts)``; counts: ``decided``, ``changed``.  ``ledger`` is
    changed in place.
    """
    reopened = dict(reopened or {})
    counts = {"decided": 0, "changed": 0}
    for e in ledger:
        if not e.run_status:                 # a ledger written before run statuses were kept
            e.run_status, e.run_after = e.status, e.after
        d = _decided(e, decisions)
        if d is not None:
            counts["decided"] += 1
        elif e.id in reopened and e.status in PERSON:
            d = (QUEUED, reopened[e.id])
        if d is not None and d != (e.status, e.after):
            counts["changed"] += 1
            e.status, e.after = d
    return replay(raw, ledger), ledger, counts


def _ledger_text(ledger: Ledger) -> str:
    """The ledger file's text, written as the batch writer writes it."""
    return ledger.to_jsonl(ledger.header or None)


def ledger_paths(directory: Path) -> list[Path]:
    return sorted(p for p in Path(directory).glob("*.ledger.jsonl") if not p.name.startswith("."))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _candidates(header: dict, ledger_path: Path):
    """``(path, recorded)``: where a ledger's raw file may be.  As recorded (relative to the
    ledger, then absolute), then a file of the same name, then any text file, beside the
    ledger or in its parent folder (and its ``raw/``); cleaned outputs are never candidates."""
    ledger_path = Path(ledger_path).resolve()
    rel = source_path(header, ledger_path)
    if rel is not None:
        yield rel, True
    if header.get("source_abs"):
        yield Path(header["source_abs"]), True
    name = Path(header.get("source_abs") or header.get("source") or "").name
    folders = [ledger_path.parent, ledger_path.parent.parent, ledger_path.parent.parent / "raw"]
    outputs = {p.with_name(p.name[: -len(".ledger.jsonl")] + ".txt").resolve()
               for p in ledger_paths(ledger_path.parent)}
    found = [d / name for d in folders] if name else []
    for d in folders:
        if d.is_dir():
            found += sorted(d.glob("*.txt"))
    for p in found:
        if p.resolve() not in outputs:
            yield p, False


def locate_raw(header: dict, ledger_path: Path, raw_path: Path | None = None) -> tuple[Path, str]:
    """The raw file a ledger was made from and its text, checked by the header's sha256.

    ``raw_path`` (``--raw``) names it outright; otherwise the recorded paths are tried,
    then a file with the same content beside the ledger (a moved or renamed raw file).
    """
    want = header.get("raw_sha256")
    if raw_path is not None:
        try:
            raw = read_text(Path(raw_path))
        except InputError as exc:
            raise ApplyError(str(exc)) from None
        if want and _sha(raw) != want:
            raise ApplyError(f"{raw_path} is not the raw text {Path(ledger_path).name} was cleaned from "
                             "(sha256 differs); clean it again instead of apply")
        return Path(raw_path), raw
    if not header.get("source") and not header.get("source_abs"):
        raise ApplyError(f"{ledger_path}: the ledger names no source file; clean the book again")
    seen: set[Path] = set()
    changed: Path | None = None
    for p, recorded in _candidates(header, ledger_path):
        p = p.resolve()
        if p in seen or not p.is_file():
            continue
        seen.add(p)
        try:
            raw = read_text(p)
        except InputError:
            continue
        if not want or _sha(raw) == want:
            return p, raw
        if changed is None and recorded:
            changed = p       # the file the ledger names, but with other content
    if changed is not None:
        raise ApplyError(f"{changed} changed since it was cleaned (sha256 differs); clean it again instead of apply")
    named = header.get("source_abs") or header.get("source")
    raise ApplyError(f"raw text of {Path(ledger_path).name} not found ({named}, nor a file with its content "
                     f"beside the ledger); give it with --raw PATH")


def refuse_other_formats(header: dict, ledger_path: Path, command: str) -> None:
    """A one-line error for the ledger of an ALTO, hOCR, PAGE XML or JSONL output (or of a
    book of pages): ``apply`` and ``explain`` read plain-text outputs only."""
    fmt = header.get("format")
    if fmt in (None, "txt") and not header.get("pages"):
        return
    what = "a book of page files" if header.get("pages") else \
        {"alto": "an ALTO", "hocr": "an hOCR", "page": "a PAGE XML", "jsonl": "a JSONL"}.get(fmt, f"a {fmt}") + " output"
    source = header.get("source_abs") or header.get("source") or "its source"
    if command == "apply":
        todo = f"clean {source} again with the same --db to put the review decisions in it"
    else:
        todo = f"clean {source} as text (--format txt) to explain its lines"
    raise ApplyError(f"{Path(ledger_path).name}: {what}; '{command}' reads plain-text outputs only: {todo}")


def load_raw(ledger: Ledger, ledger_path: Path, raw_path: Path | None = None) -> str:
    """The raw text a ledger was made from, checked against the header's sha256."""
    return locate_raw(ledger.header, ledger_path, raw_path)[1]


def apply_file(ledger_path: Path, decisions_of, *, store=None, dry_run: bool = False,
               raw_path: Path | None = None) -> ApplyReport:
    """Rewrite ``<stem>.txt`` and its ledger beside ``ledger_path`` with the decisions."""
    ledger_path = Path(ledger_path)
    stem = ledger_path.name[: -len(".ledger.jsonl")]
    rep = ApplyReport(stem, ledger_path.with_name(f"{stem}.txt"), ledger_path)
    try:
        refuse_other_formats(read_header(ledger_path), ledger_path, "apply")
        try:
            ledger = read_ledger(ledger_path)
        except (OSError, ValueError, TypeError) as exc:
            raise ApplyError(f"{ledger_path}: not a readable ledger ({exc})") from None
        name = ledger.header.get("name") or stem
        rep.name = name
        src, raw = locate_raw(ledger.header, ledger_path, raw_path)
        if store is not None:
            store.set_source(name, str(src), raw=raw,
                             raw_sha256=ledger.header.get("raw_sha256"), cleaned=rep.text_path)
        decisions = decisions_of(name)
        reopened = store.open_suggestions(name) if store is not None else None
        text, new_ledger, counts = apply_decisions(raw, ledger, decisions, name, reopened=reopened)
    except ApplyError as exc:
        rep.error = str(exc)
        return rep
    rep.decided, rep.changed = counts["decided"], counts["changed"]
    for e in new_ledger:
        rep.statuses[e.status] = rep.statuses.get(e.status, 0) + 1
    old_text = rep.text_path.read_text(encoding="utf-8") if rep.text_path.is_file() else None
    new_ledger_text = _ledger_text(new_ledger)
    old_ledger_text = ledger_path.read_text(encoding="utf-8")
    if not dry_run and (text != old_text or new_ledger_text != old_ledger_text):
        atomic_write(ledger_path, new_ledger_text)
        atomic_write(rep.text_path, text)   # the text last, as the batch writer does
        rep.written = True
    if store is not None:
        try:
            store.set_source(name, words=len(text.split()))
        except Exception:  # pragma: no cover - counts are a nicety
            pass
    return rep


def chosen_ledgers(directory: Path | str, docs: list[str] | None = None,
                   raw_path: Path | None = None) -> list[Path]:
    """The ledgers of ``directory`` to apply decisions to (those of ``docs`` when given); a
    one-line :class:`ApplyError` for a missing folder, one without ledgers, or ``--raw`` with
    more than one document."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ApplyError(f"{directory}: no such folder (clean first: ocr-clean clean raw/ --out {directory})")
    paths = ledger_paths(directory)
    if not paths:
        raise ApplyError(f"{directory}: holds no *.ledger.jsonl (clean first: ocr-clean clean raw/ --out {directory})")
    chosen = [p for p in paths if not docs or p.name[: -len(".ledger.jsonl")] in docs]
    if raw_path is not None and len(chosen) > 1:
        raise ApplyError(f"--raw names the raw file of one document; {directory} holds {len(chosen)}: "
                         "choose one with --doc NAME")
    return chosen


def apply_dir(directory: Path | str, store, *, docs: list[str] | None = None,
              dry_run: bool = False, raw_path: Path | None = None) -> list[ApplyReport]:
    """Rewrite every cleaned output in ``directory`` with the store's decisions, by replaying
    its ledger (no stage runs; :func:`ocr_clean.reapply.apply_dir` cleans again instead)."""
    return [apply_file(p, store.decisions_for, store=store, dry_run=dry_run, raw_path=raw_path)
            for p in chosen_ledgers(directory, docs, raw_path)]


def read_header(ledger_path: Path) -> dict:
    """Just the header line of a ledger file (``{}`` when there is none)."""
    try:
        with open(ledger_path, encoding="utf-8") as fh:
            first = fh.readline()
        return json.loads(first).get("header", {}) if first.strip() else {}
    except (OSError, ValueError, AttributeError):
        return {}


def attach_sources(store, directory: Path | str) -> int:
    """Tell the store where the raw text of each cleaned document is, and fill raw lines."""
    directory = Path(directory)
    if not directory.is_dir():
        return 0
    n = 0
    known = store.docs()
    for p in ledger_paths(directory):
        h = read_header(p)
        name = h.get("name") or p.name[: -len(".ledger.jsonl")]
        src = source_path(h, p)
        txt = p.with_name(p.name[: -len(".ledger.jsonl")] + ".txt")
        if src is None:
            continue
        if not src.is_file():
            try:
                src = locate_raw(h, p)[0]
            except ApplyError:
                pass
        missing = store.conn.execute("SELECT 1 FROM items WHERE doc=? AND raw_lines='' LIMIT 1",
                                     (name,)).fetchone()
        if name in known and known[name].get("source") == str(src) and not missing:
            continue
        raw = None
        if missing:
            try:
                raw = read_text(src)
            except InputError:
                raw = None
            if raw is not None and h.get("raw_sha256") and \
                    hashlib.sha256(raw.encode("utf-8")).hexdigest() != h["raw_sha256"]:
                raw = None
        words = None
        if txt.is_file():
            words = len(txt.read_text(encoding="utf-8").split())
        store.set_source(name, src, raw=raw, raw_sha256=h.get("raw_sha256"),
                         cleaned=txt if txt.is_file() else None, words=words)
        n += 1
    return n
