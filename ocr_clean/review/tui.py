"""``ocr-clean review``: the queue one item at a time, in its context.

Keys: a / enter accept · r reject (keep the raw text; a line join: keep the words apart)
· 1-9 take candidate N · e edit (an input prefilled with the suggestion; enter saves,
escape cancels) · s / n skip (it stays open) · u undo the last decision · A decide all
alike (a confirmation lists them; y / r / n) · f show only this rule (again: all) · t show
only this stage (again: all) · q quit.  The screen shows the evidence (the stage's note and
structured evidence), the item's line as the cleaned output reads it (every stage done), the
raw lines around the item, and marks an item already applied at
low confidence (the text has the suggestion until it is rejected).

Every decision is written to the store as it is made (its own transaction), so a
crash or a quit loses nothing.
"""
from __future__ import annotations

import re

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Header, Input, Static

from ..ledger import ACCEPTED, EDITED, REJECTED
from ..io import InputError, read_text
from .store import OPEN, Item, ReviewStore, StoreError, kept_apart, marked_context, visible

MARK_L, ARROW, MARK_R = "\u27e8", "\u2192", "\u27e9"


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


class AlikeScreen(ModalScreen["str | None"]):
    """Decide every open item alike: accept all (y), reject all (r) or nothing (n / escape).
    The items are listed (scrollable) with their context; Enter decides nothing here."""

    BINDINGS = [Binding("y", "answer('accepted')", "accept all"),
                Binding("r", "answer('rejected')", "reject all"),
                Binding("n", "answer(None)", "cancel"), Binding("escape", "answer(None)", "cancel", show=False),
                Binding("q", "answer(None)", "cancel", show=False),
                Binding("enter", "enter", "", show=False)]
    DEFAULT_CSS = """
    AlikeScreen { align: center middle; }
    AlikeScreen > Vertical { width: 90%; height: 80%; border: thick $warning; background: $surface; }
    AlikeScreen #alike-head { height: auto; padding: 0 1; }
    AlikeScreen #alike-list { height: 1fr; padding: 0 1; }
    AlikeScreen #alike-keys { height: auto; padding: 0 1; }
    """

    def __init__(self, message: Text | str, items: list[Item] | None = None) -> None:
        super().__init__()
        self.message = message
        self.items = list(items or [])

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical

        with Vertical():
            yield Static(self.message if isinstance(self.message, Text) else Text(self.message), id="alike-head")
            with VerticalScroll(id="alike-list"):
                lines = Text()
                for k, it in enumerate(self.items, 1):
                    left, right = context_parts(it)
                    lines.append(f"{k:>3}. line {it.raw_line}  ", style="dim cyan")
                    lines.append(left[-40:].replace("\n", " "))
                    lines.append(_vis(it.before), style="bold red")
                    lines.append(" \u2192 ")
                    lines.append(_vis(it.suggestion), style="bold green")
                    lines.append(right[:40].replace("\n", " "))
                    lines.append("\n")
                yield Static(lines, id="alike-items")
            yield Static(Text.assemble(("y", "bold green"), " accept all   ", ("r", "bold red"),
                                       " reject all   ", ("n", "bold"), " / esc cancel   ",
                                       ("(enter does nothing here)", "dim")), id="alike-keys")

    def action_answer(self, status: str | None) -> None:
        self.dismiss(status)

    def action_enter(self) -> None:
        self.app.bell()
        self.query_one("#alike-keys", Static).update(
            Text("Enter decides nothing here: y accepts all, r rejects all, n cancels", style="bold yellow"))


