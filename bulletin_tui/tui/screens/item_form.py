"""The bulletin item editor: inline validation and a live Markdown preview of the summary."""

from __future__ import annotations

from typing import Any

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Markdown, Select, Static, TextArea

from ...domain.bulletins import BulletinItem, Category
from ...domain.errors import DomainError
from ...domain.text import link, one_line
from ...domain.times import british_date, parse_date
from ..containment import on
from .record_form import RecordForm, RecordSaving, View

TEXT_FIELDS = (("title", "Title"), ("link", "Link (https://…)"), ("link_text", "Link text (descriptive)"),
               ("source_organisation", "Source organisation"), ("topics", "Topics (separate with ;)"),
               ("closing_date", "Closing date (DD/MM/YYYY)"))


def _check_title(value: str) -> None:
    if not one_line(value):
        raise ValueError("a title is required")


def _check_link(value: str) -> None:
    if value.strip():
        link(value)


def _check_date(value: str) -> None:
    if value.strip():
        try:
            parse_date(value)
        except DomainError as exc:
            raise ValueError(str(exc)) from None


def split_topics(value: str) -> list[str]:
    """`Domestic Abuse; VAWG` -> ["Domestic Abuse", "VAWG"] (blanks dropped)."""
    return [one_line(part) for part in value.split(";") if part.strip()]


def _initial(item: BulletinItem | None, name: str) -> str:
    """A text field of the item as the form shows it (dates as DD/MM/YYYY, topics separated by ;)."""
    if item is None:
        return ""
    value = getattr(item, name)
    if name == "closing_date":
        return british_date(value) if value else ""
    if name == "topics":
        return "; ".join(value)
    return "" if value is None else str(value)


CHECKS = {"title": _check_title, "link": _check_link, "link_text": one_line, "source_organisation": one_line,
          "topics": split_topics, "closing_date": _check_date}


class ItemForm(RecordForm[dict[str, Any], BulletinItem]):
    """Saves through `add_item`/`edit_item` (guarded: someone else's change meanwhile is offered, never
    overwritten); dismisses with the saved item, or None when cancelled."""

    f_category_select = getters.query_one("#f-category", Select)
    f_restricted_checkbox = getters.query_one("#f-restricted", Checkbox)
    summary_editor = getters.query_one("#summary-editor", TextArea)
    summary_preview_markdown = getters.query_one("#summary-preview", Markdown)

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]
    LABELS = {**dict(TEXT_FIELDS), "category": "Category", "restricted": "Restricted", "summary": "Summary"}
    SHOWN_FIELDS = frozenset({*LABELS, "classification"} - {"restricted"})  # stored as a classification

    def __init__(self, saving: RecordSaving[dict[str, Any], BulletinItem], *, field: str | None = None) -> None:
        """`field`: the field to start in (a pre-send finding about the item's link opens on the link)."""
        super().__init__(saving)
        if field in self.LABELS:
            self.start_in = self.widget_id(field)

    def view_of(self, model: Any) -> View:
        item: BulletinItem | None = model
        view: View = {name: _initial(item, name) for name, _label in TEXT_FIELDS}
        view["category"] = (item.category if item else Category.NEWS).value
        view["restricted"] = bool(item and item.restricted)
        view["summary"] = item.summary if item else ""
        return view

    def widget_id(self, key: str) -> str:
        return "summary-editor" if key == "summary" else f"f-{key}"

    def compose(self) -> ComposeResult:
        item: BulletinItem | None = self.record
        view = self.view_of(item)
        with Vertical(classes="modal-box editor-box"):
            yield Static(f"Edit item {item.id}" if item else "New bulletin item", classes="modal-title")
            with Horizontal(id="item-columns"):
                with VerticalScroll(id="item-fields"):
                    for name, label in TEXT_FIELDS:
                        yield Label(label)
                        yield Input(str(view[name]), id=f"f-{name}", compact=True)
                        yield Label("", id=f"e-{name}", classes="field-error")
                    yield Label("Category")
                    yield Select([(c.heading, c.value) for c in Category], id="f-category", allow_blank=False,
                                 value=(item.category if item else Category.NEWS).value, compact=True)
                    yield Checkbox("Restricted (only to lists cleared for it)", bool(item and item.restricted),
                                   id="f-restricted", compact=True)
                with Vertical(id="item-summary"):
                    yield Label("Summary (Markdown; raw HTML is not rendered)")
                    yield TextArea(item.summary if item else "", id="summary-editor")
                    yield Label("Preview")
                    yield Markdown(item.summary if item else "", id="summary-preview")
            with Horizontal(classes="modal-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def _errors(self) -> dict[str, str]:
        errors = {}
        for name, check in CHECKS.items():
            try:
                check(self.query_one(f"#f-{name}", Input).value)
            except ValueError as exc:
                errors[name] = str(exc).removeprefix("Value error, ")
        return errors

    @on(Input.Changed)
    def _revalidate(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        self.query_one(f"#e-{name}", Label).update(self._errors().get(name, ""))

    @on(TextArea.Changed, "#summary-editor")
    async def _preview(self, event: TextArea.Changed) -> None:
        await self.summary_preview_markdown.update(event.text_area.text)

    def values(self) -> dict[str, Any]:
        """The form as keyword arguments for the assembly service."""
        fields: dict[str, Any] = {name: self.query_one(f"#f-{name}", Input).value.strip() for name, _ in TEXT_FIELDS}
        fields["category"] = str(self.f_category_select.value)
        fields["restricted"] = self.f_restricted_checkbox.value
        fields["summary"] = self.summary_editor.text
        fields["topics"] = split_topics(fields["topics"])
        return fields

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        errors = self._errors()
        for name in CHECKS:
            self.query_one(f"#e-{name}", Label).update(errors.get(name, ""))
        if errors:
            self.notify("Please correct the fields marked in red.", severity="warning")
            return
        self.save_values(self.values())
