"""Register a person for a session: address, name and organisation, validated inline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ...domain.text import email_address, one_line
from ..containment import on
from .form_screen import FormScreen

FIELDS = (("email", "E-mail address", email_address), ("name", "Name", one_line),
          ("organisation", "Organisation", one_line))


class RegisterForm(FormScreen[dict[str, str]]):
    """Dismisses with {email, name, organisation}, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, session_title: str) -> None:
        super().__init__()
        self.session_title = session_title

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Static(f"Register for {self.session_title}", classes="modal-title")
            for name, label, _check in FIELDS:
                yield Label(label)
                yield Input(id=f"f-{name}")
                yield Label("", id=f"e-{name}", classes="field-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("Register", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def _errors(self) -> dict[str, str]:
        errors = {}
        for name, _label, check in FIELDS:
            try:
                check(self.query_one(f"#f-{name}", Input).value)
            except ValueError as exc:
                errors[name] = str(exc)
        return errors

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        errors = self._errors()
        for name, _label, _check in FIELDS:
            self.query_one(f"#e-{name}", Label).update(errors.get(name, ""))
        if not errors:
            self.dismiss({name: self.query_one(f"#f-{name}", Input).value.strip() for name, _l, _c in FIELDS})
