"""Set a session's follow-up materials: the feedback questionnaire, labelled links, a note, one PDF to attach."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from ...domain.followup import MaterialKind, SessionFollowUp, web_link
from ...domain.text import multi_line
from ...services.sessions.followup import MaterialsChange
from ...storage.errors import EditConflictError
from ..containment import on
from .record_form import RecordForm, RecordSaving, View


def _url(value: str) -> str:
    return web_link(value) if value.strip() else ""


def _path(value: str) -> str:
    if value.strip() and not Path(value.strip()).expanduser().is_file():
        raise ValueError(f"{value.strip()}: no such file")
    return value


FIELDS: tuple[tuple[str, str, Callable[[str], str]], ...] = (
    ("feedback", "Feedback questionnaire (https://...)", _url),
    ("slides", "Slides (link)", _url),
    ("recording", "Recording (link)", _url),
    ("pack", "Attendee pack (link)", _url),
    ("note", "A short message from staff", multi_line),
    ("attach", "Attach a PDF (path; up to 5 MB; leave empty to keep the attachments as they are)", _path),
)
KINDS = {"slides": MaterialKind.SLIDES, "recording": MaterialKind.RECORDING, "pack": MaterialKind.PACK}


def _value(current: SessionFollowUp, name: str) -> str:
    """One field of the materials as the form shows it (the note on one line; no file to attach)."""
    if name == "feedback":
        return current.feedback_url or ""
    if name == "note":
        return " ".join(current.note.split())
    found = current.link(KINDS[name]) if name in KINDS else None
    return found.url if found else ""


class MaterialsForm(RecordForm[MaterialsChange, SessionFollowUp]):
    """Saves the change (an emptied field removes that part) through `set_materials`, guarded: someone else's
    change meanwhile is offered, never overwritten; dismisses with the saved materials, or None."""

    materials_error = getters.query_one("#materials-error", Label)

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    LABELS = {name: label.split(" (")[0] for name, label, _check in FIELDS}
    SHOWN_FIELDS = frozenset({"feedback_url", "links", "note"})

    def __init__(self, title: str, saving: RecordSaving[MaterialsChange, SessionFollowUp]) -> None:
        super().__init__(saving)
        self.session_title = title

    @property
    def current(self) -> SessionFollowUp:
        """The materials the form began from (empty when none were set)."""
        found: SessionFollowUp | None = self.record
        return found or SessionFollowUp(session_slug=self.saving.key or "")

    def view_of(self, model: object) -> View:
        current = model if isinstance(model, SessionFollowUp) else SessionFollowUp(session_slug=self.saving.key or "")
        return {name: _value(current, name) for name, _label, _check in FIELDS}

    def _value(self, name: str) -> str:
        return _value(self.current, name)

    def kept_mine(self, values: MaterialsChange, conflict: EditConflictError) -> MaterialsChange:
        """A note left as it was is saved as it was when the form opened (with its paragraphs) over theirs."""
        if values.note is not None:
            return values
        opened: SessionFollowUp | None = self.saving.model(conflict.original)
        return replace(values, note=opened.note if opened else "")

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box form-box"):
            yield Static(f"Follow-up materials: {self.session_title}", classes="modal-title", markup=False)
            with VerticalScroll(id="materials-fields"):
                for name, label, _check in FIELDS:
                    yield Label(label)
                    yield Input(self._value(name), id=f"f-{name}")
            yield Label("", id="materials-error", classes="field-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def _first_error(self) -> str:
        for name, label, check in FIELDS:
            try:
                check(self.query_one(f"#f-{name}", Input).value)
            except ValueError as exc:
                return f"{label.split(' (')[0]}: {exc}"
        return ""

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        error = self._first_error()
        self.materials_error.update(error)
        if error:
            return
        values = {name: self.query_one(f"#f-{name}", Input).value.strip() for name, _label, _check in FIELDS}
        attach = [Path(values["attach"]).expanduser()] if values["attach"] else []
        note = None if values["note"] == self._value("note") else values["note"]  # keeps paragraphs if unchanged
        self.save_values(
            MaterialsChange(
                links={KINDS[n]: values[n] for n in KINDS}, feedback_url=values["feedback"], note=note, attach=attach
            )
        )
