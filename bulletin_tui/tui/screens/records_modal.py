"""Two small modals for the year's registers (partners, the awareness calendar): a list of records with a few
keys, and a form of a few one-line fields."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Static

from ..containment import ContainHandlerErrors, on
from ..widgets.cells import plain_row

RecordChoice = tuple[str, str | None]
"""(what to do: add, edit, remove..., the record's key or None)."""


class RecordListModal(ContainHandlerErrors, ModalScreen[RecordChoice | None]):
    """Records in a table; each key in `keys` dismisses with (its action, the highlighted record's key)."""

    records_table = getters.query_one("#records", DataTable)

    DEFAULT_CSS = """
    RecordListModal { align: center middle; }
    RecordListModal > .records-box {
        width: 96%; max-width: 140; height: 92%; border: thick $primary; background: $surface; padding: 0 1;
    }
    RecordListModal DataTable { height: 1fr; }
    """
    KEYS = {"add": "a", "edit": "e", "dates": "d", "remove": "x", "seed": "s"}
    BINDINGS = [Binding("escape", "choose('close')", "Close"),
                *(Binding(key, f"choose('{action}')", action.capitalize()) for action, key in KEYS.items())]

    def __init__(self, title: str, columns: list[str], rows: list[tuple[str, list[str]]],
                 keys: list[tuple[str, str]]) -> None:
        """`keys`: (action, button label) of the actions this list offers, from KEYS (a, e, d, x, s)."""
        super().__init__()
        self.heading, self.columns, self.rows, self.keys = title, columns, rows, keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys this list offers."""
        if action == "choose" and parameters and parameters[0] != "close":
            return any(parameters[0] == offered for offered, _label in self.keys)
        return True

    def compose(self) -> ComposeResult:
        with Vertical(classes="records-box"):
            yield Static(self.heading, classes="modal-title", markup=False)
            yield DataTable(id="records", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="modal-buttons"):
                for action, label in self.keys:
                    yield Button(f"{label} ({self.KEYS[action]})", id=f"do-{action}", compact=True)
                yield Button("Close (esc)", id="do-close", variant="primary", compact=True)

    def on_mount(self) -> None:
        table = self.records_table
        table.add_columns(*self.columns)
        for key, cells in self.rows:
            table.add_row(*plain_row(*cells), key=key)
        table.focus()

    def action_choose(self, action: str) -> None:
        if action == "close":
            self.dismiss(None)
            return
        table = self.records_table
        key = self.rows[table.cursor_row][0] if self.rows and 0 <= table.cursor_row < len(self.rows) else None
        if key is None and action not in ("add", "seed"):
            return
        self.dismiss((action, key))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id and event.button.id.startswith("do-"):
            self.action_choose(event.button.id.removeprefix("do-"))


class FieldsModal(ContainHandlerErrors, ModalScreen[dict[str, str] | None]):
    """A few one-line fields (name, label, value, hint); enter on the last (or Save) dismisses with their values."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, fields: list[tuple[str, str, str, str]]) -> None:
        super().__init__()
        self.heading, self.fields = title, fields

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box form-box"):
            yield Static(self.heading, classes="modal-title", markup=False)
            for name, label, value, hint in self.fields:
                yield Label(label, markup=False)
                yield Input(value, placeholder=hint, id=f"field-{name}")
            with Horizontal(classes="modal-buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_save()
        else:
            inputs[inputs.index(event.input) + 1].focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss({name: self.query_one(f"#field-{name}", Input).value.strip() for name, *_ in self.fields})

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
