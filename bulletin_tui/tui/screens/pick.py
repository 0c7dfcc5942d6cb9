"""Two small modals for the month's tools: pick one of several things, and read (and save) a long text."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, TextArea
from textual.widgets.option_list import Option

from ..containment import ContainHandlerErrors


class PickModal(ContainHandlerErrors, ModalScreen[str | None]):
    """Choose one of (label, value); dismiss with the value, or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.question = question
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label(self.question, markup=False)
            yield OptionList(*(Option(label, id=value) for label, value in self.choices), id="choices",
                             markup=False)
            with Horizontal(classes="modal-buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#choices", OptionList).focus()

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class TextModal(ContainHandlerErrors, ModalScreen[bool]):
    """Show a long text read-only; dismiss with True when the reader asks to save it (s), else False."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("s", "save", "Save to a file")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.heading = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box editor-box"):
            yield Label(self.heading, classes="modal-title", markup=False)
            yield TextArea(self.text, read_only=True, id="text-view", soft_wrap=True)
            with Horizontal(classes="modal-buttons"):
                yield Button("Save to a file (s)", id="save", variant="primary", compact=True)
                yield Button("Close (esc)", id="close", compact=True)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(False)
