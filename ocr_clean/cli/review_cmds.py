"""``ocr-clean queue ...``, ``ocr-clean review`` and ``ocr-clean apply``.

The lead's CLI calls :func:`register` with the main typer app.
"""
from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..reapply import apply_dir
from ..review.apply import ApplyError, attach_sources
from ..review.store import DECIDED, DEFAULT_DB, ITEM_STATUSES, OPEN, Item, ReviewStore, StoreError, marked_context, visible

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DB_HELP = "The review queue (SQLite file)."
CLEANED_HELP = "Folder of cleaned outputs (its ledgers name the raw files)."


BAD_INPUT = 2   # a missing file or a bad option value: the same code in every command


def _fail(msg: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {escape(msg)}", markup=True, highlight=False)
    raise typer.Exit(code)


def open_store(db: Path, *, create: bool = False, who: str | None = None) -> ReviewStore:
    db = Path(db)
    if not create and not db.exists():
        _fail(f"no review queue at {db} (it is made by `ocr-clean clean`; or give --db PATH)", BAD_INPUT)
    try:
        return ReviewStore(db, who=who)
    except StoreError as exc:
        _fail(str(exc))
    raise AssertionError  # pragma: no cover


def _attach(store: ReviewStore, cleaned: Path) -> None:
    """Where the raw texts are (for raw lines): a nicety that needs a writable queue."""
    try:
        attach_sources(store, cleaned)
    except (sqlite3.Error, StoreError, OSError):
        pass   # a read-only queue is still listed and counted


STATUS_CHOICES = (*ITEM_STATUSES, "decided", "all")


def _check_status(status: str) -> str | None:
    """The store's status filter for ``--status`` (None = all); a clear error otherwise."""
    if status not in STATUS_CHOICES:
        _fail(f"unknown --status {status!r}; one of: {', '.join(STATUS_CHOICES)}", BAD_INPUT)
    return None if status == "all" else status


def _find(store: ReviewStore, item_id: str) -> Item:
    """The item an id (or a prefix of one) names; ambiguous and unknown ids are errors."""
    found = store.find(item_id)
    if not found:
        _fail(f"no queued item {item_id!r} (see: ocr-clean queue list --status all)", BAD_INPUT)
    if len(found) > 1:
        shown = ", ".join(f"{i.id} ({i.raw_line}:{i.raw_col} {visible(i.before)} -> {visible(i.suggestion)})"
                          for i in found[:5])
        more = f" and {len(found) - 5} more" if len(found) > 5 else ""
        _fail(f"id prefix {item_id!r} is ambiguous: {len(found)} items match: {shown}{more}; give more of the id",
              BAD_INPUT)
    return found[0]


def plain_line(it: Item, *, with_status: bool = False) -> str:
    """One item as one unwrapped line for a pipe: id, where, rule, confidence, before -> after, context."""
    ctx = (it.context or "").replace("\n", "\u23ce")
    cols = [it.id, f"{it.doc}:{it.raw_line}:{it.raw_col}", f"{it.stage}:{it.rule}", f"{it.confidence:.2f}"]
    if with_status:
        cols.append(it.status)
    cols += [f"{visible(it.before)} -> {visible(it.chosen if it.decided else it.suggestion)}", ctx]
    return "\t".join(cols)


def item_json(it: Item) -> dict:
    return {
        "id": it.id, "doc": it.doc, "stage": it.stage, "rule": it.rule,
        "line": it.raw_line, "col": it.raw_col, "line_end": it.raw_line_end,
        "before": it.before, "suggestion": it.suggestion, "candidates": it.ranked,
        "confidence": round(it.confidence, 4), "context": it.context, "raw_lines": it.raw_lines,
        "status": it.status, "decision": it.decision, "chosen": it.chosen,
        "applied": it.applied,      # open, but already in the text (a low-confidence fix)
        "evidence": it.evidence,
        "who": it.who, "decided_at": it.decided_at, "note": it.note,
    }


_show = visible


def context_text(it: Item, width: int = 30) -> Text:
    """The item's line of the cleaned output around the change, the change marked (rich Text)."""
    parts = marked_context(it.context or "", it.before, it.suggestion)
    t = Text()
    if parts is None:
        t.append(_show(it.before), style="bold red")
        t.append(" → ")
        t.append(_show(it.suggestion), style="bold green")
        return t
    left, was, now, right = parts
    t.append(left[-width:].replace("\n", " "), style="dim")
    if it.status == "rejected":      # the raw text stays; the refused fix struck out
        t.append(_show(was), style="bold")
        t.append(_show(now), style="dim red strike")
    else:
        t.append(_show(was), style="bold red strike")
        t.append(_show(it.chosen if it.decided else now), style="bold green")
    t.append(right[:width].replace("\n", " "), style="dim")
    return t


def queue_list(
    db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
    status: str = typer.Option("open", "--status", help="open, accepted, rejected, edited, decided or all."),
    rule: Optional[str] = typer.Option(None, "--rule", help="Only this rule."),
    stage: Optional[str] = typer.Option(None, "--stage", help="Only this stage."),
    doc: Optional[str] = typer.Option(None, "--doc", help="Only this document (file stem)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many."),
    as_json: bool = typer.Option(False, "--json", help="A JSON list instead of a table."),
    cleaned: Path = typer.Option(Path("cleaned"), "--cleaned", help=CLEANED_HELP),
) -> None:
    """List queued items (open ones by default).

    In a terminal a table; in a pipe one item a line, tab-separated:
    id, doc:line:col, stage:rule, confidence, before -> after, context.
    """
    st = _check_status(status)
    store = open_store(db)
    _attach(store, cleaned)
    try:
        items = store.items(status=st, rule=rule, stage=stage, doc=doc, limit=limit)
    except StoreError as exc:
        _fail(str(exc))
    if as_json:
        sys.stdout.write(json.dumps([item_json(i) for i in items], ensure_ascii=False, indent=1) + "\n")
        return
    if not out.is_terminal:
        for it in items:
            sys.stdout.write(plain_line(it, with_status=status not in ITEM_STATUSES) + "\n")
        return
    if not items:
        out.print(f"no {status if status != 'all' else ''} items".replace("  ", " "))
        return
    many_docs = len({i.doc for i in items}) > 1
    show_status = status not in ITEM_STATUSES
    table = Table(title=f"{len(items)} {status if status != 'all' else ''} item(s)".replace("  ", " "),
                  expand=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("doc:line:col" if many_docs else "line:col", no_wrap=True)
    table.add_column("stage:rule", overflow="fold")
    table.add_column("conf", justify="right", no_wrap=True)
    table.add_column("change in context", ratio=1, min_width=28)
    if show_status:
        table.add_column("status", no_wrap=True)
    for it in items:
        where = f"{it.doc}:{it.raw_line}:{it.raw_col}" if many_docs else f"{it.raw_line}:{it.raw_col}"
        row = [it.id, where, f"{it.stage}:{it.rule}", f"{it.confidence:.2f}", context_text(it, 18)]
        if show_status:
            row.append(Text(it.status, style={"open": "yellow", "accepted": "green", "rejected": "red",
                                              "edited": "magenta"}.get(it.status, "")))
        table.add_row(*row)
    out.print(table)


def queue_decide(
    item_id: str = typer.Argument(..., metavar="ID", help="Item id (a unique prefix will do)."),
    accept: bool = typer.Option(False, "--accept", help="Take the suggestion."),
    reject: bool = typer.Option(False, "--reject", help="Keep the raw text."),
    edit: Optional[str] = typer.Option(None, "--edit", help="Put this text in instead."),
    pick: Optional[int] = typer.Option(None, "--pick", min=1, help="Take candidate N (1 = the suggestion)."),
    alike: bool = typer.Option(False, "--alike", help="Also every open item with the same before -> after."),
    force: bool = typer.Option(False, "--force", help="Change an item already decided."),
    who: Optional[str] = typer.Option(None, "--who", help="Who decides (default $USER)."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
) -> None:
    """Decide one item: --accept, --reject, --edit TEXT or --pick N."""
    chosen = [accept, reject, edit is not None, pick is not None]
    if sum(chosen) != 1:
        _fail("give exactly one of --accept, --reject, --edit TEXT, --pick N", BAD_INPUT)
    store = open_store(db, who=who)
    it = _find(store, item_id)
    if it.decided and not force:
        _fail(f"item {it.id} is already {it.status} ({visible(it.before)} -> {visible(it.chosen)}) "
              f"by {it.who or 'someone'} at {it.decided_at or '?'}; add --force to change it")
    text = None
    if accept:
        status = "accepted"
    elif reject:
        status = "rejected"
    elif edit is not None:
        status, text = "edited", edit
    else:
        ranked = it.ranked
        if pick > len(ranked):
            _fail(f"item {it.id} has {len(ranked)} candidate(s): {', '.join(map(repr, ranked))}", BAD_INPUT)
        status, text = "accepted", ranked[pick - 1]
    try:
        done = (store.decide_alike if alike else store.decide_many)(
            it.id if alike else [it.id], status, text)
    except StoreError as exc:
        _fail(str(exc))
    first = done[0]
    extra = f" (and {len(done) - 1} alike)" if len(done) > 1 else ""
    if not out.is_terminal:     # in a pipe the styles are gone: before and after kept apart
        sys.stdout.write(f"{first.id} {first.status}: {visible(first.before)} -> {visible(first.chosen)}{extra}\n")
        return
    out.print(Text.assemble((first.id, "cyan"), " ", (first.status, "bold"), ": ",
                            context_text(first), extra))


def queue_export(
    file: Path = typer.Argument(..., metavar="FILE.jsonl", help="Where to write (- for stdout)."),
    status: str = typer.Option("all", "--status", help="Which items: all, open, decided, ..."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
    cleaned: Path = typer.Option(Path("cleaned"), "--cleaned", help=CLEANED_HELP),
) -> None:
    """Write items (and decisions) as JSON lines, to decide or keep elsewhere."""
    st = _check_status(status)
    store = open_store(db)
    _attach(store, cleaned)
    try:
        if str(file) == "-":
            n = store.export_jsonl(sys.stdout, status=st)
        else:
            import io as _io

            from ..io import atomic_write

            buf = _io.StringIO()
            n = store.export_jsonl(buf, status=st)
            atomic_write(file, buf.getvalue())
    except StoreError as exc:
        _fail(str(exc))
    if str(file) != "-":
        out.print(f"wrote {n} item(s) to {escape(str(file))}")


def queue_import(
    file: Path = typer.Argument(..., metavar="FILE.jsonl", help="Items exported with `queue export`."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Imported decisions replace local ones."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
) -> None:
    """Bring back decisions made elsewhere (and items not yet known here)."""
    if not file.is_file():
        _fail(f"{file}: no such file", BAD_INPUT)
    store = open_store(db, create=True)
    try:
        with open(file, encoding="utf-8") as fh:
            counts = store.import_jsonl(fh, overwrite=overwrite)
    except (StoreError, UnicodeDecodeError) as exc:
        _fail(f"{file}: {exc}")
    out.print(f"{counts['decided']} decision(s) taken, {counts['added']} new item(s), "
              f"{counts['same']} already so, {counts['kept']} kept (local decision; --overwrite to replace)")


def queue_stats(
    db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
    text: Optional[Path] = typer.Option(None, "--text", help="A cleaned text, to count items per 1,000 words."),
    cleaned: Path = typer.Option(Path("cleaned"), "--cleaned", help=CLEANED_HELP),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of tables."),
) -> None:
    """Open and decided counts by rule and stage; items per 1,000 words."""
    store = open_store(db)
    _attach(store, cleaned)
    st = store.stats()
    words = None
    if text is not None:
        if not text.is_file():
            _fail(f"{text}: no such file", BAD_INPUT)
        words = len(text.read_text(encoding="utf-8").split())
    else:
        known = [d.get("words") for name, d in store.docs().items() if name in st["by_doc"]]
        if known and all(isinstance(w, int) for w in known):
            words = sum(known)
    st["words"] = words
    if words:
        st["per_1000_words"] = {
            "items": round(1000 * sum(st["total"][s] for s in ITEM_STATUSES) / words, 3),
            "open": round(1000 * st["total"][OPEN] / words, 3),
        }
    if as_json:
        sys.stdout.write(json.dumps(st, ensure_ascii=False, indent=1) + "\n")
        return
    tot = st["total"]
    out.print(Text.assemble(("queue ", "bold"), (f"{tot[OPEN]} open", "yellow"), " · ",
                            (f"{tot['decided']} decided", "green"),
                            f" (accepted {tot['accepted']}, rejected {tot['rejected']}, edited {tot['edited']})"))
    if words:
        p = st["per_1000_words"]
        out.print(f"{words:,} words: {p['items']} items and {p['open']} open per 1,000 words")
    for key, title in (("by_rule", "stage:rule"), ("by_stage", "stage")):
        if not st[key]:
            continue
        table = Table(title=f"by {title}")
        table.add_column(title)
        for col in (OPEN, *DECIDED):
            table.add_column(col, justify="right")
        for k, row in st[key].items():
            table.add_row(k, *(str(row[c]) for c in (OPEN, *DECIDED)))
        out.print(table)


def review_cmd(
    db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
    rule: Optional[str] = typer.Option(None, "--rule", help="Only this rule."),
    stage: Optional[str] = typer.Option(None, "--stage", help="Only this stage."),
    doc: Optional[str] = typer.Option(None, "--doc", help="Only this document."),
    who: Optional[str] = typer.Option(None, "--who", help="Who decides (default $USER)."),
    cleaned: Path = typer.Option(Path("cleaned"), "--cleaned", help=CLEANED_HELP),
) -> None:
    """Review the queue one item at a time (a terminal app); decisions are saved as made."""
    store = open_store(db, who=who)
    _attach(store, cleaned)
    if not store.items(status=OPEN, rule=rule, stage=stage, doc=doc, limit=1):
        out.print("nothing to review: no open item" + (" matches the filter" if rule or stage or doc else ""))
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _fail("review needs a terminal (stdin and stdout); in a script use: ocr-clean queue list / queue decide",
              BAD_INPUT)
    from ..review.tui import ReviewApp

    app_ = ReviewApp(store, rule=rule, stage=stage, doc=doc)
    app_.run()
    out.print(app_.summary())


def apply_cmd(
    directory: Path = typer.Argument(Path("cleaned"), metavar="DIR", help="Folder of cleaned outputs."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
    doc: Optional[list[str]] = typer.Option(None, "--doc", help="Only these documents."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would change; write nothing."),
    raw: Optional[Path] = typer.Option(None, "--raw", help="The raw file, when it moved (one document)."),
) -> None:
    """Rewrite cleaned texts and ledgers with the review decisions: the text a fresh clean gives.

    The book is cleaned again from its raw file with the settings its ledger records
    (decisions teach the stages); --dry-run (or an old ledger) replays the ledger instead.

    The raw file is found where the ledger names it, or by its content beside the
    ledger; else give it with --raw PATH.
    """
    store = open_store(db)
    if raw is not None and not raw.is_file():
        _fail(f"{raw}: no such file", BAD_INPUT)
    try:
        reports = apply_dir(directory, store, docs=doc or None, dry_run=dry_run, raw_path=raw)
    except ApplyError as exc:
        _fail(str(exc), BAD_INPUT if not Path(directory).is_dir() else 1)
    failed = 0
    for r in reports:
        if r.error:
            failed += 1
            err.print(f"[bold red]error:[/] {escape(r.error)}")
            continue
        verb = "would rewrite" if dry_run and r.changed else ("rewrote" if r.written else "unchanged")
        out.print(f"{escape(str(r.name))}: {r.decided} decision(s), {r.changed} change(s): {verb} "
                  f"{escape(str(r.text_path))}")
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``queue`` (list, decide, export, import, stats), ``review`` and ``apply`` to ``app``."""
    queue = typer.Typer(help="The review queue: uncertain edits waiting for a person.",
                        no_args_is_help=True, add_completion=False)
    queue.command("list")(queue_list)
    queue.command("decide")(queue_decide)
    queue.command("export")(queue_export)
    queue.command("import")(queue_import)
    queue.command("stats")(queue_stats)
    app.add_typer(queue, name="queue")
    app.command("review")(review_cmd)
    app.command("apply")(apply_cmd)
