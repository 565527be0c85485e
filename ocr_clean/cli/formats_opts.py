"""The format options of ``ocr-clean clean`` (--format, --text-field, --out-field, --book,
--ledger) and cleaning standard input to standard output (``ocr-clean clean -``)."""
from __future__ import annotations

import sys
from pathlib import Path

from ..formats import FORMATS, Options
from ..io import MAX_BYTES, InputError, atomic_write


def format_options(fmt: str | None, text_field: str, out_field: str | None, book: bool,
                   group_by: str | None = None) -> Options:
    """The options checked; a ValueError (one line) for a bad one."""
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown --format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    for name, value in (("--text-field", text_field), ("--out-field", out_field), ("--group-by", group_by)):
        if value is not None and (not value or any(not part for part in value.split("."))):
            raise ValueError(f"{name} {value!r}: give a field name, dotted for nested ones (a.b.c)")
    return Options(fmt=fmt, text_field=text_field, out_field=out_field, book=book, group_by=group_by)


def as_args(opts: Options) -> list[str]:
    """The options again as command-line arguments (for the command that finishes a batch)."""
    args = ["--format", opts.fmt] if opts.fmt else []
    if opts.text_field != "text":
        args += ["--text-field", opts.text_field]
    if opts.out_field:
        args += ["--out-field", opts.out_field]
    if opts.group_by:
        args += ["--group-by", opts.group_by]
    return args + (["--book"] if opts.book else [])


def is_stdin(paths: list[Path]) -> bool:
    return len(paths) == 1 and str(paths[0]) == "-"


def clean_stdin(opts: Options, pipeline, ledger: Path | None, err) -> None:
    """Read standard input, write the cleaned text (same format) to standard output; the
    report goes to ``err`` (standard error), the ledger to ``ledger`` only when given."""
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(f"stdin: more than the {MAX_BYTES / 1e6:.0f} MB limit; split the input")
    from ..formats.run import clean_bytes   # the readers and writers (lxml): only here

    header = {"source": "-"}
    done = clean_bytes(data, "stdin", pipeline, opts, header)
    if ledger is not None:
        atomic_write(ledger, done.ledger)
    sys.stdout.buffer.write(done.outputs[0][1])
    sys.stdout.buffer.flush()
    edits = sum(len(r.ledger) for r in done.results)
    queued = sum(len(r.queued) for r in done.results)
    where = f", ledger {ledger}" if ledger is not None else ""
    err.print(f"stdin ({done.fmt}): {edits:,} edits, {queued} queued (raw kept){where}", highlight=False)
