"""Scheduling a bulletin send for a moment, listing scheduled sends and cancelling one before it starts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from ...domain.clock import FixedClock
from ...domain.errors import DomainError, NotFoundError
from ...domain.times import short_local
from ..bulletins.issues import blocking, get_issue, run_checks
from ..context import AppContext
from ..mailings.audience import campaign_audience, choose_lists
from ..mailings.runs import ledger_path
from ..mailings.send import campaign_id_for
from .records import ScheduledSend, ScheduleState, scheduled_sends

FORMAT = "YYYY-MM-DD HH:MM (Europe/London), e.g. 2027-01-08 09:00"


def parse_send_at(text: str, now: datetime) -> datetime:
    """A London wall-clock time, later than `now` (UTC); DomainError naming the format otherwise."""
    from ...domain.times import AmbiguousTimeError, NonexistentTimeError, parse_local

    try:
        when = parse_local(text)
    except (NonexistentTimeError, AmbiguousTimeError) as exc:
        raise DomainError(f"send time: {exc}") from None
    except DomainError:
        raise DomainError(f"send time {text.strip()!r} is not a time: write it as {FORMAT}") from None
    if when <= now:
        raise DomainError(f"send time {short_local(when, '%Y-%m-%d %H:%M')} is in the past (it is now "
                          f"{short_local(now, '%Y-%m-%d %H:%M')}); give a later time as {FORMAT}")
    return when


def schedule_send(ctx: AppContext, issue_slug: str, lists: str | Sequence[str] | None, at: str | datetime, *,
                  force: bool = False, include_already_sent: bool = False) -> ScheduledSend:
    """Record a send of `issue_slug` to these lists (one campaign) for `at`, after the checks a send runs, as on
    the day it goes (unless `force`); the worker sends it then. Nothing is sent now."""
    now = ctx.clock.now()
    when = parse_send_at(at, now) if isinstance(at, str) else at
    if when <= now:
        raise DomainError(f"send time {short_local(when, '%Y-%m-%d %H:%M')} is in the past; give a later time")
    issue = get_issue(ctx, issue_slug)
    slugs = [d.slug for d in choose_lists(ctx, lists)]
    campaign_id = campaign_id_for(issue.slug, slugs)
    _refuse_started(ctx, issue.slug, slugs, campaign_id)
    _refuse_twice(ctx, campaign_id)  # before the checks, which render the issue; again in the write
    if not force:
        errors = blocking(run_checks(replace(ctx, clock=FixedClock(when)), issue.slug, list_slug=slugs))
        if errors:
            raise DomainError(f"issue {issue.slug} fails {len(errors)} pre-send check(s) as of its send time: "
                              f"{errors[0].message} (see: bulletin-tui bulletin check; --force to override)")
    table = scheduled_sends(ctx)
    with ctx.store.transaction():
        _refuse_twice(ctx, campaign_id)
        numbers = [int(key) for key in table.keys() if key.isdigit()]  # noqa: SIM118 - iterating gives models
        number = max(numbers, default=0) + 1
        return table.put(ScheduledSend(
            id=str(number), issue=issue.slug, lists=slugs, at=when, campaign_id=campaign_id,
            scheduled_by=ctx.operator, scheduled_at=now, force=force, include_already_sent=include_already_sent))


def recipients_now(ctx: AppContext, entry: ScheduledSend) -> int:
    """How many people the scheduled send would reach if it went now (the lists may change before it goes)."""
    people, _already = campaign_audience(ctx, entry.issue, choose_lists(ctx, entry.lists),
                                         include_already_sent=entry.include_already_sent,
                                         campaign_id=entry.campaign_id)
    return len(people)


def _refuse_started(ctx: AppContext, issue_slug: str, slugs: list[str], campaign_id: str) -> None:
    path = ledger_path(ctx, campaign_id)
    if path.exists() and path.stat().st_size > 0:
        lists = " ".join(f"--list {slug}" for slug in slugs)
        raise DomainError(f"campaign {campaign_id} was already started; continue it with: bulletin-tui send "
                          f"{issue_slug} {lists} --resume")


def _refuse_twice(ctx: AppContext, campaign_id: str) -> None:
    for entry in scheduled_sends(ctx):
        if entry.open and entry.campaign_id == campaign_id:
            raise DomainError(f"{campaign_id} is already scheduled (#{entry.id}, {entry.when_text()}, "
                              f"{entry.state.value}); cancel that one first: bulletin-tui send cancel-scheduled "
                              f"{entry.id}")


def list_scheduled(ctx: AppContext) -> list[ScheduledSend]:
    """Every scheduled send, by its moment (then by number)."""
    return sorted(scheduled_sends(ctx), key=lambda s: (s.at, int(s.id) if s.id.isdigit() else 0))


def upcoming(ctx: AppContext) -> list[ScheduledSend]:
    """Scheduled sends still to go or going (scheduled, started, paused), soonest first."""
    return [entry for entry in list_scheduled(ctx) if entry.open]


def get_scheduled(ctx: AppContext, schedule_id: str) -> ScheduledSend:
    found = scheduled_sends(ctx).get(schedule_id.strip().lstrip("#"))
    if found is None:
        raise NotFoundError(f"no scheduled send #{schedule_id.strip().lstrip('#')} (see: bulletin-tui send scheduled)")
    return found


def cancel_scheduled(ctx: AppContext, schedule_id: str) -> ScheduledSend:
    """Cancel a scheduled send that has not started; once started it is a campaign, refused naming it."""
    with ctx.store.transaction():
        entry = get_scheduled(ctx, schedule_id)
        if entry.state in (ScheduleState.STARTED, ScheduleState.PAUSED):
            raise DomainError(f"scheduled send #{entry.id} has started: it is campaign {entry.campaign_id} "
                              f"({entry.state.value}); pause that campaign instead (stopping the worker pauses "
                              "it between messages; its ledger keeps who has had it)")
        if entry.state is not ScheduleState.SCHEDULED:
            raise DomainError(f"scheduled send #{entry.id} is {entry.state.value}; there is nothing to cancel")
        return scheduled_sends(ctx).put(entry.model_copy(update={
            "state": ScheduleState.CANCELLED, "cancelled_by": ctx.operator, "finished_at": ctx.clock.now(),
            "note": f"cancelled by {ctx.operator}"}))
