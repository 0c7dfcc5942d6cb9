"""The send screen: issue + list -> checks -> test send -> confirm the exact count -> live progress -> ledger; or,
with a "send at" time, confirm and record a scheduled send that the worker makes then."""

from __future__ import annotations

import time

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Label, ProgressBar, Select, Static

from ...sending.progress import Progress, RunStatus
from ...sending.ratelimit import BudgetToday
from ...services.bulletins.issues import list_issues
from ...services.mailings import send as send_service
from ...services.mailings.audience import campaign_audience, choose_lists
from ...services.mailings.runs import CampaignStatus, budget_today
from ...services.schedule.planning import upcoming
from ...services.subscribers.lists import all_lists
from ..containment import on
from ..errors import EXPECTED_ERRORS, one_line_cause
from ..mailing_runner import CampaignRunner
from ..messages import CampaignFinished, CampaignProgressed, DataChanged, WorkerFailed
from ..scheduled_sends import cancel_one
from ..send_bridge import campaign_statuses
from ..widgets.key_footer import KeyFooter
from ..widgets.ledger_view import STATE_FILTERS, LedgerTable, ledger_states
from ..widgets.run_elsewhere import OffWhileSentElsewhere, RunElsewhere
from ..widgets.send_at import SendAtRow
from .base import WorkScreen
from .confirm import ConfirmModal
from .lists_modal import ListsModal
from .send_checks import SendChecks
from .send_schedule import schedule_flow, scheduled_for


