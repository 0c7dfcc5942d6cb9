"""The dialog shown when a save meets someone else's change to the same record: who changed what and when, each
field as it was when the form opened, theirs now and yours; keep mine, take theirs or cancel (#24)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from rich.table import Table
from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...domain.times import short_local
from ..containment import ContainHandlerErrors, on

Choice = Literal["mine", "theirs", "new", "discard"]
VALUE_WIDTH = 62


def first_difference(text: str, other: str) -> int:
    """Where two texts stop being the same (0 when they differ from the start)."""
    shortest = min(len(text), len(other))
    return next((n for n in range(shortest) if text[n] != other[n]), shortest)


def excerpt(text: str, against: str, width: int = VALUE_WIDTH) -> str:
    """`text` cut to `width`, keeping in view where it differs from `against`."""
    if len(text) <= width:
        return text
    start = min(max(first_difference(text, against) - width // 3, 0), len(text) - width + 1)
    shown = ("…" + text[start + 1:]) if start else text
    return shown[: width - 1] + "…" if len(shown) > width else shown


@dataclass(frozen=True)
class FieldClash:
    """One field they changed that the form would save differently."""

    label: str
    opened: str
    theirs: str
    mine: str


@dataclass
class ConflictView:
    """What the dialog says: whose change, when, to which fields."""

    noun: str
    by: str
    at: str
    removed: bool
    created: bool
    """The form was making a new record and someone else made one with the same key."""
    clashes: list[FieldClash] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    """Stored fields they changed that the form does not show (kept as theirs whatever is chosen)."""

    @property
    def who(self) -> str:
        return self.by or "Someone else"

    @property
    def when(self) -> str:
        """`at 22/11/2026 10:03:12` in London time, or '' when the change was not noted (an import)."""
        try:
            moment = datetime.fromisoformat(self.at)
        except ValueError:
            return ""
        return f" at {short_local(moment, '%d/%m/%Y %H:%M:%S')}"

    def hidden_names(self) -> str:
        return ", ".join(name.replace("_", " ") for name in self.hidden)

    def headline(self) -> str:
        if self.removed:
            return (f"{self.who} removed this {self.noun}{self.when} while you were editing it. Nothing of yours "
                    "was saved.")
        if self.created:
            return (f"This {self.noun} exists already: saved by {self.by or 'someone else'}{self.when}. Nothing of "
                    "yours was saved.")
        return f"{self.who} changed this {self.noun}{self.when} while you were editing it. Nothing of yours was saved."


class ConflictModal(ContainHandlerErrors, ModalScreen[Choice | None]):
    """Keep mine (save over theirs), take theirs (the form shows their version), or cancel (back to the form);
    for a removed record: save mine as a new one, or discard the edit."""

    cancel_button = getters.query_one("#cancel", Button)

    DEFAULT_CSS = """
    ConflictModal { align: center middle; }
    ConflictModal #conflict-box {
        width: 112; height: auto; max-height: 90%; border: thick $warning; background: $surface; padding: 1 2;
    }
    ConflictModal #conflict-fields { height: auto; margin-top: 1; }
    ConflictModal #conflict-hidden { color: $text-muted; margin-top: 1; }
    ConflictModal #conflict-choices { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Back to the form")]

    def __init__(self, view: ConflictView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        view = self.view
        with Vertical(id="conflict-box"):
            done = "removed" if view.removed else "made" if view.created else "saved"
            title = f"This {view.noun} was {done} by someone else"
            yield Static(title, classes="modal-title", markup=False)
            yield Static(view.headline(), id="conflict-headline", markup=False)
            if view.clashes and not view.removed:
                yield Static(self._table(), id="conflict-fields")
            if view.hidden and not view.removed:
                yield Static(f"Also changed, not in this form (theirs is kept whatever you choose): "
                             f"{view.hidden_names()}", id="conflict-hidden", markup=False)
            yield Static(self._choices(), id="conflict-choices", markup=False)
            with Horizontal(classes="modal-buttons"):
                if view.removed:
                    yield Button(f"Save mine as a new {view.noun}", id="new", variant="primary")
                    yield Button("Discard my edit", id="discard", variant="error")
                else:
                    yield Button("Keep mine", id="mine", variant="primary")
                    yield Button("Take theirs", id="theirs")
                yield Button("Cancel", id="cancel")

    def _choices(self) -> str:
        if self.view.removed:
            return (f"Save mine makes a new {self.view.noun} from the form; Discard closes the form; Cancel goes "
                    "back to it.")
        return ("Keep mine saves the form over their version; Take theirs puts their version in the form (what "
                "you typed is dropped); Cancel goes back to the form, saving nothing.")

    def _table(self) -> Table:
        """Per field three lines: as opened, theirs now, yours (long values cut around where they differ)."""
        table = Table(box=None, padding=(0, 1), show_header=False, expand=False)
        table.add_column("field", no_wrap=True, max_width=20, style="bold")
        table.add_column("whose", no_wrap=True, style="dim")
        table.add_column("value", no_wrap=True, overflow="ellipsis", max_width=VALUE_WIDTH)
        opened = "when you started" if self.view.created else "when you opened it"
        for number, clash in enumerate(self.view.clashes):
            changed_by_me = clash.mine != clash.opened  # cut where my change is, else where theirs is
            if number:
                table.add_row("", "", "")
            table.add_row(clash.label.split(" (")[0], opened,
                          excerpt(clash.opened, clash.mine if changed_by_me else clash.theirs))
            table.add_row("", "theirs now", Text(excerpt(clash.theirs, clash.opened), style="yellow"))
            table.add_row("", "yours", Text(excerpt(clash.mine, clash.opened if changed_by_me else clash.theirs),
                                            style="cyan"))
        return table

    def on_mount(self) -> None:
        self.cancel_button.focus()

    @on(Button.Pressed, "#mine")
    def _keep_mine(self) -> None:
        self.dismiss("mine")

    @on(Button.Pressed, "#theirs")
    def _take_theirs(self) -> None:
        self.dismiss("theirs")

    @on(Button.Pressed, "#new")
    def _save_as_new(self) -> None:
        self.dismiss("new")

    @on(Button.Pressed, "#discard")
    def _discard(self) -> None:
        self.dismiss("discard")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
