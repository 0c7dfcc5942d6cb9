"""Add a date to a session: start and end (London time, checked as you type), venue and places."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ...domain.errors import DomainError
from ...domain.text import one_line
from ...services.sessions.catalogue import parse_times
from ..containment import on
from .form_screen import FormScreen

FIELDS = (
    ("start", "Starts (YYYY-MM-DD HH:MM, London time)"),
    ("end", "Ends (HH:MM the same day)"),
    ("venue", "Venue (empty = the session's)"),
    ("capacity", "Places (empty = the session's)"),
)


class OccurrenceForm(FormScreen[dict[str, Any]]):
    """Dismisses with the keyword arguments for `add_occurrence` (start, end, venue, capacity), or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, session_title: str) -> None:
        super().__init__()
        self.session_title = session_title

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Static(f"Add a date to {self.session_title}", classes="modal-title")
            for name, label in FIELDS:
                yield Label(label)
                yield Input(id=f"f-{name}")
                yield Label("", id=f"e-{name}", classes="field-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("Add date", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def _value(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value.strip()

    def _fields(self) -> tuple[dict[str, Any], dict[str, str]]:
        """(fields, errors by input)."""
        fields: dict[str, Any] = {}
        errors: dict[str, str] = {}
        try:
            fields["start"], fields["end"] = parse_times(self._value("start"), self._value("end") or "00:00")
        except (DomainError, ValueError) as exc:
            errors["start"] = str(exc)
        try:
            fields["venue"] = one_line(self._value("venue")) or None
        except ValueError as exc:
            errors["venue"] = str(exc)
        places = self._value("capacity")
        if places and (not places.isdigit() or int(places) < 1):
            errors["capacity"] = "a whole number of places, 1 or more"
        fields["capacity"] = int(places) if places.isdigit() else None
        return fields, errors

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        fields, errors = self._fields()
        for name, _label in FIELDS:
            self.query_one(f"#e-{name}", Label).update(errors.get(name, ""))
        if not errors:
            self.dismiss(fields)
