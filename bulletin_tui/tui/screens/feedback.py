"""A session's feedback summary (f on the sessions screen): responses, response rate, ratings per question."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..containment import ContainHandlerErrors, on


class FeedbackModal(ContainHandlerErrors, ModalScreen[str | None]):
    """Show the summary; dismiss with "import" (i: import a questionnaire export) or None (escape, close)."""

    close_button = getters.query_one("#close", Button)

    BINDINGS = [Binding("escape", "close", "Close"), Binding("i", "import_file", "Import export")]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box feedback-box"):
            yield Static(f"Feedback: {self.title_text}", classes="modal-title", markup=False)
            with VerticalScroll():
                yield Static("\n".join(self.lines), id="feedback-summary", markup=False)
            with Horizontal(classes="modal-buttons"):
                yield Button("Import export…", id="import", variant="primary")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.close_button.focus()

    @on(Button.Pressed, "#import")
    def action_import_file(self) -> None:
        self.dismiss("import")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