class ReviewApp(App):
    """Review the open items of a :class:`ReviewStore`."""

    TITLE = "ocr-clean review"
    CSS = """
    Screen { layout: vertical; }
    #progress { height: 1; padding: 0 1; background: $boost; }
    #body { height: 1fr; padding: 0 1; }
    #where { height: auto; margin: 1 0 0 0; }
    .panel { height: auto; }
    #pair { height: auto; layout: vertical; }
    #pair.wide { layout: horizontal; }
    #pair.wide > .panel { width: 1fr; }
    #edit { display: none; margin: 0 0; }
    #edit.editing { display: block; }
    #message { height: auto; min-height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("a", "accept", "a/enter accept"),
        Binding("enter", "accept", "accept", show=False),
        Binding("r", "reject", "reject (keep raw)"),
        Binding("e", "edit", "edit"),
        Binding("s", "skip", "s/n skip"),
        Binding("n", "skip", "skip", show=False),
        Binding("u", "undo", "undo"),
        Binding("A", "alike", "all alike\u2026"),
        Binding("f", "filter_rule", "show only this rule"),
        Binding("t", "filter_stage", "show only this stage"),
        Binding("q", "quit", "quit"),
        *[Binding(str(k), f"pick({k})", "pick 1-9" if k == 1 else f"pick {k}", show=(k == 1))
          for k in range(1, 10)],
    ]

    def __init__(self, store: ReviewStore, *, rule: str | None = None, stage: str | None = None,
                 doc: str | None = None, who: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.who = who or store.who
        self.filters = {"rule": rule, "stage": stage, "doc": doc}
        self.base_filters = dict(self.filters)
        self.order: list[str] = []
        self.pos = 0
        self.current: Item | None = None
        self.session: set[str] = set()     # ids decided in this session (undo takes them out)
        self._raw: dict[str, str | None] = {}
        self._reload()

    @property
    def decided_here(self) -> int:
        return len(self.session)

    def raw_of(self, doc: str) -> str | None:
        """The raw text of ``doc`` (for the lines around an item), when the store knows where."""
        if doc not in self._raw:
            raw = getattr(self.store, "_sources", {}).get(doc)
            if raw is None:
                src = (self.store.docs().get(doc) or {}).get("source")
                try:
                    raw = read_text(src) if src else None
                except (InputError, OSError):
                    raw = None
            self._raw[doc] = raw
        return self._raw[doc]

    # -- the queue ------------------------------------------------------------------------
    def _reload(self, keep: str | None = None) -> None:
        items = self.store.items(status=OPEN, **self.filters)
        self.order = [i.id for i in items]
        self.pos = self.order.index(keep) if keep in self.order else 0
        self._settle()

    def _settle(self) -> None:
        """Make ``current`` the first open item at or after ``pos`` (wrapping round)."""
        n = len(self.order)
        self.current = None
        for k in range(n):
            j = (self.pos + k) % n
            it = self.store.get(self.order[j])
            if it is not None and it.status == OPEN:
                self.pos, self.current = j, it
                return

    def _counts(self) -> tuple[int, int]:
        """(done, left) of the whole review (the filters given at the start), never of a
        rule or stage shown for a while: the counters do not restart."""
        f = self.base_filters
        left = self.store.count(status=OPEN, **f)
        done = self.store.count(status="decided", **f)
        return done, left

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(id="progress")
        with VerticalScroll(id="body"):
            yield Static(id="where")
            yield Static(id="evidence", classes="panel")
            with Container(id="pair"):
                yield Static(id="raw", classes="panel")
                yield Static(id="cleaned", classes="panel")
            yield Static(id="candidates", classes="panel")
            yield Input(id="edit", placeholder="your text; enter saves, escape cancels")
        yield Static(id="message")
        yield Footer()

    def on_mount(self) -> None:
        self._fit(self.size.width)
        self.refresh_view()

    def on_resize(self, event) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """The raw lines beside the cleaned text when the terminal is wide enough."""
        self.query_one("#pair").set_class(width >= WIDE, "wide")

    def _say(self, msg: Text | str) -> None:
        self.query_one("#message", Static).update(msg)

    def refresh_view(self) -> None:
        done, left = self._counts()
        total = done + left
        bar_w = 30
        filled = int(bar_w * done / total) if total else bar_w
        flt = " ".join(f"{k}={v}" for k, v in self.filters.items() if v)
        shown = self.store.count(status=OPEN, **self.filters) if self.filters != self.base_filters else None
        prog = Text.assemble(("\u2588" * filled, "green"), ("\u2591" * (bar_w - filled), "dim"),
                             "  ", (f"{done} done", "bold green"), " \u00b7 ", (f"{left} left", "bold yellow"),
                             f" \u00b7 this session {max(0, self.decided_here)}",
                             (f"  [showing only {flt}: {shown} left]" if shown is not None else
                              (f"  [{flt}]" if flt else ""), "cyan"))
        self.query_one("#progress", Static).update(prog)
        it = self.current
        where = self.query_one("#where", Static)
        raw = self.query_one("#raw", Static)
        cleaned = self.query_one("#cleaned", Static)
        cands = self.query_one("#candidates", Static)
        evidence = self.query_one("#evidence", Static)
        if it is None:
            evidence.update("")
            where.update(Text("Nothing left to review here. ", style="bold green")
                         + Text("u undo \u00b7 f/t clear a filter \u00b7 q quit", style="dim"))
            raw.update("")
            cleaned.update("")
            cands.update("")
            return
        alike = len(self.store.alike(it))
        where.update(Text.assemble(
            (it.doc, "bold"), f"  line {it.raw_line}" + (f"-{it.raw_line_end}" if it.raw_line_end > it.raw_line else ""),
            f", col {it.raw_col}   ", (f"{it.stage}", "magenta"), ":", (it.rule, "bold magenta"),
            "   confidence ", (f"{it.confidence:.2f}", _conf_style(it.confidence)),
            (f"   {alike} open alike (A)" if alike > 1 else "", "cyan"),
            ("\n\u25cf ALREADY IN THE TEXT: applied at low confidence; r takes it out" if it.applied else "",
             "bold yellow")))
        evidence.update(Panel(evidence_view(it), title="evidence", title_align="left", border_style="magenta"))
        raw.update(Panel(raw_view(raw_around(it, self.raw_of(it.doc))), title="raw scan", title_align="left", border_style="blue",
                         subtitle=Text(f"id {it.id}", style="dim"), subtitle_align="right"))
        cleaned.update(Panel(cleaned_view(it), title="the cleaned line, as the output reads", title_align="left",
                             border_style="green",
                             subtitle=Text("the file has the suggestion (underlined)" if it.applied else
                                           "the file keeps the raw reading (underlined)", style="dim"),
                             subtitle_align="right"))
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold cyan")
        table.add_column()
        table.add_column(style="dim")
        for k, c in enumerate(it.ranked[:9], 1):
            table.add_row(str(k), Text(_vis(c), style="bold" if k == 1 else ""),
                          "suggestion" if k == 1 else "")
        apart = kept_apart(it.before, it.suggestion)
        if apart is not None:
            table.add_row("r", Text(_vis(apart), style="red"), "keep the words apart (one line)")
        else:
            table.add_row("r", Text(_vis(it.before), style="red"), "keep the raw text")
        cands.update(Panel(Group(table), title="candidates", title_align="left", border_style="cyan"))

    # -- actions --------------------------------------------------------------------------
    def _decide(self, status: str, text: str | None = None) -> None:
        it = self.current
        if it is None:
            self.bell()
            return
        try:
            done = self.store.decide(it.id, status, text, who=self.who)
        except StoreError as exc:
            self._say(Text(str(exc), style="red"))
            return
        self.session.add(done.id)
        self._say(Text.assemble(("saved ", "dim"), (done.status, _status_style(done.status)), ": ",
                                (_vis(done.before), "red"), " \u2192 ", (_vis(done.chosen), "green")))
        self.pos += 1
        self._settle()
        self.refresh_view()

    def action_accept(self) -> None:
        self._decide(ACCEPTED)

    def action_reject(self) -> None:
        self._decide(REJECTED)

    def action_pick(self, n: int) -> None:
        it = self.current
        if it is None or n > len(it.ranked):
            self.bell()
            return
        self._decide(ACCEPTED, it.ranked[n - 1])

    def action_skip(self) -> None:
        if self.current is None:
            return
        self.pos += 1
        self._settle()
        self._say(Text("skipped (it stays open)", style="dim"))
        self.refresh_view()

    def action_edit(self) -> None:
        if self.current is None:
            self.bell()
            return
        box = self.query_one("#edit", Input)
        box.value = self.current.suggestion
        box.add_class("editing")
        box.focus()
        box.cursor_position = len(box.value)

    def _close_edit(self) -> None:
        box = self.query_one("#edit", Input)
        box.remove_class("editing")
        self.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value
        self._close_edit()
        self._decide(EDITED, value)

    def on_key(self, event) -> None:
        if event.key == "escape":
            box = self.query_one("#edit", Input)
            if box.has_class("editing"):
                event.stop()
                self._close_edit()
                self._say(Text("edit cancelled", style="dim"))

    def action_undo(self) -> None:
        restored = self.store.undo(who=self.who)
        if not restored:
            self._say(Text("nothing to undo", style="dim"))
            self.bell()
            return
        self.session.difference_update(r.id for r in restored)
        first = restored[-1]
        for it in restored:
            if it.id not in self.order:
                self.order.insert(self.pos, it.id)
        self.pos = self.order.index(first.id)
        self._settle()
        self._say(Text.assemble(("undone: ", "bold"), f"{len(restored)} decision(s); back to ",
                                (_vis(first.before), "red"), " \u2192 ", (_vis(first.suggestion), "green")))
        self.refresh_view()

    def action_alike(self) -> None:
        it = self.current
        if it is None:
            self.bell()
            return
        alike = self.store.alike(it)
        docs = len({a.doc for a in alike})
        msg = Text.assemble((str(len(alike)), "bold"), " open item(s)",
                            f" in {docs} documents" if docs > 1 else "", " of ", (f"{it.stage}:{it.rule}", "magenta"),
                            " change ", (_vis(it.before), "bold red"), " \u2192 ", (_vis(it.suggestion), "bold green"),
                            " for the same reason. Decide them all alike?")
        item_id = it.id

        def done(status: str | None) -> None:
            if not status:
                self._say(Text("nothing decided", style="dim"))
                return
            decided = self.store.decide_alike(item_id, status, who=self.who)
            self.session.update(d.id for d in decided)
            self._say(Text.assemble((f"{status} ", _status_style(status)), f"{len(decided)} item(s) ",
                                    (_vis(it.before), "red"), " \u2192 ", (_vis(it.suggestion), "green"),
                                    ("   (u undoes them all)", "dim")))
            self._settle()
            self.refresh_view()

        self.push_screen(AlikeScreen(msg, alike), done)

    def _toggle(self, key: str) -> None:
        it = self.current
        if self.filters[key] and self.filters[key] != self.base_filters[key]:
            self.filters[key] = self.base_filters[key]
        elif it is not None:
            self.filters[key] = getattr(it, key)
        self._reload(keep=it.id if it else None)
        self.refresh_view()

    def action_filter_rule(self) -> None:
        self._toggle("rule")

    def action_filter_stage(self) -> None:
        self._toggle("stage")

    def summary(self) -> str:
        done, left = self._counts()
        return f"{self.decided_here} decision(s) saved this session; {left} open item(s) left"


def _conf_style(c: float) -> str:
    return "bold green" if c >= 0.8 else ("bold yellow" if c >= 0.5 else "bold red")


def _status_style(s: str) -> str:
    return {ACCEPTED: "bold green", REJECTED: "bold red", EDITED: "bold magenta"}.get(s, "")
