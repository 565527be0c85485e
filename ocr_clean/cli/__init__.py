"""The ``ocr-clean`` command: a thin layer over the library.

Each command parses its arguments, calls one library function and prints the result.
Errors are one line that says what to do, with a non-zero exit code.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .. import __version__
from ..config import Config, ConfigError
from ..io import InputError, read_text
from ..review.store import DEFAULT_DB
from ._help import CONTEXT, Group, readable

# soft_wrap: a summary line is never broken at 80 columns (a pipe or a narrow terminal)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

# Exit codes: 1 = the command ran and found something wrong (a failed book, a check
# that did not pass); 2 = bad input (a missing file, a bad option value).
BAD_INPUT = 2

app = typer.Typer(
    name="ocr-clean",
    help=(
        "Clean a book's OCR scan into the text as the printed book reads.\n\n"
        "Every edit is explained in a ledger (stage, rule, raw line, before/after, confidence) "
        "and uncertain fixes go to a review queue instead of being guessed.\n\n"
        "Start with:  ocr-clean clean raw/ --out cleaned/\n\n"
        "then:  ocr-clean review   (decide the queued fixes)   and   ocr-clean apply"
    ),
    no_args_is_help=True,
    add_completion=True,        # ocr-clean --install-completion / --show-completion (typer's own)
    rich_markup_mode="rich",
    cls=Group,
    context_settings=CONTEXT,
    pretty_exceptions_enable=False,
)



def fail(message: str, code: int = 2) -> None:
    """Print one line to stderr and exit."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        console.print(f"ocr-clean {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Show the version and exit.")) -> None:
    pass


def _open_store(db: Path | None, use_review: bool):
    if not use_review:
        return None
    from ..review import ReviewStore

    return ReviewStore(db or DEFAULT_DB)


@app.command()
def clean(
    paths: List[Path] = typer.Argument(None, metavar="PATHS", help="Scan files (.txt, ALTO, hOCR, PAGE XML, JSONL) or folders of them; - reads stdin. Default: raw/", readable=False),
    out: Path = typer.Option(Path("cleaned"), "--out", "-o", help="Folder for <stem>.txt and <stem>.ledger.jsonl.", readable=False),
    skip: List[str] = typer.Option([], "--skip", help="Switch a stage off (repeatable), e.g. --skip footnotes."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="A TOML config: order, skip, \\[stages.NAME] settings.", readable=False),
    db: Optional[Path] = typer.Option(None, "--db", help=f"Review database. Default: {DEFAULT_DB}", readable=False),
    review: bool = typer.Option(True, "--review/--no-review", help="Apply decisions from, and queue new items in, the review database."),
    guess: bool = typer.Option(False, "--guess", help="Also apply the top candidate of uncertain edits (marked 'guessed' in the ledger)."),
    jobs: int = typer.Option(1, "--jobs", "-j", help="Books cleaned in parallel (0 = all cores)."),
    resume: bool = typer.Option(False, "--resume", help="Skip books already cleaned from the same raw text with the same settings."),
    executor: str = typer.Option("local", "--executor", help="local, process, ray or dask (ray/dask: pip install 'ocr-clean\\[ray]')."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    # -- formats (ocr_clean.formats; logic in cli/formats_opts.py) --
    fmt: Optional[str] = typer.Option(None, "--format", help="txt, alto, hocr, page or jsonl. Default: detected from the content."),
    text_field: str = typer.Option("text", "--text-field", help="JSONL: the field to clean (dotted for nested: ocr.text)."),
    out_field: Optional[str] = typer.Option(None, "--out-field", help="JSONL: the field for the cleaned text. Default: the --text-field."),
    book: bool = typer.Option(False, "--book", help="A folder is one book of page files, cleaned as one text, written page by page."),
    group_by: Optional[str] = typer.Option(None, "--group-by", help="JSONL: records with the same value of this field are one collection (evidence shared). Default: the whole file."),
    ledger: Optional[Path] = typer.Option(None, "--ledger", help="With - (stdin): write the ledger here.", readable=False),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also show each file's scan profile: the habits measured, their evidence and confidence."),
) -> None:
    """Clean scans: raw/<stem>.txt -> cleaned/<stem>.txt + cleaned/<stem>.ledger.jsonl.

    ALTO, hOCR, PAGE XML and JSONL files are written back in their format under the same
    name; a folder of numbered pages (0001.txt, page_001.xml) is one book.

    Example:  ocr-clean clean raw/writings-1930-31.txt --out cleaned/
    Example:  ocr-clean clean - < page.txt > page.clean.txt

    Prints the edits by stage and rule, the queued count and the time taken.
    """
    from ..batch import BatchInterrupted
    from . import formats_opts

    paths = list(paths or [Path("raw")])

    try:
        fopts = formats_opts.format_options(fmt, text_field, out_field, book, group_by)
    except ValueError as exc:
        fail(str(exc))
    if formats_opts.is_stdin(paths):
        _clean_stdin(fopts, config, guess, skip, ledger)
        return
    cfg, store = _clean_setup(config, guess, db, review)
    sources = _clean_sources(paths, fopts, out)
    t0 = time.perf_counter()
    kwargs = dict(config=cfg, skip=skip, review=store, resume=resume, on_interrupt=_interrupted_once,
                  formats=fopts)
    if jobs != 1 or executor != "local":
        kwargs.update(jobs=jobs, executor=executor)
    try:
        reports = _clean_batch(sources, out, kwargs, show_bar=not as_json and sys.stderr.isatty()
                               or len(sources) > 1 and not as_json)
    except BatchInterrupted as stop:
        _interrupted(stop, paths, out, skip, config, db, review, guess, jobs, executor,
                     formats_opts.as_args(fopts))
    _clean_report(reports, time.perf_counter() - t0, store, as_json, verbose)


def _clean_stdin(fopts, config: Optional[Path], guess: bool, skip: List[str], ledger: Optional[Path]) -> None:
    """``clean -``: standard input to standard output (the report on stderr)."""
    from . import formats_opts
    from ..pipeline import Pipeline

    try:
        cfg = Config.load(config)
        cfg.guess = cfg.guess or guess
        formats_opts.clean_stdin(fopts, Pipeline(cfg, skip=skip), ledger, err)
    except (ConfigError, InputError, ValueError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write the ledger: {exc}")


def _clean_setup(config: Optional[Path], guess: bool, db: Optional[Path], review: bool):
    """The run's config and review store (None with --no-review); a bad one: one line."""
    try:
        cfg = Config.load(config)
        if guess:
            cfg.guess = True
        store = _open_store(db, review)
    except ConfigError as exc:
        fail(str(exc))
    except Exception as exc:  # an unreadable database, a folder where a file should be
        fail(f"cannot open the review database: {exc}")
    return cfg, store


def _clean_sources(paths: List[Path], fopts, out: Path) -> list:
    """The sources to clean, refused when an output would overwrite an input."""
    from ..batch import refuse_overwriting_inputs
    from ..formats.detect import collect_sources

    try:
        sources = collect_sources(paths, fopts.fmt, fopts.book)
        refuse_overwriting_inputs(paths, sources, out)
    except InputError as exc:
        fail(str(exc))
    return sources


def _interrupted_once(count: int) -> None:
    if count == 1:
        err.print("stopping: no new book; the running ones finish (Ctrl-C again to abandon them)",
                  highlight=False, markup=False)


def _clean_batch(sources: list, out: Path, kwargs: dict, *, show_bar: bool) -> list:
    """Clean the sources (a progress bar on stderr when asked); errors as one line."""
    from ..batch import BatchInterrupted, clean_paths

    try:
        if not show_bar:
            return clean_paths(sources, out, **kwargs)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("[bold]cleaning"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), TextColumn("{task.description}", markup=False), console=err,
                      transient=True) as bar:
            task = bar.add_task("", total=len(sources))
            return clean_paths(sources, out, progress=lambda r: bar.update(
                task, advance=1, description=r.source.name), **kwargs)
    except BatchInterrupted:    # the batch's own report of Ctrl-C: the caller says what to do
        raise
    except KeyboardInterrupt:   # before the batch took Ctrl-C over: nothing was written
        err.print("interrupted: nothing was written", highlight=False, markup=False)
        raise typer.Exit(130)
    except (InputError, ValueError) as exc:   # unknown stage names and the like
        fail(str(exc))


def _clean_report(reports: list, seconds: float, store, as_json: bool, verbose: bool) -> None:
    """The report (a table, or JSON), warnings and errors; exit 1 when a book failed."""
    errors = [r for r in reports if r.error]
    if as_json:
        console.print_json(json.dumps({"seconds": seconds, "files": [r.to_dict() for r in reports]}))
    else:
        _print_report(reports, seconds, store)
        if verbose:
            for r in reports:
                _print_profile(r.source.name, r.profile)
    for r in reports:
        if r.warning:
            err.print(f"[yellow]warning:[/] {escape(r.warning)}", highlight=False, soft_wrap=True)
    for r in errors:
        err.print(f"[bold red]error:[/] {escape(r.error)}", highlight=False, soft_wrap=True)
    if errors:
        raise typer.Exit(1)


def _interrupted(stop, paths, out, skip, config, db, review, guess, jobs, executor,
                 format_args: list[str] = ()) -> None:
    """What an interrupted batch did, and the command that finishes it; exit 130."""
    import shlex

    written = [r for r in stop.reports if not r.error and not r.skipped]
    skipped = [r for r in stop.reports if r.skipped]
    failed = [r for r in stop.reports if r.error]
    for r in failed:
        err.print(f"error: {r.error}", highlight=False, markup=False, soft_wrap=True)
    args = ["ocr-clean", "clean", *map(str, paths), "--out", str(out)]
    for name in skip:
        args += ["--skip", name]
    if config is not None:
        args += ["--config", str(config)]
    if db is not None:
        args += ["--db", str(db)]
    if not review:
        args.append("--no-review")
    if guess:
        args.append("--guess")
    if jobs != 1:
        args += ["--jobs", str(jobs)]
    if executor != "local":
        args += ["--executor", executor]
    args += format_args
    args.append("--resume")
    err.print(f"interrupted: {len(written)} book(s) written"
              + (f", {len(skipped)} already current" if skipped else "")
              + (f", {len(failed)} failed" if failed else "")
              + f", {len(stop.remaining)} not cleaned (every file on disk is whole, its review items queued)",
              highlight=False, markup=False, soft_wrap=True)
    err.print(f"to finish: {shlex.join(args)}", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(130)


def _print_profile(name: str, profile: dict | None) -> None:
    """The scan profile (``ocr_clean.profile``) a file was cleaned with, one habit a line."""
    if not profile:
        return
    from ..profile import ScanProfile

    console.print(f"[bold]scan profile[/] of {safe(name)}:", highlight=False)
    for line in ScanProfile.from_dict(profile).describe():
        console.print("  " + safe(line), highlight=False, markup=False)


def _print_report(reports, seconds: float, store) -> None:
    rules: dict[str, dict[str, int]] = {}
    words = edits = queued = to_review = 0
    for r in reports:
        words += r.words
        edits += r.edits
        queued += r.queued
        to_review += r.to_review
        for key, counts in r.by_rule.items():
            row = rules.setdefault(key, {})
            for status, n in counts.items():
                row[status] = row.get(status, 0) + n
    table = Table(title="Edits by stage and rule", show_lines=False)
    table.add_column("stage:rule")
    statuses = sorted({s for row in rules.values() for s in row})
    for s in statuses:
        table.add_column(s, justify="right")
    for key in sorted(rules):
        table.add_row(key, *[str(rules[key].get(s, "")) for s in statuses])
    if rules:
        console.print(table)
    done = [r for r in reports if not r.error]
    for r in done:
        state = "unchanged, skipped (--resume)" if r.skipped else f"{r.words:,} words, {r.edits:,} edits, {r.queued} queued"
        console.print(f"[green]wrote[/] {escape(str(r.output))}  ({state})", highlight=False)
    per_k = 1000 * to_review / words if words else 0.0
    console.print(f"{len(done)} file(s), {edits:,} edits, {queued} queued (raw kept), "
                  f"{to_review} to review in all ({per_k:.2f} per 1,000 words), {seconds:.2f} s",
                  highlight=False)
    if to_review and store is not None:
        console.print("Review the queue:  ocr-clean review   (or: ocr-clean queue list)", highlight=False)


@app.command("eval")
def eval_cmd(
    gold: Path = typer.Argument(..., metavar="GOLD.jsonl", help="Gold passages, one JSON object a line: raw, gold (and id).", readable=False),
    cleaned: Path = typer.Argument(..., metavar="CLEANED.txt", help="The whole cleaned book.", readable=False),
    show: int = typer.Option(0, "--show", help="Print up to N aligned differences a passage."),
    as_json: Optional[Path] = typer.Option(None, "--json", help="Write the full result to this file."),
) -> None:
    """Word and character error rates of a cleaned book against gold passages.

    Example:  ocr-clean eval tests/data/gold-sample.jsonl cleaned/writings-1930-31.txt --show 5
    """
    from ..evaluate import load_gold, score

    try:
        rows = load_gold(gold)
        text = read_text(cleaned)
    except FileNotFoundError:
        fail(f"{gold}: no such file")
    except (InputError, ValueError) as exc:
        fail(str(exc))
    res = score(rows, text, context=2)
    s = res.summary
    if show:
        for p in res.passages:
            if p.clean_err:
                console.print(f"--- {escape(str(p.id))}: clean errors {p.clean_err} (raw {p.raw_err})", highlight=False)
                for g, h in p.diffs[:show]:
                    console.print(f"   gold [green]{escape(repr(g))}[/]  ->  out [red]{escape(repr(h))}[/]",
                                  highlight=False)
    table = Table(title=f"{s['passages']} passages, {s['tokens']:,} tokens")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for k in ("raw_wer", "clean_wer", "reduction", "fixed", "broken", "marker_precision",
              "marker_recall", "raw_cer", "clean_cer"):
        v = s[k]
        table.add_row(k, f"{v:.2%}" if k.endswith(("wer", "cer")) else str(v))
    console.print(table)
    console.print(" ".join(f"{k}={v}" for k, v in s.items()), highlight=False)
    if as_json:
        from ..io import atomic_write

        atomic_write(as_json, json.dumps({"summary": s, "passages": [p.__dict__ for p in res.passages]}, indent=1))


@app.command()
def explain(
    cleaned: Path = typer.Argument(..., metavar="CLEANED.txt", help="A cleaned text written by 'ocr-clean clean'.", readable=False),
    line: int = typer.Argument(..., metavar="LINE", help="Line number in the cleaned text (one paragraph a line)."),
    ledger: Optional[Path] = typer.Option(None, "--ledger", help="Default: <stem>.ledger.jsonl beside it.", readable=False),
    layout: bool = typer.Option(False, "--layout", help="Also list line joins and other layout edits."),
) -> None:
    """Which edits made a line of the cleaned text, and from which raw lines.

    Example:  ocr-clean explain cleaned/writings-1930-31.txt 12

    Each edit is one line: raw line:col, stage:rule, before -> after, confidence, status,
    the note, and the evidence that made the score (the factors and counts, by name).
    """
    from ..explain import ExplainError, edit_text, explain_line

    ledger = ledger or cleaned.with_name(cleaned.stem + ".ledger.jsonl")
    try:
        ex = explain_line(cleaned, ledger, line, include_layout=layout)
    except (ExplainError, InputError) as exc:
        fail(str(exc))
    console.print(f"[bold]cleaned line {line}[/] comes from raw lines {ex.raw_first}-{ex.raw_last} of "
                  f"{escape(str(ex.source))}",
                  highlight=False)
    console.print(ex.text, highlight=False, markup=False)
    # one line an edit: raw line:col, stage:rule, the change, score, status, note; evidence
    for e in ex.edits:
        console.print(edit_text(e), highlight=False, markup=False, soft_wrap=True)
    if ex.hidden:
        console.print(f"({ex.hidden} layout edits not shown: --layout lists them)", highlight=False)
    _print_profile(str(ex.source), ex.profile)


def safe(text: str) -> str:
    """Text any terminal prints: the replacement glyph, control and unencodable characters as <U+XXXX>."""
    enc = getattr(sys.stdout, "encoding", None) or "utf-8"

    def ok(ch: str) -> bool:
        if ch == "\ufffd" or (not ch.isprintable() and ch not in " "):
            return False
        try:
            ch.encode(enc)
        except (UnicodeEncodeError, LookupError):
            return False
        return True

    return "".join(ch if ok(ch) else f"<U+{ord(ch):04X}>" for ch in text)


@app.command()
def stages(
    name: Optional[str] = typer.Argument(None, metavar="STAGE", help="a stage: list its settings with what each does"),
) -> None:
    """List the stages in pipeline order, what each does, each setting (default, what it does)
    and each stage's named rules (with STAGE: what each rule does).

    Example:  ocr-clean stages confusion   (only that stage)
    """
    from ..config import DEFAULT_ORDER
    from ..settings import nearest
    from ..stages import REGISTRY

    if name is not None:
        if name not in REGISTRY:
            fail(f"unknown stage '{name}'{nearest(name, REGISTRY)}")
        table = Table(title=escape(f"[stages.{name}]"))
        for col in ("setting", "default", "what it does"):
            table.add_column(col)
        for s in REGISTRY[name].settings():
            table.add_row(s.name, escape(safe(repr(s.default))), escape(safe(s.description)))
        console.print(table)
        rules = REGISTRY[name].rules()
        if rules:
            console.print(f"[bold]rules[/] (the Edit's rule; switch one off with "
                          f"\\[stages.{name}] disable = [\"NAME\"]):", highlight=False)
            for r in rules:
                console.print(f"  {r.name}: {escape(safe(r.help))}", highlight=False)
        return
    for name in DEFAULT_ORDER:
        cls = REGISTRY.get(name)
        if cls is None:
            continue
        console.print(f"[bold]{name}[/]: {escape(safe(cls.description))}", highlight=False)
        for s in cls.settings():
            console.print(f"  {s.name} = {escape(safe(repr(s.default)))}  [dim]{escape(safe(s.description))}[/]",
                          highlight=False)
        if cls.rules():
            console.print(f"  rules: {', '.join(r.name for r in cls.rules())}", highlight=False)
        console.print()
    console.print("Change a setting in a TOML file given with --config:  \\[stages.NAME]  setting = value",
                  highlight=False)


from . import notes_cmd, review_cmds  # noqa: E402  (they add their commands to ``app``)

review_cmds.register(app)
notes_cmd.register(app)
readable(app)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
