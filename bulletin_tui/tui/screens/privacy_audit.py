"""The personal-data audit as a table (`services.privacy.audit`): each place, what it holds now, and what subject
access, erasure and the retention schedule do there. Read-only; escape closes it."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from ...domain.times import LONDON
from ...services.privacy.audit import AuditRow
from ..containment import ContainHandlerErrors, on
from ..widgets.cells import plain_row

COLUMNS = ("Place", "Where", "Holds now", "Oldest", "Erasure", "Retention")


class PrivacyAuditModal(ContainHandlerErrors, ModalScreen[None]):
    """Every place personal data lives, one row each (subject access shows them all)."""

    BINDINGS = [Binding("escape", "close", "Close")]
    table = getters.query_one("#audit-table", DataTable)

    def __init__(self, rows: list[AuditRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box editor-box"):
            yield Static("Personal data audit: every place, and what subject access (all of them), erasure and the "
                         "retention schedule do there", classes="modal-title", markup=False)
            yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="modal-buttons"):
                yield Button("Close (esc)", id="close", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.table.add_columns(*COLUMNS)
        for row in self.rows:
            oldest = f"{row.oldest.astimezone(LONDON):%d %b %Y}" if row.oldest else "–"
            self.table.add_row(*plain_row(row.place, row.where, f"{row.count:,} {row.unit}", oldest, row.erasure,
                                          row.retention), key=row.place)
        self.table.focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
