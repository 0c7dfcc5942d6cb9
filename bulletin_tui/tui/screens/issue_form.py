"""Change an issue's title and introduction (the intro is Markdown, shown under the greeting)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from ...domain.bulletins import BulletinIssue
from ...domain.text import one_line
from ..containment import ContainHandlerErrors


class IssueForm(ContainHandlerErrors, ModalScreen[dict[str, str] | None]):
    """Dismisses with {"title", "intro"} for `update_issue`, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, issue: BulletinIssue) -> None:
        super().__init__()
        self.issue = issue

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box form-box"):
            yield Static(f"Title and introduction of {self.issue.slug}", classes="modal-title", markup=False)
            yield Label("Title (the e-mail's subject)")
            yield Input(self.issue.title, id="f-title")
            yield Label("", id="e-title", classes="field-error")
            yield Label("Introduction (Markdown; empty for none)")
            yield TextArea(self.issue.intro, id="f-intro", soft_wrap=True)
            with Horizontal(classes="modal-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def _title_error(self) -> str:
        value = self.query_one("#f-title", Input).value
        if not value.strip():
            return "a title is needed"
        try:
            one_line(value)
        except ValueError as exc:
            return str(exc)
        return ""

    @on(Input.Changed)
    def _revalidate(self) -> None:
        self.query_one("#e-title", Label).update(self._title_error())

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        error = self._title_error()
        self.query_one("#e-title", Label).update(error)
        if error:
            return
        self.dismiss({"title": self.query_one("#f-title", Input).value.strip(),
                      "intro": self.query_one("#f-intro", TextArea).text.strip()})

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
