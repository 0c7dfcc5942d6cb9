"""New/edit session form: Europe/London times checked as you type (skipped and repeated clock times)."""

from __future__ import annotations

from typing import Any

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from ...domain.errors import DomainError
from ...domain.sessions import InfoSession, SessionFormat, SessionKind
from ...domain.text import link, one_line, slug
from ...domain.times import in_repeated_hour
from ...services.sessions.catalogue import parse_times
from ..containment import on
from .record_form import RecordForm, View, shown_text

FOLDS = [("clocks not changing (usual)", -1), ("first 01:xx, still BST", 0), ("second 01:xx, now GMT", 1)]


def _capacity(value: str) -> None:
    if value.strip() and (not value.strip().isdigit() or int(value) < 1):
        raise ValueError("a whole number of places, 1 or more (empty = no limit)")


def _link(value: str) -> None:
    if value.strip():
        link(value)


def _title(value: str) -> None:
    if not one_line(value):
        raise ValueError("a title is required")


def _names(value: str) -> list[str]:
    """A comma-separated cell as a list of one-line names (ValueError on control characters)."""
    return [one_line(part) for part in value.split(",") if part.strip()]


LISTS = ("speakers", "organisations", "topics")


def _initial(s: InfoSession | None, name: str) -> str:
    """One text field of the session as the form shows it (London times, lists separated by commas)."""
    if s is None:
        return ""
    values = {"start": f"{s.local_start:%Y-%m-%d %H:%M}", "end": f"{s.local_end:%H:%M}",
              "capacity": str(s.capacity or ""), "join_link": s.join_link or "",
              **{name: ", ".join(getattr(s, name)) for name in LISTS}}
    return values.get(name, str(getattr(s, name, "")))

CHECKS = {"slug": slug, "title": _title, "capacity": _capacity, "venue": one_line, "join_link": _link,
          **dict.fromkeys(LISTS, _names)}
LABELS = {"slug": "Short name (slug, e.g. csis-2026-12-03)", "title": "Title",
          "start": "Starts (YYYY-MM-DD HH:MM, London time)", "end": "Ends (HH:MM the same day)",
          "capacity": "Places (empty = no limit)", "venue": "Venue", "join_link": "Teams link (https://…)",
          "speakers": "Speakers (comma-separated)", "organisations": "Their organisations (comma-separated)",
          "topics": "Topics (comma-separated)"}


class SessionForm(RecordForm[dict[str, Any], Any]):
    """Saves through `create_session`/`edit_session` (guarded: someone else's change meanwhile, or a session made
    with the same short name, is offered, never overwritten); dismisses with the service's result, or None."""

    f_description_editor = getters.query_one("#f-description", TextArea)
    f_fold_select = getters.query_one("#f-fold", Select)
    f_format_select = getters.query_one("#f-format", Select)
    f_kind_select = getters.query_one("#f-kind", Select)

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]
    SHOWN_FIELDS = frozenset({*LABELS, "description", "kind", "format"})

    @property
    def session(self) -> InfoSession | None:
        found: InfoSession | None = self.record
        return found

    def labels(self) -> dict[str, str]:
        return {**{name: label.split(" (")[0] for name, label in LABELS.items()}, "description": "Description",
                "fold": "Repeated hour", "kind": "Kind", "format": "Format"}

    def view_of(self, model: object) -> View:
        s = model if isinstance(model, InfoSession) else None
        view: View = {name: _initial(s, name) for name in LABELS}
        view["description"] = s.description if s else ""
        # an existing session in the repeated October hour keeps the occurrence it has (BST or GMT)
        view["fold"] = s.local_start.fold if s is not None and in_repeated_hour(s.start) else -1
        view["kind"] = (s.kind if s else SessionKind.CSIS).value
        view["format"] = (s.format if s else SessionFormat.ONLINE).value
        return view

    def text_of(self, key: str, value: object) -> str:
        if key == "fold":
            return next((label for label, fold in FOLDS if fold == value), shown_text(value))
        return shown_text(value)

    def key_fixed(self) -> None:
        for found in self.query("#f-slug").results(Input):
            found.disabled = True

    def compose(self) -> ComposeResult:
        s, view = self.session, self.view_of(self.session)
        with VerticalScroll(classes="modal-box editor-box"):
            yield Static(f"Edit session {s.slug}" if s else "New session", classes="modal-title")
            for name, label in LABELS.items():
                if name == "slug" and s is not None:
                    continue
                yield Label(label)
                yield Input(str(view[name]), id=f"f-{name}", compact=True)
                yield Label("", id=f"e-{name}", classes="field-error")
            yield Label("Description (in the invite and the bulletin)")
            yield TextArea(str(view["description"]), id="f-description", soft_wrap=True)
            yield Label("When the clocks go back, 01:00–01:59 happens twice: which one?")
            yield Select(FOLDS, id="f-fold", allow_blank=False, value=view["fold"])
            yield Label("Kind and format")
            with Horizontal(classes="form-row"):
                yield Select([(k.value, k.value) for k in SessionKind], id="f-kind", allow_blank=False,
                             value=view["kind"])
                yield Select([(f.value, f.value) for f in SessionFormat], id="f-format", allow_blank=False,
                             value=view["format"])
            with Horizontal(classes="modal-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def _value(self, name: str) -> str:
        found = self.query(f"#f-{name}")
        return found.first(Input).value.strip() if found else ""

    def _fold(self) -> int | None:
        value = self.f_fold_select.value
        return value if isinstance(value, int) and value != -1 else None

    def _errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        for name, check in CHECKS.items():
            if name == "slug" and self.session is not None:
                continue
            try:
                check(self._value(name))
            except ValueError as exc:
                errors[name] = str(exc)
        try:
            parse_times(self._value("start"), self._value("end"), fold=self._fold())
        except (DomainError, ValueError) as exc:
            errors["start" if "end" not in str(exc).lower() else "end"] = str(exc)
        return errors

    @on(Input.Changed)
    @on(Select.Changed, "#f-fold")
    def _revalidate(self) -> None:
        errors = self._errors()
        for name in LABELS:
            for label in self.query(f"#e-{name}").results(Label):
                label.update(errors.get(name, ""))

    def values(self) -> dict[str, Any]:
        start, end = parse_times(self._value("start"), self._value("end"), fold=self._fold())
        capacity = self._value("capacity")
        fields: dict[str, Any] = {
            "title": self._value("title"), "start": start, "end": end, "venue": self._value("venue"),
            "join_link": self._value("join_link") or None, "capacity": int(capacity) if capacity else None,
            "kind": SessionKind(str(self.f_kind_select.value)),
            "format": SessionFormat(str(self.f_format_select.value)),
            "description": self.f_description_editor.text.strip(),
            **{name: _names(self._value(name)) for name in LISTS}}
        if self.session is None:
            fields["slug"] = self._value("slug")
        return fields

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self._revalidate()
        if self._errors():
            self.notify("Please correct the fields marked in red.", severity="warning")
            return
        self.save_values(self.values())
