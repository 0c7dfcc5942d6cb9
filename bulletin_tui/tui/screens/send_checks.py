"""The send screen's pre-send checks and test send. The checks run in a background thread whenever the choice
changes or what they read changes (an item fixed on the bulletin screen, by this app or another), so the list is
current without `c`; their findings are listed on the screen. The test send goes to the address last used (the
operator's, the first time) and sends one [TEST] copy per variant the chosen lists receive."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, work
from textual.screen import Screen
from textual.widgets import Static

from ...services.bulletins.check_inputs import checks_fingerprint
from ...services.mailings import send as send_service
from ..errors import EXPECTED_ERRORS, one_line_cause
from ..messages import WorkerFailed
from ..summaries import CheckOutcome, run_checks
from .confirm import PromptModal

if TYPE_CHECKING:
    from ...services.context import AppContext
    from ..app import BulletinApp

FINDINGS_SHOWN = 6
"""Findings listed under the choice; the bulletin screen's checks (3, then c) list them all."""


class SendChecks(Screen[None]):
    """Mixed into the send screen: the checks kept current, and the test send."""

    send_checks = getters.query_one("#send-checks", Static)

    checks: CheckOutcome | None = None
    checks_key = ""
    """Which choice and which state of the data the shown checks are for ('' none yet)."""
    test_address = ""
    """The address the last test went to: offered again next time."""

    if TYPE_CHECKING:
        ctx: AppContext
        bulletin_app: BulletinApp

        def chosen(self) -> tuple[str | None, str | None]: ...
        def chosen_lists(self) -> list[str]: ...
        def describe_choice(self) -> None: ...

    def refresh_checks(self) -> None:
        """Run the checks in the background if the choice or what they read changed since they were run."""
        issue, lists = self.chosen()[0], self.chosen_lists()
        key = f"{issue}|{'+'.join(lists)}|{checks_fingerprint(self.ctx, issue, lists)}" if issue and lists else ""
        if key == self.checks_key:
            return
        self.checks_key = key
        if key and issue:
            self.check_in_background(issue, lists, key)

    @work(thread=True, exclusive=True, group="send-checks", exit_on_error=False, description="Pre-send checks")
    def check_in_background(self, issue: str, lists: list[str], key: str) -> None:
        outcome = run_checks(self.ctx, issue, lists)
        self.app.call_from_thread(self._checked, key, outcome)

    def _checked(self, key: str, outcome: CheckOutcome) -> None:
        if key == self.checks_key and self.is_mounted:  # not a choice made since
            self.checks = outcome
            self.describe_choice()

    def run_checks_now(self) -> CheckOutcome | None:
        """The checks for the choice, run here and now (c, or a send before the background run finished)."""
        issue, lists = self.chosen()[0], self.chosen_lists()
        if not issue or not lists:
            return None
        self.checks = run_checks(self.ctx, issue, lists)
        self.checks_key = f"{issue}|{'+'.join(lists)}|{checks_fingerprint(self.ctx, issue, lists)}"
        return self.checks

    def checks_summary(self) -> str:
        if self.checks is not None:
            return self.checks.summary()
        return "running…" if self.checks_key else "not run yet (c)"

    def show_findings(self) -> None:
        """Each finding of the checks on show (errors red, warnings yellow), under the choice."""
        text = Text()
        findings = self.checks.findings if self.checks is not None else []
        for finding in findings[:FINDINGS_SHOWN]:
            error = finding.severity == "error"
            text.append(f"{'✘' if error else '!'} {finding.short}\n", style="red" if error else "yellow")
        if len(findings) > FINDINGS_SHOWN:
            text.append(f"… and {len(findings) - FINDINGS_SHOWN} more: press 3, then c, to go through them all",
                        style="dim")
        text.rstrip()
        self.send_checks.update(text)

    def action_test_send(self) -> None:
        issue = self.chosen()[0]
        if issue:
            sender = self.ctx.settings.sender
            offered = self.test_address or sender.operator_address or sender.from_address
            self.app.push_screen(PromptModal("Send [TEST] copies (one per variant) to:", value=offered),
                                 self._test_to)

    def _test_to(self, address: str | None) -> None:
        issue, lists = self.chosen()[0], self.chosen_lists()
        if address and address.strip() and issue and lists:
            self.test_address = address.strip()
            self.send_test(issue, lists, self.test_address)

    @work(exclusive=True, group="test-send", exit_on_error=False, description="Test send")
    async def send_test(self, issue: str, lists: list[str], address: str) -> None:
        """One test message per variant, each through the app's transport."""
        try:
            sent = await send_service.send_tests(self.ctx, issue, address, lists,
                                                 transports=self.bulletin_app.make_transport)
        except (*EXPECTED_ERRORS, RuntimeError) as exc:
            self.post_message(WorkerFailed("Test send", one_line_cause(exc)))
            return
        failed = [(variant, d) for variant, d in sent if d.outcome.value != "sent"]
        told = "; ".join(f"{variant}: {delivery.summary}" for variant, delivery in sent)
        if failed:
            self.notify(f"Test to {address} not all sent: {told}", severity="error", timeout=10)
        else:
            self.tested_to = address
            self.notify(f"{len(sent)} test cop{'y' if len(sent) == 1 else 'ies'} sent to {address}: {told}")
        self.describe_choice()

    tested_to = ""
    """Where a test of this choice went (cleared when the choice changes)."""
