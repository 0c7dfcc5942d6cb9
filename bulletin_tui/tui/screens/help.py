"""The help screen (? or F1): the keys of the current screen and of the whole app."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..areas import AREAS
from ..containment import ContainHandlerErrors

GLOBAL_KEYS = [
    *((area.key, f"Go to {area.name}") for area in AREAS),
    ("ctrl+p", "Command palette: every action, searchable"),
    ("? / F1", "This help"),
    ("ctrl+t", "Light or dark theme (ctrl+p, \"theme\" offers every theme, high contrast too)"),
    ("tab / shift+tab", "Move between fields and tables"),
    ("escape", "Close a dialog without changing anything (a form you changed asks first)"),
    ("ctrl+q", "Quit (a send in progress stops safely and can be resumed)"),
]


def screen_keys(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(key, action) for each described binding of the screen."""
    return [(binding.key.replace("_", " "), binding.description) for binding in getattr(screen, "BINDINGS", [])
            if isinstance(binding, Binding) and binding.description]


def help_text(screen: Screen[Any]) -> Group:
    """The screen's purpose, its keys, then the keys that work everywhere."""
    title = getattr(screen, "HELP_TITLE", "") or screen.__class__.__name__
    parts: list[Any] = [Text(f"Help: {title}", style="bold"), Text(getattr(screen, "HELP", "") or ""), Text("")]
    for heading, rows in (("Keys on this screen", screen_keys(screen)), ("Everywhere", GLOBAL_KEYS)):
        if rows:
            table = Table(title=heading, title_justify="left", box=box.SIMPLE_HEAD, show_header=False)
            table.add_column(style="bold", min_width=14)
            table.add_column()
            for key, action in rows:
                table.add_row(key, action)
            parts.append(table)
    return Group(*parts)


def keys_markdown(screen: Screen[Any]) -> str:
    """The help as plain text (for tests and the palette)."""
    lines = [getattr(screen, "HELP", "")]
    lines += [f"{key}: {action}" for key, action in [*screen_keys(screen), *GLOBAL_KEYS]]
    return "\n".join(lines)


class HelpScreen(ContainHandlerErrors, ModalScreen[None]):
    """Read-only help; any of escape, q, ? or F1 closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self, for_screen: Screen[Any]) -> None:
        super().__init__()
        self.for_screen = for_screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal-box help-box"):
            yield Static(help_text(self.for_screen))

    def action_close(self) -> None:
        self.dismiss(None)
