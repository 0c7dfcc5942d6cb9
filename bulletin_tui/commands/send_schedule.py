"""`send ISSUE --at WHEN`, `send scheduled` and `send cancel-scheduled ID`: sends the worker makes at a moment."""

from __future__ import annotations

import typer

from ..services.context import AppContext
from .common import fail, print_json

SCHEDULE_WORDS = ("scheduled", "cancel-scheduled")
"""`send scheduled` lists, `send cancel-scheduled ID` cancels (so no issue can be sent under these two names)."""


def refuse_with_at(flags: dict[str, object]) -> None:
    """`--at` records a send for the worker, which uses the settings: flags for a send made now make no sense."""
    given = [name for name, value in flags.items() if value not in (None, False)]
    if given:
        fail(f"--at cannot be combined with {given[0]} (the worker sends a scheduled send with the settings' "
             "transport and limits, and resumes it itself)")


def schedule(app_ctx: AppContext, issue: str, lists: list[str] | None, at: str, *, force: bool,
             include_already_sent: bool) -> None:
    from ..services.schedule.planning import recipients_now, schedule_send
    from ..services.worker.status import health

    entry = schedule_send(app_ctx, issue, lists, at, force=force, include_already_sent=include_already_sent)
    typer.echo(f"Scheduled #{entry.id}: {entry.issue} to {' + '.join(entry.lists)} at {entry.when_text()} "
               f"(Europe/London), {recipients_now(app_ctx, entry):,} recipient(s) as of now; the worker sends it "
               "then")
    running, line = health(app_ctx.data_dir, app_ctx.clock.now())
    if not running:
        typer.echo(f"Note: {line}; start one (bulletin-tui worker) or this send will not go", err=True)


def show_scheduled(app_ctx: AppContext, as_json: bool) -> None:
    from ..services.schedule.planning import list_scheduled

    found = list_scheduled(app_ctx)
    if as_json:
        print_json([{"id": s.id, "slug": s.campaign_id, "title": s.issue, "status": s.state.value,
                     "issue": s.issue, "lists": s.lists, "at": s.at.isoformat(), "scheduled_by": s.scheduled_by,
                     "scheduled_at": s.scheduled_at.isoformat(), "counts": s.counts, "note": s.note}
                    for s in found])
        return
    if not found:
        typer.echo("No scheduled sends (send ISSUE --list L --at \"YYYY-MM-DD HH:MM\" makes one).")
    for s in found:
        note = f"  {s.note}" if s.note and s.state.value != "scheduled" else ""
        typer.echo(f"#{s.id:<4} {s.issue:<12} {' + '.join(s.lists):<36} {s.when_text():<22} {s.state.value:<10} "
                   f"by {s.scheduled_by}{note}")


def cancel(app_ctx: AppContext, schedule_id: str | None, yes: bool) -> None:
    from ..services.schedule.planning import cancel_scheduled, get_scheduled

    if not schedule_id:
        fail("say which scheduled send to cancel: bulletin-tui send cancel-scheduled ID (see: send scheduled)")
        return
    entry = get_scheduled(app_ctx, schedule_id)
    if entry.state.value == "scheduled" and not yes and not typer.confirm(
            f"Cancel scheduled send #{entry.id}: {entry.issue} to {' + '.join(entry.lists)} at "
            f"{entry.when_text()}?", default=False):
        fail("not cancelled")
    cancelled = cancel_scheduled(app_ctx, entry.id)
    typer.echo(f"Cancelled scheduled send #{cancelled.id} ({cancelled.issue} to {' + '.join(cancelled.lists)} at "
               f"{cancelled.when_text()}); nothing was sent")
