"""The backlog: contributed items not yet in an issue; enter adds the highlighted one to the current issue."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ...domain.times import british_date
from ...services.bulletins.assembly import assign_item, backlog
from ..containment import ContainHandlerErrors, on
from ..errors import EXPECTED_ERRORS, one_line_cause
from ..widgets.cells import plain_row


class BacklogModal(ContainHandlerErrors, ModalScreen[bool]):
    """Dismisses with True if any item was added to the issue."""

    backlog_table = getters.query_one("#backlog-table", DataTable)

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, issue_slug: str) -> None:
        super().__init__()
        self.issue_slug = issue_slug
        self.added = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box wizard-box"):
            yield Static(f"Backlog: enter adds an item to {self.issue_slug}; escape closes", classes="modal-title")
            yield DataTable(id="backlog-table", cursor_type="row")

    def on_mount(self) -> None:
        table = self.backlog_table
        table.add_columns("Title", "Section", "From", "Added")
        self.refill()
        table.focus()

    def refill(self) -> None:
        self.items = backlog(self.bulletin_app.ctx)
        table = self.backlog_table
        table.clear()
        for item in self.items:
            added = british_date(item.created_at)
            table.add_row(*plain_row(item.title[:50], item.category.heading, item.contributed_by[:20], added))

    @on(DataTable.RowSelected)
    def add_to_issue(self, event: DataTable.RowSelected) -> None:
        item = self.items[event.cursor_row]
        try:
            assign_item(self.bulletin_app.ctx, self.issue_slug, item.id)
        except EXPECTED_ERRORS as exc:
            self.notify(one_line_cause(exc), title="Add failed", severity="error")
            return
        self.added = True
        self.notify(f"Added “{item.title}” to {self.issue_slug}.")
        self.refill()

    def action_close(self) -> None:
        self.dismiss(self.added)