class SendScreen(OffWhileSentElsewhere, SendChecks, WorkScreen, CampaignRunner):
    """Sending runs in a worker; the screen stays responsive and can pause, resume or cancel."""

    issue_select = getters.query_one("#issue", Select)
    ledger_filter_select = getters.query_one("#ledger-filter", Select)
    ledger_table = getters.query_one("#ledger-table", LedgerTable)
    list_select = getters.query_one("#list", Select)
    progress_bar = getters.query_one(ProgressBar)
    progress_line = getters.query_one("#progress-line", Static)
    scheduled_line = getters.query_one("#scheduled-line", Static)
    send_at_input = getters.query_one("#send-at", Input)
    send_status = getters.query_one("#send-status", Static)

    HELP_TITLE = "Send"
    HELP = ("Choose the issue and the list, run the checks (c), send a test to yourself (t), then send (s): the "
            "confirmation states exactly how many people will receive it. a adds more lists to the same send: "
            "each person gets one copy, and people who already received the issue are left out. "
            "Space pauses and resumes, x stops. A time in \"Send at\" (YYYY-MM-DD HH:MM, London) schedules the send "
            "instead (s, or enter in the field): the worker sends it then; z cancels one not yet started. "
            "Closing the app mid-send is safe: the next start offers to resume (R); a message that was in flight "
            "is marked uncertain and only resent if you choose to (u).")
    BINDINGS = [
        Binding("c", "checks", "Checks"),
        Binding("a", "choose_lists", "Lists"),
        Binding("t", "test_send", "Test send"),
        Binding("s", "send", "Send"),
        Binding("space", "pause_resume", "Pause/resume", priority=True),
        Binding("x", "stop", "Stop", priority=True),
        Binding("R", "resume", "Resume"),
        Binding("r", "retry_failed", "Retry failed"),
        Binding("u", "resend_uncertain", "Resend uncertain"),
        Binding("f", "force_send", "Send despite checks", show=False),
        Binding("k", "check_connection", "Check SMTP connection", show=False),
        Binding("z", "cancel_scheduled", "Cancel scheduled", show=False),
    ]
    SENDING_ACTIONS = frozenset({"send", "force_send", "resume", "retry_failed", "resend_uncertain", "pause_resume",
                                 "stop"})  # off while another process sends the chosen campaign (RunElsewhere)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="send-setup"):
            with Horizontal(classes="form-row"):
                yield Label("Issue ")
                yield Select([], id="issue", prompt="Choose the issue")
                yield Label("  List ")
                yield Select([], id="list", prompt="Choose the list")
                yield Label("  Ledger ")
                yield Select(STATE_FILTERS, id="ledger-filter", allow_blank=False, value="all")
            yield SendAtRow()
            yield Static(id="send-status")
            yield Static(id="send-checks")
        yield RunElsewhere(self.ctx, self.campaign_id)
        yield ProgressBar(total=1, id="send-progress", show_eta=False)
        yield Static(id="progress-line")
        yield LedgerTable(id="ledger-table")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.extra_lists: list[str] = []
        self.last_progress: Progress | None = None
        self._budget: BudgetToday | None = None
        self._budget_read_at = 0.0
        self.bulletin_app.send_screen = self

    # -- choosing -------------------------------------------------------------------------------------------
    def reload(self) -> None:
        issues = [(f"{i.slug} ({i.status.value})", i.slug) for i in list_issues(self.ctx)]
        lists = [(dl.name, dl.slug) for dl in all_lists(self.ctx)]
        unfinished = next((c.meta for c in campaign_statuses(self.ctx) if c.to_send and c.meta.get("issue")), {})
        unfinished_lists = list(unfinished.get("lists") or [unfinished.get("list", "e-bulletin")])
        if self.list_select.value is Select.BLANK and len(unfinished_lists) > 1:
            self.extra_lists = unfinished_lists[1:]  # offer to resume a several-list campaign as it was
        for select_id, options, preferred in (("#issue", issues, unfinished.get("issue")),
                                              ("#list", lists, unfinished_lists[0])):
            select = self.query_one(select_id, Select)
            keep, values = select.value, [value for _label, value in options]
            with select.prevent(Select.Changed):
                select.set_options(options)
                if keep in values or preferred in values or values:
                    select.value = keep if keep in values else (preferred if preferred in values else values[0])
        self.describe_choice()

    def chosen(self) -> tuple[str | None, str | None]:
        issue, dl = self.issue_select.value, self.list_select.value
        return (None if issue is Select.BLANK else str(issue)), (None if dl is Select.BLANK else str(dl))

    def chosen_lists(self) -> list[str]:
        """The list in the selector, then any more lists added with `a` (each once)."""
        _issue, dl = self.chosen()
        return list(dict.fromkeys(([dl] if dl else []) + self.extra_lists))

    def campaign_id(self) -> str | None:
        issue, lists = self.chosen()[0], self.chosen_lists()
        return send_service.campaign_id_for(issue, lists) if issue and lists else None

    @on(Select.Changed, "#issue")
    @on(Select.Changed, "#list")
    def _choice_changed(self) -> None:
        self.checks, self.checks_key, self.tested_to = None, "", ""  # the new choice's checks run in the background
        self.describe_choice()

    def action_choose_lists(self) -> None:
        lists = [(dl.name, dl.slug) for dl in all_lists(self.ctx)]
        self.app.push_screen(ListsModal(lists, self.chosen_lists()), self._lists_chosen)

    def _lists_chosen(self, slugs: list[str] | None) -> None:
        if not slugs:
            return
        select = self.list_select
        with select.prevent(Select.Changed):
            select.value = slugs[0]
        self.extra_lists = slugs[1:]
        self._choice_changed()

    def recipients_now(self, issue: str, lists: list[str]) -> tuple[int, int]:
        """(people a new send would reach, people left out because an earlier campaign sent them this issue)."""
        people, already = campaign_audience(self.ctx, issue, choose_lists(self.ctx, lists),
                                            campaign_id=send_service.campaign_id_for(issue, lists))
        return len(people), already

    def describe_choice(self) -> None:
        """State the recipients, the checks, the test send and any unfinished campaign for this choice."""
        issue, lists = self.chosen()[0], self.chosen_lists()
        status = self.send_status
        if not issue or not lists:
            status.update("Choose an issue (draft or ready) and a list.")
            self.send_checks.update("")
            return
        count, already = self.recipients_now(issue, lists)
        earlier = f" {already:,} already received it from an earlier send and are left out." if already else ""
        lines = [f"[b]{issue}[/] to [b]{' + '.join(lists)}[/]: {count:,} recipient(s) now, each once "
                 f"(unsubscribed and suppressed people are left out).{earlier}"]
        lines.append("Checks: " + self.checks_summary() +
                     " · Test: " + (f"sent to {self.tested_to}" if self.tested_to else "not sent yet (t)"))
        budget = self.budget()
        if budget is not None:
            lines.append(budget.plan(count) + ".")
        existing = self._existing()
        if existing is not None:
            counts = ", ".join(f"{n} {state}" for state, n in sorted(existing.counts.items()))
            hint = " · R resumes" if existing.to_send else ""
            lines.append(f"Mailing {existing.campaign_id}: {counts}{hint}")
        status.update("\n".join(lines))
        self.refresh_checks()
        self.show_findings()
        self.show_scheduled()
        self.show_ledger()

    def show_scheduled(self) -> None:
        """What is already scheduled for this issue and these lists (z cancels one not yet started)."""
        found = scheduled_for(self.ctx, self.campaign_id())
        self.scheduled_line.update(
            " · ".join(f"scheduled #{e.id}: {e.when_text()} ({e.state.value})" for e in found) +
            (" · z cancels" if found else ""))

    @on(Input.Submitted, "#send-at")
    def _send_at_entered(self) -> None:
        self.action_send()

    def action_cancel_scheduled(self) -> None:
        cancel_one(self, scheduled_for(self.ctx, self.campaign_id()) or upcoming(self.ctx), self.describe_choice)

    def budget(self) -> BudgetToday | None:
        """The sending mailbox's rolling-24-hour budget, as every process has spent it (read at most once a second);
        None for the outbox, which uses none of it."""
        if not self.ctx.settings.smtp.host:
            return None
        now = time.monotonic()
        if self._budget is None or now - self._budget_read_at >= 1.0:
            self._budget, self._budget_read_at = budget_today(self.ctx), now
        return self._budget

    def _existing(self) -> CampaignStatus | None:
        """The chosen issue+list's campaign, if it was started."""
        campaign_id = self.campaign_id()
        return next((c for c in campaign_statuses(self.ctx) if c.campaign_id == campaign_id), None)

    @on(Select.Changed, "#ledger-filter")
    def show_ledger(self) -> None:
        campaign_id = self.campaign_id()
        people = ledger_states(self.ctx, campaign_id) if campaign_id else []
        state_filter = str(self.ledger_filter_select.value)
        matched = self.ledger_table.show(people, state_filter)
        self.ledger_table.border_title = f"Ledger: {matched:,} of {len(people):,}"

    # -- checks and test send ----------------------------------------------------------------------------------
    def action_checks(self) -> None:
        """Run the checks now (they also run by themselves after every change); the findings show below."""
        checks = self.run_checks_now()
        if checks is not None:
            self.notify(f"Checks: {checks.summary()}.", severity="information" if checks.passed else "warning")
            self.describe_choice()

    def action_check_connection(self) -> None:
        self.check_connection()

    @work(exclusive=True, group="smtp-check", exit_on_error=False, description="SMTP check")
    async def check_connection(self) -> None:
        """Connect and log in to the configured server (or say that the outbox is in use)."""
        try:
            self.notify(await send_service.check_smtp_connection(self.ctx), title="SMTP connection")
        except (*EXPECTED_ERRORS, RuntimeError) as exc:
            self.post_message(WorkerFailed("SMTP connection check", one_line_cause(exc)))

    # -- sending ----------------------------------------------------------------------------------------------
    def action_send(self, force: bool = False) -> None:
        issue, lists = self.chosen()[0], self.chosen_lists()
        if not issue or not lists or self._busy():
            return
        send_at = self.send_at_input.value.strip()
        if send_at:
            schedule_flow(self, issue, lists, send_at, force=force)
            return
        checks = self.checks or self.run_checks_now()
        if checks is None:
            return
        if not checks.passed and not force:
            self.notify(f"Checks: {checks.summary()}. Fix them (see the bulletin screen), or press f to "
                        "send anyway.", severity="error")
            self.describe_choice()
            return
        count, already = self.recipients_now(issue, lists)
        test = f"A test went to {self.tested_to}." if self.tested_to else "No test has been sent."
        override = " The checks did NOT pass; you are overriding them." if not checks.passed else ""
        earlier = f" ({already:,} who already received it are left out.)" if already else ""
        question = f"Send {issue} to exactly {count:,} recipient(s) on {' + '.join(lists)}?{earlier} {test}{override}"
        def start(confirmed: bool | None) -> None:
            if confirmed:
                self.run_campaign(issue, lists if len(lists) > 1 else lists[0], force=force)

        self.app.push_screen(ConfirmModal(question, confirm_label=f"Send to {count:,}", danger=bool(override)), start)

    def action_force_send(self) -> None:
        self.action_send(force=True)

    def action_resume(self) -> None:
        self._continue(resume=True)

    def action_retry_failed(self) -> None:
        self._continue(retry_failed=True)

    def action_resend_uncertain(self) -> None:
        existing = self._existing()
        uncertain = existing.counts.get("uncertain", 0) if existing else 0
        if uncertain:
            self.app.push_screen(ConfirmModal(
                f"Resend to {uncertain} uncertain recipient(s)? Some of them may already have it.",
                confirm_label=f"Resend {uncertain}", danger=True), self._resend_confirmed)

    def _resend_confirmed(self, confirmed: bool | None) -> None:
        if confirmed:
            self._continue(resend_uncertain=True)

    def _continue(self, **mode: bool) -> None:
        issue, lists = self.chosen()[0], self.chosen_lists()
        if issue and lists and not self._busy() and self._existing() is not None:
            self.run_campaign(issue, lists if len(lists) > 1 else lists[0], **mode)

    def _busy(self) -> bool:
        if self.ctx.store.read_only:
            self.notify(f"Read-only: {self.ctx.store.db.read_only_reason or 'opened read-only'}.", severity="warning")
            return True
        if self.campaign is not None:
            self.notify("A mailing is already running (space pauses, x stops).", severity="warning")
            return True
        return False

    @on(CampaignProgressed)
    def _progressed(self, event: CampaignProgressed) -> None:
        previous, self.last_progress = self.last_progress, event.progress
        self.show_progress(event.progress)
        if previous is None or previous.state != event.progress.state:
            self.show_ledger()  # the ledger table follows each change of state (waiting, paused, finished)

    def show_progress(self, progress: Progress) -> None:
        self.progress_bar.update(total=max(progress.total, 1), progress=progress.done)
        eta = f" · {progress.eta_text}" if progress.eta_text else ""
        paused = " · PAUSED (space resumes)" if self.campaign and self.campaign.paused else ""
        counts = " · ".join(f"{progress.counts.get(k, 0)} {k}" for k in
                            ("sent", "failed", "deferred", "uncertain", "skipped"))
        state = "" if progress.state == "running" else f" · {progress.state}" + (
            f": {progress.reason}" if progress.reason else "")
        budget = self.budget()
        left = f" · {budget.summary()}" if budget is not None else ""
        self.progress_line.update(
            f"{progress.done:,}/{progress.total:,} · {counts} · {progress.rate:.1f}/s{eta}{paused}{state}{left}")

    @on(CampaignFinished)
    def finished(self, event: CampaignFinished) -> None:
        result = event.result
        if result.status is RunStatus.COMPLETE:  # the issue was marked sent by the campaign handle
            self.notify(f"{event.campaign_id} complete: {result.counts.get('sent', 0)} sent, "
                        f"{result.problems} problem(s).")
        else:
            self.notify(f"{event.campaign_id} {result.status.value}: {result.reason or 'stopped by you'}. "
                        "R resumes.", severity="warning", timeout=10)
        self.post_message(DataChanged("campaigns"))
        self.show_ledger()

    def on_unmount(self) -> None:
        """The app is closing without ctrl+q: at least tell the sending thread to stop after what is in flight."""
        if self.campaign is not None:
            self.campaign.stop()

    def action_pause_resume(self) -> None:
        self.toggle_pause()
        if self.last_progress is not None:
            self.show_progress(self.last_progress)

    def action_stop(self) -> None:
        if self.campaign is not None:
            self.campaign.stop()
            self.notify("Stopping after the messages in flight; R resumes later.")
