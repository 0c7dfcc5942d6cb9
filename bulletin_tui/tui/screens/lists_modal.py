"""Choose the lists a send goes to: one campaign to several lists reaches each person once."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, SelectionList

from ..containment import ContainHandlerErrors, on


class ListsModal(ContainHandlerErrors, ModalScreen[list[str] | None]):
    """Tick lists (space); dismiss with the ticked slugs in list order, or None on escape."""

    lists_selection_list = getters.query_one("#lists", SelectionList)

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, lists: list[tuple[str, str]], chosen: list[str]) -> None:
        super().__init__()
        self.lists, self.chosen = lists, chosen

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label("Send to these lists (space ticks; each person gets one copy):")
            yield SelectionList[str](*[(name, slug, slug in self.chosen) for name, slug in self.lists], id="lists")
            with Horizontal(classes="modal-buttons"):
                yield Button("OK", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        ticked = set(self.lists_selection_list.selected)
        self.dismiss([slug for _name, slug in self.lists if slug in ticked] or None)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
