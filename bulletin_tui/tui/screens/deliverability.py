"""The "Check deliverability" dialog: sends one test bulletin to the team mailbox (through
`services.mailcheck.deliverability`), reads it back and shows one verdict line per check."""

from __future__ import annotations

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...domain.errors import DomainError
from ...services.context import AppContext
from ...services.mailcheck.deliverability import DeliverabilityReport, check_deliverability
from ..containment import ContainHandlerErrors, on


class DeliverabilityModal(ContainHandlerErrors, ModalScreen[None]):
    """Runs the deliverability check in a worker; shows the verdicts, or the one-line reason it could not run."""

    BINDINGS = [Binding("escape", "close", "Close")]
    verdicts = getters.query_one("#verdicts", Static)

    class Checked(Message):
        """The check finished: its report, or why it could not run (nothing was sent)."""

        def __init__(self, report: DeliverabilityReport | None, refusal: str = "") -> None:
            super().__init__()
            self.report, self.refusal = report, refusal

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.report: DeliverabilityReport | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Static("Check deliverability", classes="modal-title")
            yield Static("Sending one test bulletin to the team mailbox and waiting for it (up to 2 minutes)…",
                         id="verdicts", markup=False)
            with Horizontal(classes="modal-buttons"):
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self._check()

    @work(exclusive=True, group="deliverability", exit_on_error=False, description="Deliverability check")
    async def _check(self) -> None:
        try:
            report = await check_deliverability(self.ctx)
        except DomainError as exc:
            self.post_message(self.Checked(None, str(exc)))
            return
        self.post_message(self.Checked(report))

    @on(Checked)
    def _show(self, event: Checked) -> None:
        self.report = event.report
        lines = event.report.lines() if event.report is not None else [f"Not sent: {event.refusal}"]
        self.verdicts.update("\n".join(lines))

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
