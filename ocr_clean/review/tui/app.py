"""The review app: the queue one item at a time (keys and layout: see the package)."""
from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.widgets import Footer, Header, Input, Static

from ...io import InputError, read_text
from ...ledger import ACCEPTED, EDITED, REJECTED
from ..store import OPEN, Item, ReviewStore, StoreError, kept_apart
from .alike import AlikeScreen
from .views import WIDE, _vis, cleaned_view, evidence_view, raw_around, raw_view


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
