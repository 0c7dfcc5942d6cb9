"""Add or edit a subscriber: fields validated inline, one checkbox per list."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.markup import escape
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Static

from ...domain.subscribers import DistributionList, Subscriber
from ...domain.text import email_address, one_line
from ..containment import on
from .record_form import RecordForm, RecordSaving, View


@dataclass
class SubscriberDraft:
    """What the form collected: the person's details and the lists they should be on."""

    email: str
    name: str
    organisation: str
    role: str
    area: str
    topics: str
    lists: set[str] = field(default_factory=set)

    @property
    def details(self) -> dict[str, str]:
        return {"name": self.name, "organisation": self.organisation, "role": self.role, "area": self.area}

    @property
    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.split(",") if t.strip()]


FIELDS = (("email", "E-mail address", email_address), ("name", "Name", one_line),
          ("organisation", "Organisation", one_line), ("role", "Role", one_line),
          ("area", "District or area", one_line), ("topics", "Topics (comma-separated)", one_line))


class SubscriberForm(RecordForm[SubscriberDraft, Subscriber]):
    """Saves a validated draft (guarded: someone else's change meanwhile, or someone else adding the same address,
    is offered, never overwritten); dismisses with the saved person, or None when cancelled."""

    f_email_input = getters.query_one("#f-email", Input)

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]
    SHOWN_FIELDS = frozenset({*(name for name, _label, _check in FIELDS), "lists"})

    def __init__(self, lists: list[DistributionList], saving: RecordSaving[SubscriberDraft, Subscriber]) -> None:
        super().__init__(saving)
        self.lists = lists

    @property
    def person(self) -> Subscriber | None:
        found: Subscriber | None = self.record
        return found

    def labels(self) -> dict[str, str]:
        return {**{name: label for name, label, _check in FIELDS},
                **{f"l-{dl.slug}": f"List: {dl.name}" for dl in self.lists}}

    def view_of(self, model: object) -> View:
        person = model if isinstance(model, Subscriber) else None
        view: View = {name: _value(person, name) for name, _label, _check in FIELDS}
        slugs = [dl.slug for dl in self.lists] + sorted(set(person.lists if person else ()) - {
            dl.slug for dl in self.lists})
        view.update({f"l-{slug}": bool(person and person.is_subscribed(slug)) for slug in slugs})
        return view

    def widget_id(self, key: str) -> str:
        return key if key.startswith("l-") else f"f-{key}"

    def compose(self) -> ComposeResult:
        person = self.person
        with VerticalScroll(classes="modal-box form-box"):
            yield Static("Edit subscriber" if person else "Add a subscriber", classes="modal-title")
            for name, label, _check in FIELDS:
                yield Label(label)
                yield Input(_value(person, name), id=f"f-{name}", compact=True,
                            disabled=person is not None and name == "email")  # a new address is a new person
                yield Label("", id=f"e-{name}", classes="field-error")
            yield Label("Lists (ticking records consent from this operator; unticking unsubscribes)")
            for dl in self.lists:
                ticked = bool(person and person.is_subscribed(dl.slug))
                yield Checkbox(self._list_label(dl), ticked, id=f"l-{dl.slug}")
            yield Label("", id="e-lists", classes="field-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def _list_label(self, dl: DistributionList) -> str:
        person = self.person
        status = person.lists[dl.slug].status.value if person and dl.slug in person.lists else "not on list"
        return f"{escape(dl.name)}  [dim]({status})[/]"

    def took_theirs(self) -> None:
        for dl in self.lists:
            self.query_one(f"#l-{dl.slug}", Checkbox).label = self._list_label(dl)

    def key_fixed(self) -> None:
        self.f_email_input.disabled = True

    def _errors(self) -> dict[str, str]:
        """Validate every field; a map of field -> message (empty when all is well)."""
        errors: dict[str, str] = {}
        for name, _label, check in FIELDS:
            try:
                check(self.query_one(f"#f-{name}", Input).value)
            except ValueError as exc:
                errors[name] = str(exc)
        if not self.person and not self._ticked():
            errors["lists"] = "tick at least one list"
        return errors

    def _ticked(self) -> set[str]:
        return {dl.slug for dl in self.lists if self.query_one(f"#l-{dl.slug}", Checkbox).value}

    @on(Input.Changed)
    def _revalidate(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        self.query_one(f"#e-{name}", Label).update(self._errors().get(name, ""))

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        errors = self._errors()
        for name in (*(f for f, _l, _c in FIELDS), "lists"):
            self.query_one(f"#e-{name}", Label).update(errors.get(name, ""))
        if errors:
            self.notify("Please correct the fields marked in red.", severity="warning")
            return
        values = {name: self.query_one(f"#f-{name}", Input).value.strip() for name, _l, _c in FIELDS}
        self.save_values(SubscriberDraft(**values, lists=self._ticked()))


def _value(person: Subscriber | None, name: str) -> str:
    if person is None:
        return ""
    return ", ".join(person.topics) if name == "topics" else str(getattr(person, name))
