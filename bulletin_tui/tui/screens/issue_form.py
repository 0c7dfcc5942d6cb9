"""Change an issue's title and introduction (the intro is Markdown, shown under the greeting)."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from ...domain.bulletins import BulletinIssue
from ...domain.text import one_line
from ..containment import on
from .record_form import RecordForm, View


class IssueForm(RecordForm[dict[str, str], BulletinIssue]):
    """Saves {"title", "intro"} through `update_issue` (guarded: someone else's change meanwhile is offered, never
    overwritten); dismisses with the saved issue, or None when cancelled."""

    e_title = getters.query_one("#e-title", Label)
    f_intro_editor = getters.query_one("#f-intro", TextArea)
    f_title_input = getters.query_one("#f-title", Input)

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]
    LABELS = {"title": "Title", "intro": "Introduction"}
    SHOWN_FIELDS = frozenset(LABELS)

    def view_of(self, model: object) -> View:
        issue = model if isinstance(model, BulletinIssue) else None
        return {"title": issue.title if issue else "", "intro": issue.intro if issue else ""}

    def compose(self) -> ComposeResult:
        view = self.view_of(self.record)
        with Vertical(classes="modal-box form-box"):
            yield Static(f"Title and introduction of {self.saving.key}", classes="modal-title", markup=False)
            yield Label("Title (the e-mail's subject)")
            yield Input(str(view["title"]), id="f-title")
            yield Label("", id="e-title", classes="field-error")
            yield Label("Introduction (Markdown; empty for none)")
            yield TextArea(str(view["intro"]), id="f-intro", soft_wrap=True)
            with Horizontal(classes="modal-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def _title_error(self) -> str:
        value = self.f_title_input.value
        if not value.strip():
            return "a title is needed"
        try:
            one_line(value)
        except ValueError as exc:
            return str(exc)
        return ""

    @on(Input.Changed)
    def _revalidate(self) -> None:
        self.e_title.update(self._title_error())

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        error = self._title_error()
        self.e_title.update(error)
        if error:
            return
        self.save_values({"title": self.f_title_input.value.strip(),
                          "intro": self.f_intro_editor.text.strip()})
