"""Scheduled sends and the worker as the dashboard and the send screen show them, and cancelling one (asked
first): the one service (`services.schedule`) behind `send scheduled` and `send cancel-scheduled`."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from ..domain.times import short_local
from ..services.context import AppContext
from ..services.schedule.planning import cancel_scheduled, upcoming
from ..services.schedule.records import ScheduledSend, ScheduleState
from ..services.worker.status import health, read_status
from .messages import DataChanged
from .screens.base import WorkScreen
from .screens.confirm import ConfirmModal
from .screens.pick import PickModal


def describe(entry: ScheduledSend) -> str:
    """`#3 2027-01 to e-bulletin · Fri 08 Jan 2027 09:00 · scheduled`."""
    state = entry.state.value if entry.state is ScheduleState.SCHEDULED else f"{entry.state.value}: {entry.note}"
    return f"#{entry.id} {entry.issue} to {' + '.join(entry.lists)} · {entry.when_text()} · {state}"


def _short(entry: ScheduledSend) -> str:
    """`#3 Fri 08 Jan 09:00 · 2027-01 to e-bulletin` (and the state once it has started)."""
    state = "" if entry.state is ScheduleState.SCHEDULED else f" · {entry.state.value}"
    return f"#{entry.id} {short_local(entry.at, '%a %d %b %H:%M')} · {entry.issue} to {' + '.join(entry.lists)}{state}"


def scheduled_lines(ctx: AppContext, limit: int = 3) -> list[Text]:
    """The scheduled sends still to go (or going), soonest first."""
    found = upcoming(ctx)
    lines = [Text(_short(entry), overflow="ellipsis", no_wrap=True,
                  style="" if entry.state is ScheduleState.SCHEDULED else "yellow") for entry in found[:limit]]
    if len(found) > limit:
        lines.append(Text(f"… and {len(found) - limit} more (bulletin-tui send scheduled)", style="dim"))
    return lines


def worker_line(ctx: AppContext) -> Text:
    """`Worker: running · last: scheduled 10:03 ok · next: journal 10:03:27`, or why no worker is running."""
    ok, _ = health(ctx.data_dir, ctx.clock.now())
    status = read_status(ctx.data_dir)
    if not ok or status is None:
        return Text.assemble(("Worker: ", "bold"), ("no worker running", "yellow"),
                             (" (scheduled sends and reminders wait for one: bulletin-tui worker)", "dim"))
    ran = [(job.last_at, name, job.outcome) for name, job in status.jobs.items() if job.enabled and job.last_at]
    due = [(job.next_due, name) for name, job in status.jobs.items() if job.enabled and job.next_due]
    text = Text.assemble(("Worker: ", "bold"), "running")
    if status.current:
        text.append(f" · {status.current}")
    elif ran:
        at, name, outcome = max(ran)
        text.append(f" · last: {name} {at[11:16]} {outcome.split(':')[0]}")
    if due:
        at, name = min(due)
        text.append(f" · next: {name} {at[11:19]}")
    return text


def cancel_one(screen: WorkScreen, entries: list[ScheduledSend], on_done: Callable[[], None]) -> None:
    """Ask which (when several) and then whether to cancel; only a send that has not started can be."""
    waiting = [entry for entry in entries if entry.state is ScheduleState.SCHEDULED]
    if not waiting:
        started = [entry for entry in entries if entry.open]
        hint = (f" (#{started[0].id} has started: it is campaign {started[0].campaign_id}; pause that instead)"
                if started else "")
        screen.notify(f"No scheduled send to cancel{hint}.", severity="warning")
        return

    def confirm(entry: ScheduledSend) -> None:
        def cancel(confirmed: bool | None) -> None:
            if confirmed and screen.attempt("Cancel the scheduled send",
                                            lambda: cancel_scheduled(screen.ctx, entry.id)) is not None:
                screen.notify(f"Cancelled scheduled send #{entry.id}; nothing was sent.")
                screen.post_message(DataChanged("scheduled sends"))
                on_done()

        screen.app.push_screen(ConfirmModal(f"Cancel scheduled send {describe(entry)}?",
                                            confirm_label=f"Cancel #{entry.id}", danger=True), cancel)

    if len(waiting) == 1:
        confirm(waiting[0])
        return
    by_id = {entry.id: entry for entry in waiting}

    def picked(choice: str | None) -> None:
        if choice in by_id:
            confirm(by_id[choice])

    screen.app.push_screen(PickModal("Cancel which scheduled send?", [(describe(e), e.id) for e in waiting]), picked)
