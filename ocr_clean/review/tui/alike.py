"""The confirmation of "decide all alike": the items listed with their context."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..store import Item
from .views import _vis, context_parts


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
