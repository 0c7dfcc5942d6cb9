"""The help screen (? or F1): the keys of the current screen and of the whole app."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

GLOBAL_KEYS = [
    ("1 … 5", "Dashboard, Subscribers, Bulletin, Sessions, Send"),
    ("ctrl+p", "Command palette: every action, searchable"),
    ("? / F1", "This help"),
    ("ctrl+t", "Light or dark theme"),
    ("tab / shift+tab", "Move between fields and tables"),
    ("escape", "Close a dialog without changing anything"),
    ("ctrl+q", "Quit (a send in progress stops safely and can be resumed)"),
]


def keys_markdown(screen: Screen[Any]) -> str:
    """A Markdown table of the screen's bindings followed by the global ones."""
    title = getattr(screen, "HELP_TITLE", screen.__class__.__name__)
    lines = [f"# Help: {title}", "", getattr(screen, "HELP", "") or "", "", "| Key | Action |", "|---|---|"]
    for binding in getattr(screen, "BINDINGS", []):
        if isinstance(binding, Binding) and binding.description:
            lines.append(f"| `{binding.key}` | {binding.description} |")
    lines += ["", "## Everywhere", "", "| Key | Action |", "|---|---|"]
    lines += [f"| `{key}` | {text} |" for key, text in GLOBAL_KEYS]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """Read-only help; any of escape, q, ? or F1 closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self, for_screen: Screen[Any]) -> None:
        super().__init__()
        self.for_screen = for_screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal-box help-box"):
            yield Markdown(keys_markdown(self.for_screen))

    def action_close(self) -> None:
        self.dismiss(None)
