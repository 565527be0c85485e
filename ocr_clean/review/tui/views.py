"""What the review screen shows of an item, as rich renderables: its line of the cleaned
output with the change marked, the evidence, and the raw lines around it."""
from __future__ import annotations

import re

from rich.text import Text

from ..store import Item, marked_context, visible

_vis = visible


def context_parts(it: Item) -> tuple[str, str]:
    """(text before the change, text after it) in the item's line of the cleaned output."""
    parts = marked_context(it.context or "", it.before, it.suggestion)
    return (parts[0], parts[3]) if parts else ("", "")


WIDE = 150   # columns from which the raw lines stand beside the cleaned text
_SENT_END = re.compile(r"[.!?][\"\u201d\u2019')\]]?(?=\s+[\"\u201c\u2018(\[]?[A-Z0-9]|\s*$)")


def sentence_parts(left: str, right: str, min_chars: int = 15) -> tuple[str, str]:
    """Trim the context to the sentence around the change (when its ends are in view)."""
    starts = [m.end() for m in _SENT_END.finditer(left) if len(left) - m.end() >= min_chars]
    if starts:
        left = left[starts[-1]:].lstrip()
    elif left.strip():
        left = "\u2026" + left.lstrip()
    ends = [m.end() for m in _SENT_END.finditer(right) if m.end() >= min_chars]
    if ends:
        right = right[:ends[0]]
    elif right.strip():
        right = right.rstrip() + "\u2026"
    return left, right


def cleaned_view(it: Item, choice: str | None = None) -> Text:
    """The item's line as the cleaned output reads it (every stage done; the sentence around
    the change when the line is long), the change marked: the reading struck out, the
    suggestion (or ``choice``) beside it, the one the file has now underlined."""
    parts = marked_context(it.context or "", it.before, it.suggestion)
    t = Text()
    if parts is None:
        t.append(_vis(it.before), style="bold red strike")
        t.append(" ")
        t.append(_vis(choice if choice is not None else it.suggestion), style="bold black on green")
        return t
    left, was, now, right = parts
    left, right = sentence_parts(left, right)
    in_file = it.chosen == it.suggestion and it.chosen != it.before
    t.append(left.replace("\n", " "))
    t.append(_vis(was), style="bold red strike" + ("" if in_file else " underline"))
    t.append(" ")
    t.append(_vis(choice if choice is not None else now),
             style="bold black on green" + (" underline" if in_file else ""))
    t.append(right.replace("\n", " "))
    return t


def evidence_view(it: Item) -> Text:
    """Why the stage proposed it: its note and its structured evidence, one line each."""
    t = Text()
    if it.note:
        t.append("note  ", style="dim")
        t.append(it.note)
    ev = it.evidence or {}
    if ev:
        if it.note:
            t.append("\n")
        t.append("evidence  ", style="dim")
        t.append("  ".join(f"{k}={v}" for k, v in ev.items()))
    if not it.note and not ev:
        t.append("(the stage recorded no evidence)", style="dim italic")
    return t


def raw_around(it: Item, raw: str | None, around: int = 2) -> Item:
    """The item with its raw lines widened to ``around`` lines either side (from ``raw``)."""
    if raw is None or it.raw_line <= 0:
        return it
    lines = raw.split("\n")
    first = max(1, it.raw_line - around)
    last = min(len(lines), max(it.raw_line_end, it.raw_line) + around)
    wide = Item(**{k: v for k, v in it.__dict__.items()})
    wide.raw_lines = "\n".join(lines[first - 1:last])
    wide.raw_col = it.raw_col + sum(len(x) + 1 for x in lines[first - 1:it.raw_line - 1])
    wide.raw_line = first
    return wide


def raw_view(it: Item) -> Text:
    """The raw lines with line numbers, the span the edit comes from highlighted."""
    t = Text()
    if not it.raw_lines:
        t.append("(raw lines not known: run `ocr-clean apply` or pass --cleaned DIR)", style="dim italic")
        return t
    lines = it.raw_lines.split("\n")
    hl0 = max(0, it.raw_col - 1)
    span = max(0, it.raw_end - it.raw_start) if it.raw_start >= 0 else len(it.before)
    pos = 0
    hl_start, hl_end = hl0, hl0 + span
    width = len(str(it.raw_line + len(lines)))
    for k, line in enumerate(lines):
        t.append(f"{it.raw_line + k:>{width}} \u2502 ", style="dim cyan")
        a, b = pos, pos + len(line)
        for i, ch in enumerate(line):
            off = a + i
            style = "bold white on red" if hl_start <= off < hl_end else ""
            t.append(ch, style=style)
        if hl_start <= b < hl_end or (span == 0 and hl_start == b):
            t.append("\u23ce" if span else "\u2038", style="bold white on red")
        if k + 1 < len(lines):
            t.append("\n")
        pos = b + 1
    return t
