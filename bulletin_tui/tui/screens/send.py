"""The send screen: issue + list -> checks -> test send -> confirm the exact count -> live progress -> ledger."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Label, ProgressBar, Select, Static

from ...domain.bulletins import IssueStatus
from ...services.bulletins import list_issues
from ...services.lists import all_lists
from ...services.subscribers import audience
from ..check_bridge import run_checks
from .base import WorkScreen


class SendScreen(WorkScreen):
    """Sending runs in a worker; the screen stays responsive and can pause, resume or cancel."""

    HELP_TITLE = "Send"
    HELP = ("Choose the issue and the list, run the checks, send a test to yourself, then send. The confirmation "
            "states exactly how many people will receive it. Closing the app mid-send is safe: the next start "
            "offers to resume, and nobody is sent the bulletin twice except a message that was in flight.")
    BINDINGS = [
        Binding("c", "checks", "Checks"),
        Binding("t", "test_send", "Test send"),
        Binding("s", "send", "Send"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="send-setup"):
            with Horizontal(classes="form-row"):
                yield Label("Issue ")
                yield Select([], id="issue", prompt="Choose the issue")
                yield Label("  List ")
                yield Select([], id="list", prompt="Choose the list")
            yield Static(id="send-status")
        yield ProgressBar(id="send-progress", show_eta=True)
        yield DataTable(id="ledger-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ledger-table", DataTable).add_columns("Recipient", "State", "When", "Server reply")

    def reload(self) -> None:
        issues = [(f"{i.slug} · {i.title}", i.slug) for i in list_issues(self.ctx) if i.status is not IssueStatus.SENT]
        lists = [(dl.name, dl.slug) for dl in all_lists(self.ctx)]
        for select_id, options in (("#issue", issues), ("#list", lists)):
            select = self.query_one(select_id, Select)
            keep = select.value
            select.set_options(options)
            if keep in [value for _label, value in options]:
                select.value = keep
            elif options:
                select.value = options[0][1]
        self.describe_choice()

    def chosen(self) -> tuple[str | None, str | None]:
        issue, dl = self.query_one("#issue", Select).value, self.query_one("#list", Select).value
        return (None if issue is Select.BLANK else str(issue)), (None if dl is Select.BLANK else str(dl))

    @on(Select.Changed)
    def describe_choice(self) -> None:
        issue, dl = self.chosen()
        if not issue or not dl:
            self.query_one("#send-status", Static).update("Choose an issue and a list.")
            return
        count = len(audience(self.ctx, dl))
        self.query_one("#send-status", Static).update(
            f"{issue} to {dl}: {count:,} recipient(s) now (unsubscribed and suppressed people left out). "
            "Press c to check, t for a test send, s to send.")

    def action_checks(self) -> None:
        issue, _dl = self.chosen()
        if issue:
            outcome = run_checks(self.ctx, issue)
            self.notify(f"{issue}: {outcome.summary()}", severity="information" if outcome.passed else "warning")

    def action_test_send(self) -> None:
        self.notify("Test send needs the sending service.", severity="warning")

    def action_send(self) -> None:
        self.notify("Sending needs the sending service.", severity="warning")
