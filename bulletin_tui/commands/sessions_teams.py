"""`bulletin-tui sessions teams-create|teams-link|teams-sync|teams-meetings`, `sessions add --teams` and
`sessions attendance SLUG --from-teams`: Microsoft Teams through Graph (docs/microsoft-365.md).

Registered on the `sessions` group by `register(app)`."""

from typing import Annotated, Any

import typer

from ..domain.errors import DomainError
from ..domain.sessions import InfoSession
from ..domain.times import british_range, short_local
from ..services.context import AppContext
from .common import fail, print_json, state
from .sessions_common import Send, deliver

Occurrence = Annotated[str | None, typer.Option("--occurrence", help="Which date (id or YYYY-MM-DD), when the "
                                                "session has several")]
PRIVATE = "the join link goes only into registrants' own invites"


def add_with_teams(context: AppContext, fields: dict[str, Any]) -> InfoSession:
    """`sessions add ... --teams`: the session and its Teams meeting, or neither."""
    from ..services.teams.meetings import add_session_with_teams

    made = add_session_with_teams(context, **fields)
    meeting = made.meeting
    typer.echo(f"Teams meeting made ({meeting.kind.value}, organiser {meeting.organiser}); {PRIVATE}")
    return made.session


def after_change(context: AppContext, slug: str) -> None:
    """After an edit or a cancellation: move or cancel the session's Teams meetings now. A failure is said in one
    line and left for `sessions teams-sync` or the worker; the change to the session stands."""
    from ..services.teams.sync import pending_changes, sync_meetings

    if not pending_changes(context, slug):
        return
    try:
        run = sync_meetings(context, slug)
    except DomainError as exc:
        typer.echo(f"Warning: Teams not updated: {exc} (retry: bulletin-tui sessions teams-sync {slug}; the worker "
                   "retries by itself)", err=True)
        return
    for item in run.done:
        if item.ok:
            typer.echo(f"Teams: {item.label}: meeting {item.change.value}" + (f"; {item.note}" if item.note else ""))
        else:
            typer.echo(f"Warning: Teams: {item.label}: not {item.change.value}: {item.note} (retry: bulletin-tui "
                       f"sessions teams-sync {slug})", err=True)


def from_teams(ctx: typer.Context, slug: str, occurrence: str | None, min_minutes: int | None,
               dry_run: bool) -> None:
    """`sessions attendance SLUG --from-teams`: each ended date's attendance from Teams, and who to confirm."""
    from ..services.teams.attendance import Outcome, take_attendance

    context = state(ctx).context(read_only=dry_run)
    done = take_attendance(context, slug, occurrence, write=not dry_run, min_minutes=min_minutes)
    for date in done:
        typer.echo(f"{date.label}: {date.outcome.value}" + (f": {date.note}" if date.note else ""))
        result = date.result
        if result is None:
            continue
        if result.matched_by_name:
            typer.echo(f"  to confirm (matched by name only, left unmarked; if right: bulletin-tui sessions "
                       f"attendance {slug} EMAIL --mark attended):")
            for email in result.matched_by_name:
                typer.echo(f"    {email}")
        if result.not_registered:
            typer.echo("  attended without registering (register them, if wanted: bulletin-tui sessions register):")
            for who in result.not_registered:
                typer.echo(f"    {who}")
    failed = [d for d in done if d.outcome is Outcome.FAILED]
    if failed:
        fail(failed[0].note)


def teams_create(ctx: typer.Context, slug: str, occurrence: Occurrence = None, send: Send = True) -> None:
    """Make a Teams meeting (through Microsoft Graph) for each online or hybrid date without one, or the date
    given; its join link is set on the date and sent to everyone confirmed in an updated invite."""
    from ..services.teams.meetings import create_meetings

    context = state(ctx).context()
    for made in create_meetings(context, slug, occurrence):
        date = made.meeting
        typer.echo(f"Teams meeting made for {_label(date.session_slug, date.occurrence_id)} "
                   f"({british_range(date.start, date.end)}); {made.notified} update(s); {PRIVATE}")
    deliver(context, slug, send)


def teams_link(ctx: typer.Context, slug: str, url: str, occurrence: Occurrence = None, send: Send = True) -> None:
    """Link a Teams meeting made in Teams or Outlook (its organiser must be [teams] organiser) so its attendance
    can be taken; the date gets its join link. Linked meetings are never moved or cancelled from here."""
    from ..services.teams.meetings import link_meeting

    context = state(ctx).context()
    made = link_meeting(context, slug, url, occurrence)
    typer.echo(f"Linked the Teams meeting to {_label(slug, made.meeting.occurrence_id)}; "
               f"{made.notified} update(s); {PRIVATE}")
    deliver(context, slug, send)


def teams_sync(ctx: typer.Context, slug: Annotated[str | None, typer.Argument()] = None) -> None:
    """Move or cancel in Teams the meetings whose session or date changed here (the worker does this by itself);
    exit 1 when Graph refused one."""
    from ..services.teams.sync import sync_meetings

    run = sync_meetings(state(ctx).context(), slug)
    for item in run.done:
        mark = "✓" if item.ok else "✗"
        typer.echo(f"{mark} {item.label}: {item.change.value}" + (f": {item.note}" if item.note else ""))
    typer.echo(run.line())
    raise typer.Exit(1 if run.failed else 0)


def teams_meetings(ctx: typer.Context, slug: Annotated[str | None, typer.Argument()] = None,
                   as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The Teams meeting of each date: how it was made, whether Teams is in step, where attendance stands."""
    from ..services.teams.records import all_meetings

    found = all_meetings(state(ctx).context(read_only=True), slug)
    if as_json:
        print_json([{**m.model_dump(mode="json", exclude={"join_url"}), "slug": m.key,
                     "title": m.subject, "status": "cancelled" if m.cancelled_at else m.attendance_state.value}
                    for m in found])
        return
    if not found:
        typer.echo("No Teams meetings yet (bulletin-tui sessions add ... --teams, teams-create or teams-link).")
    for m in found:
        state_text = "cancelled" if m.cancelled_at else f"attendance {m.attendance_state.value}"
        problem = f"  ! {m.last_problem}" if m.last_problem else ""
        typer.echo(f"{m.key:<30} {short_local(m.start)}  {m.kind.value:<14} {state_text}"
                   + (f" ({m.attendance_note})" if m.attendance_note else "") + problem)


def _label(slug: str, occurrence_id: str) -> str:
    return f"date {occurrence_id} of {slug}" if occurrence_id else slug


def register(app: typer.Typer) -> None:
    """Add the Teams commands to the `sessions` group."""
    app.command("teams-create")(teams_create)
    app.command("teams-link")(teams_link)
    app.command("teams-sync")(teams_sync)
    app.command("teams-meetings")(teams_meetings)
