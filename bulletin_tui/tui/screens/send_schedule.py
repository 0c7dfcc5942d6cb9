"""The send screen's "send at": confirm the count and the moment, then record a scheduled send (the same checks a
send runs, as on that day, unless overridden with f); the worker sends it then."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from ...domain.errors import DomainError
from ...domain.times import short_local
from ...services.context import AppContext
from ...services.schedule.planning import parse_send_at, schedule_send, upcoming
from ...services.schedule.records import WHEN_FORMAT, ScheduledSend
from ...services.worker.status import health
from ..messages import DataChanged
from .confirm import ConfirmModal

if TYPE_CHECKING:
    from .send import SendScreen


def scheduled_for(ctx: AppContext, campaign_id: str | None) -> list[ScheduledSend]:
    """Scheduled sends of this campaign (issue and lists) still to go or going."""
    return [entry for entry in upcoming(ctx) if entry.campaign_id == campaign_id] if campaign_id else []


def schedule_flow(screen: SendScreen, issue: str, lists: list[str], text: str, *, force: bool) -> None:
    """Check the time, ask, schedule; a refusal (a time in the past, failing checks) is a notification."""
    try:
        when = parse_send_at(text, screen.ctx.clock.now())
    except DomainError as exc:
        screen.notify(str(exc), title="Send at", severity="error", timeout=10)
        return
    count, already = screen.recipients_now(issue, lists)
    earlier = f" ({already:,} who already received it are left out.)" if already else ""
    checks = (" The pre-send checks will NOT stop it: you are overriding them." if force else
              " The pre-send checks run now, as of that day.")
    moment = short_local(when, WHEN_FORMAT)
    question = (f"Schedule {issue} to {count:,} recipient(s) on {' + '.join(lists)} for {moment} (London)?{earlier} "
                f"The worker sends it then, to the lists as they are then.{checks}")

    def go(confirmed: bool | None) -> None:
        if not confirmed:
            return
        entry = screen.attempt("Schedule the send", lambda: schedule_send(screen.ctx, issue, lists, when,
                                                                           force=force), writes=False)
        if entry is None:
            return
        running, why = health(screen.ctx.data_dir, screen.ctx.clock.now())
        note = "" if running else f" Note: {why}; start one (bulletin-tui worker) or it will not go."
        screen.notify(f"Scheduled #{entry.id}: {issue} at {entry.when_text()}.{note}",
                      severity="information" if running else "warning", timeout=10)
        screen.query_one("#send-at", Input).value = ""
        screen.post_message(DataChanged("scheduled sends"))
        screen.describe_choice()

    screen.app.push_screen(ConfirmModal(question, confirm_label=f"Schedule for {moment}", danger=force), go)
