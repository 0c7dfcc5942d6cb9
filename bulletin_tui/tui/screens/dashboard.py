"""The dashboard: next bulletin, upcoming sessions, recent and scheduled campaigns with the worker's last and next
run, list sizes and a joiners chart."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Header, Static

from ...domain.bulletins import IssueStatus
from ...domain.occurrences import total_places
from ...domain.times import british_date, short_local
from ...services.bulletins.check_inputs import checks_fingerprint
from ...services.schedule.planning import upcoming
from ..scheduled_sends import cancel_one, scheduled_lines, worker_line
from ..send_bridge import recent_campaigns
from ..summaries import CheckOutcome, Dashboard, build_dashboard, month_label, run_checks
from ..widgets.bars import capacity_bar, column_chart
from ..widgets.calendar_panel import calendar_panel
from ..widgets.key_footer import KeyFooter
from .base import WorkScreen


class DashboardScreen(WorkScreen):
    """The month at a glance."""

    calendar_panel_static = getters.query_one("#calendar-panel", Static)
    campaigns_panel = getters.query_one("#campaigns-panel", Static)
    lists_panel = getters.query_one("#lists-panel", Static)
    next_issue_static = getters.query_one("#next-issue", Static)
    sessions_panel = getters.query_one("#sessions-panel", Static)

    HELP_TITLE = "Dashboard"
    HELP = ("The month at a glance. Press 2-6 to open a screen, or ctrl+p to search every action. Scheduled sends "
            "and the worker (what it did last, what is next) show under the campaigns; z cancels a scheduled send "
            "that has not started.")
    BINDINGS = [
        Binding("y", "app.yearly_report", "Yearly report"),
        Binding("l", "app.export_ledger", "Export a ledger"),
        Binding("z", "cancel_scheduled", "Cancel a scheduled send"),
    ]
    WORKER_EVERY_S = 5.0
    """How often the worker's line is re-read from its status file (it is not in the database)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Grid(id="dashboard"):
            yield Static(id="next-issue", classes="panel")
            yield Static(id="sessions-panel", classes="panel")
            with Vertical(id="dashboard-left-bottom"):
                yield Static(id="calendar-panel", classes="panel")
                yield Static(id="campaigns-panel", classes="panel")
            yield Static(id="lists-panel", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        for panel_id, title in (("next-issue", "Next bulletin"), ("sessions-panel", "Upcoming sessions"),
                                ("campaigns-panel", "Recent mailings"), ("lists-panel", "Subscribers"),
                                ("calendar-panel", "Awareness calendar: next 8 weeks")):
            self.query_one(f"#{panel_id}").border_title = title
        self.set_interval(self.WORKER_EVERY_S, self._show_campaigns)

    checked: tuple[str, CheckOutcome | None] = ("", None)
    """The fingerprint of what the shown checks read, and their outcome: run again only when it changes."""

    def reload(self) -> None:
        data = self.data = build_dashboard(self.ctx)
        if data.next_issue and data.next_issue.status is not IssueStatus.SENT:
            key = f"{data.next_issue.slug}|{checks_fingerprint(self.ctx, data.next_issue.slug)}"
            if key == self.checked[0]:
                data.next_issue_checks = self.checked[1]  # nothing they read changed (a registration, a subscriber)
            else:
                self.checked = (key, None)
                self.check_next_issue(data.next_issue.slug, key)
        self.next_issue_static.update(self._issue_text(data))
        self.sessions_panel.update(self._sessions_table(data))
        self._show_campaigns()
        self.lists_panel.update(Group(self._lists_table(data), Text(""),
                                                            self._joiners_chart(data)))
        self.calendar_panel_static.update(calendar_panel(self.ctx))

    @work(thread=True, exclusive=True, group="dashboard-checks", exit_on_error=False,
          description="Pre-send checks")
    def check_next_issue(self, slug: str, key: str) -> None:
        """Render and check the next issue off the UI thread; the panel updates when done."""
        outcome = run_checks(self.ctx, slug)
        self.app.call_from_thread(self._show_checks, slug, key, outcome)

    def _show_checks(self, slug: str, key: str, outcome: CheckOutcome) -> None:
        if self.checked[0] == key:
            self.checked = (key, outcome)
        if self.data.next_issue and self.data.next_issue.slug == slug:
            self.data.next_issue_checks = outcome
            self.next_issue_static.update(self._issue_text(self.data))

    def _issue_text(self, data: Dashboard) -> Text:
        issue = data.next_issue
        if issue is None:
            return Text("No bulletin yet. Press 3, then n, to start one.", style="dim")
        text = Text.assemble((issue.title, "bold"), "\n", f"{issue.slug} · {issue.status.value} · ",
                             f"{len(issue.item_ids)} items\n")
        if data.next_issue_checks is not None:
            ok = data.next_issue_checks.passed
            text.append("✔ " if ok else "✘ ", style="green" if ok else "red")
            text.append(f"Pre-send checks: {data.next_issue_checks.summary()}\n")
            for finding in data.next_issue_checks.findings[:8]:
                style = "red" if finding.severity == "error" else "yellow"
                text.append(f"• {finding.short}\n", style=style)
            if not ok:
                text.append("Press 3, then c, to jump to each problem.", style="dim")
        elif issue.status is not IssueStatus.SENT:
            text.append("Running the pre-send checks…", style="dim")
        elif issue.sent_at:
            text.append(f"Sent {british_date(issue.sent_at)}")
        return text

    def _sessions_table(self, data: Dashboard) -> Table | Text:
        if not data.upcoming:
            return Text("No upcoming sessions.", style="dim")
        table = Table.grid(padding=(0, 1))
        for line in data.upcoming:
            waiting = f" +{line.waitlisted} waiting" if line.waitlisted else ""
            start = short_local(line.session.start, "%a %d %b %Y %H:%M")
            table.add_row(Text(line.session.title, overflow="ellipsis", no_wrap=True), style="bold")
            table.add_row(Text.assemble(f"{start}  ", capacity_bar(
                line.confirmed, total_places(line.session), 16), (waiting, "yellow")))
        return table

    def _show_campaigns(self) -> None:
        scheduled = scheduled_lines(self.ctx)
        self.campaigns_panel.update(Group(
            self._campaigns_table(5 - len(scheduled)), *scheduled, worker_line(self.ctx)))

    def _campaigns_table(self, rows: int = 5) -> Table | Text:
        """Each recent campaign by what people call it (issue and lists), then its counts."""
        campaigns = recent_campaigns(self.ctx)
        if not campaigns:
            return Text("Nothing sent yet.", style="dim")
        table = Table.grid(padding=(0, 1))
        for summary in campaigns[:max(rows, 2)]:
            table.add_row(Text(summary.title or summary.name, style="bold", overflow="ellipsis", no_wrap=True))
            problems = [f"{n} {what}" for n, what in ((summary.failed, "failed"), (summary.uncertain, "uncertain"),
                                                       (summary.to_send, "still to send")) if n]
            table.add_row(Text.assemble(f"  {summary.sent:,} sent", (f" · {' · '.join(problems)}" if problems
                                                                        else "", "yellow")))
        return table

    def action_cancel_scheduled(self) -> None:
        cancel_one(self, upcoming(self.ctx), self._show_campaigns)

    def _lists_table(self, data: Dashboard) -> Table:
        table = Table("List", "Subscribed", box=None, padding=(0, 1))
        for _slug, name, count in data.list_counts:
            table.add_row(name, f"{count:,}")
        table.add_row(Text("People", style="bold"), Text(f"{data.subscriber_total:,}", style="bold"))
        return table

    def _joiners_chart(self, data: Dashboard) -> Group:
        """A column per month (the last twelve, this one last), its initial under it, and the figures."""
        values = [count for _key, count in data.monthly_joiners]
        months = [month_label(key) for key, _count in data.monthly_joiners]
        peak = max(range(len(values)), key=lambda n: (values[n], n)) if values else 0
        caption = (f"Joiners by month: {sum(values):,} since {months[0]}"
                   + (f" (most: {values[peak]:,} in {months[peak]})" if any(values) else ""))
        return Group(Text(caption, style="bold"), *column_chart(values, months, height=4))
