"""``ocr-clean notes CLEANED.txt``: cross-check footnote markers against the notes section.

The lead's CLI calls :func:`register` with the main typer app.  All the work is in
:mod:`ocr_clean.notes`; this only prints it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..io import InputError, atomic_write, read_text
from ..ledger import read_ledger
from ..notes import REVIEW_BELOW, crosscheck, markdown_footnotes

out = Console(highlight=False, soft_wrap=True)   # a summary line is never broken at 80 columns
err = Console(stderr=True, highlight=False)


def _span(nums: list[int], limit: int = 40) -> str:
    """1,2,3,7 -> '1-3, 7' (shortened past ``limit`` items)."""
    if not nums:
        return "-"
    runs, start, prev = [], nums[0], nums[0]
    for n in nums[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(f"{start}-{prev}" if prev > start else str(start))
        if n is not None:
            start = prev = n
    text = ", ".join(runs[:limit])
    return text + (f", ... ({len(runs) - limit} more)" if len(runs) > limit else "")


def register(app: typer.Typer) -> None:
    @app.command("notes")
    def notes_cmd(
        cleaned: Path = typer.Argument(..., help="A cleaned book (.txt) with [^N] markers."),
        markdown: Optional[Path] = typer.Option(None, "--markdown", "-m",
                                                help="Also write the book as Markdown footnotes: body with [^N], then '[^N]: text' definitions."),
        as_json: bool = typer.Option(False, "--json", help="Print the cross-check as JSON."),
        ledger: Optional[Path] = typer.Option(None, "--ledger", "-l",
                                              help="The run's ledger (default: <stem>.ledger.jsonl beside the text), to tell placed markers from those awaiting review."),
    ) -> None:
        """Cross-check footnote markers [^N] against the notes section.

        Each note is placed, in the text but to confirm (applied with a low confidence), pending review (queued, not in the text) or missing. Lists markers without a note, duplicates and markers out of order. Exit code 1 when a note has no marker in the text or something is wrong. Example:

            ocr-clean notes cleaned/writings-1930-31.txt --markdown book.md
        """
        try:
            text = read_text(cleaned)
        except InputError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc))}")
            raise typer.Exit(2)
        if ledger is None:
            beside = cleaned.with_name(cleaned.stem + ".ledger.jsonl")
            ledger = beside if beside.is_file() else None
        edits = None
        if ledger is not None:
            try:
                edits = list(read_ledger(ledger))
            except (OSError, ValueError) as exc:
                err.print(f"[bold red]error:[/] cannot read the ledger {escape(str(ledger))}: {escape(str(exc))}")
                raise typer.Exit(2)
        rep = crosscheck(text, edits)
        if markdown is not None:
            atomic_write(markdown, markdown_footnotes(text))
        if as_json:
            d = rep.to_dict()
            d.pop("marker_list", None)
            print(json.dumps(d, indent=1))
            raise typer.Exit(0 if rep.ok else 1)
        if not rep.section_found:
            out.print(f"[yellow]no notes section found in {escape(str(cleaned))}[/] "
                      "(a heading like 'Notes' followed by entries '1. ', '2. '...); "
                      f"{rep.markers} markers in the text")
            raise typer.Exit(1)
        table = Table(title=f"Footnotes of {cleaned.name}", show_header=True)
        table.add_column("check")
        table.add_column("count", justify="right")
        table.add_column("numbers")
        rows = [
            ("notes in the notes section", rep.notes, f"section at line {rep.section_line}"),
            ("markers in the body", rep.markers, ""),
            ("placed", len(rep.placed), "" if edits is not None else "no ledger: pending review unknown"),
            (f"in the text, to confirm (confidence < {REVIEW_BELOW})", len(rep.to_confirm), _span(rep.to_confirm)),
            ("pending review (queued, not in the text)", len(rep.queued), _span(rep.queued)),
            ("missing (no marker, nothing queued)", len(rep.missing), _span(rep.missing)),
            ("markers without a note", len(rep.orphans), _span(rep.orphans)),
            ("numbers marked twice or more", len(rep.duplicates), _span(rep.duplicates)),
            ("markers out of order", len(rep.out_of_order), ", ".join(f"{n} after {p}" for n, p in rep.out_of_order[:20]) or "-"),
            ("markers a few places late (page-foot notes)", len(rep.displaced), ", ".join(f"{n} after {p}" for n, p in rep.displaced) or "-"),
            ("numbers the notes section lacks", len(rep.entries_missing), _span(rep.entries_missing)),
        ]
        for name, count, nums in rows:
            bad = count and not name.startswith(("notes in the notes section", "markers in the body", "placed",
                                                 "in the text, to confirm", "markers a few places late"))
            table.add_row(name, f"[red]{count}[/]" if bad else str(count), nums)
        out.print(table)
        if markdown is not None:
            out.print(f"Markdown footnotes written to {escape(str(markdown))}")
        if rep.ok:
            order = (", in sequence" if not rep.displaced else
                     f", in sequence but for {len(rep.displaced)} a few places late (page-foot notes)")
            out.print(f"[green]ok[/]: each of the {rep.notes} notes has exactly one marker{order}"
                      + (f" ({len(rep.to_confirm)} of them to confirm in review)" if rep.to_confirm else ""))
        else:
            out.print("[red]not ok[/]: see the rows in red; queued markers stay raw until reviewed (ocr-clean review)")
        raise typer.Exit(0 if rep.ok else 1)
