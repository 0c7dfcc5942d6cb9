"""`bulletin-tui sessions ...` for sessions on several dates: add, list, edit and cancel a date; move a person.

Registered on the `sessions` group by `register(app)` (docs/occurrences.md)."""

from typing import Annotated, Any

import typer

from ..domain.occurrences import DatePlaces, dates_summary, places_phrase
from ..domain.sessions import AttendanceMode, InfoSession, SessionFormat
from ..domain.times import british_date, british_range
from ..services.context import AppContext
from ..services.sessions import attendance, moves, occurrences
from ..services.sessions.registrations import RegistrationOutcome
from ..services.sessions.rescheduling import moved_times
from .common import print_json, state
from .sessions_common import FoldOption, InPersonPlaces, OnlinePlaces, Send, deliver, fold_hint, fold_number, times
from .sessions_teams import after_change

CAPACITY_HELP = "Places on this date (default: the session's)"


def describe_offers(slug: str, email: str, outcome: RegistrationOutcome) -> list[str]:
    """Lines telling the operator which other dates have places for someone put on a waiting list."""
    if not outcome.waitlisted or not outcome.registration.occurrence_id:
        return []
    if not outcome.offers:
        return ["No other date has places."]
    lines = [f"Other dates with places (move with: bulletin-tui sessions move {slug} {email} --to ID):"]
    lines += [f"  {d.occurrence.id:<4} {d.label}  ({places_phrase(d)})" for d in outcome.offers]
    return lines


def when_text(s: InfoSession) -> str:
    """Its date and time; for a session on several dates, the first and last day."""
    if not s.occurrences:
        return british_range(s.start, s.end)
    return f"{british_date(s.start)} to {british_date(s.end)}"


def dates_line(context: AppContext, slug: str) -> str:
    """ "4 dates, 12 places left" for a session on several dates."""
    return dates_summary([d for d in occurrences.occurrence_places(context, slug) if not d.occurrence.cancelled])


def _date_row(slug: str, places: DatePlaces, attended: dict[str, int]) -> dict[str, Any]:
    o = places.occurrence
    return {
        "session": slug,
        "id": o.id,
        "status": o.status.value,
        "start": o.start.isoformat(),
        "end": o.end.isoformat(),
        "format": o.format.value,
        "venue": o.venue,
        "join_link": o.join_link,
        "capacity": places.capacity,
        "confirmed": places.confirmed,
        "waitlisted": places.waiting,
        "places_left": places.left,
        "by_mode": {
            mode: {"capacity": cap, "confirmed": count, "places_left": left}
            for mode, (cap, count, left) in places.by_mode.items()
        },
        "attended": attended["attended"],
        "no_show": attended["no_show"],
        "uid": o.uid,
        "sequence": o.sequence,
    }


def _date_line(places: DatePlaces) -> str:
    o = places.occurrence
    taken = f"{places.confirmed}/{places.capacity}" if places.capacity else str(places.confirmed)
    waiting = f" +{places.waiting} waiting" if places.waiting else ""
    state_ = "cancelled" if o.cancelled else places_phrase(places)
    return (
        f"{o.id or '-':<4} {british_range(o.start, o.end)}  {o.format.value}, {o.venue or 'venue to be confirmed'}"
        f"  [{taken}{waiting}] {state_}"
    )


def occurrences_(ctx: typer.Context, slug: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The dates of a session with places taken, waiting and left on each."""
    context = state(ctx).context(read_only=True)
    dates = occurrences.occurrence_places(context, slug)
    came = {date.id: counts for date, counts in attendance.attendance_by_date(context, slug)}
    if as_json:
        print_json([_date_row(slug, places, came[places.occurrence.id]) for places in dates])
        return
    for places in dates:
        attended = came[places.occurrence.id]["attended"]
        typer.echo(_date_line(places) + (f", {attended} attended" if attended else ""))
    total = sum(counts["attended"] for counts in came.values())
    summary = dates_summary([d for d in dates if not d.occurrence.cancelled])
    typer.echo(summary + (f"; {total} attended" if total else ""))


def add_occurrence(
    ctx: typer.Context,
    slug: str,
    start: Annotated[str, typer.Option("--start", help='"YYYY-MM-DD HH:MM", Europe/London')],
    end: Annotated[str, typer.Option("--end", help='"HH:MM" the same day, or "YYYY-MM-DD HH:MM"')],
    venue: Annotated[str | None, typer.Option("--venue")] = None,
    link: Annotated[str | None, typer.Option("--link", help="Joining link (e.g. Teams)")] = None,
    capacity: Annotated[int | None, typer.Option("--capacity", help=CAPACITY_HELP)] = None,
    capacity_in_person: InPersonPlaces = None,
    capacity_online: OnlinePlaces = None,
    format_: Annotated[SessionFormat | None, typer.Option("--format")] = None,
    fold: FoldOption = None,
) -> None:
    """Add a date to a session (the session's own date becomes date 1 when the second is added)."""
    starts, ends = times(start, end, fold)
    change = occurrences.add_occurrence(
        state(ctx).context(),
        slug,
        start=starts,
        end=ends,
        venue=venue,
        join_link=link,
        capacity=capacity,
        capacity_in_person=capacity_in_person,
        capacity_online=capacity_online,
        format=format_,
    )
    if change.first_date is not None:
        first = change.first_date
        typer.echo(f"The session's own date is now date 1: {british_range(first.start, first.end)}")
    added = change.occurrence
    typer.echo(
        f"Added date {added.id} of {slug}: {british_range(added.start, added.end)} "
        f"({len(change.session.occurrences)} dates)"
    )


def edit_occurrence(
    ctx: typer.Context,
    slug: str,
    occurrence_id: Annotated[str, typer.Argument(metavar="ID")],
    start: Annotated[str | None, typer.Option("--start")] = None,
    end: Annotated[str | None, typer.Option("--end", help='"HH:MM" or "YYYY-MM-DD HH:MM"')] = None,
    venue: Annotated[str | None, typer.Option("--venue")] = None,
    link: Annotated[str | None, typer.Option("--link")] = None,
    capacity: Annotated[int | None, typer.Option("--capacity")] = None,
    capacity_in_person: InPersonPlaces = None,
    capacity_online: OnlinePlaces = None,
    format_: Annotated[SessionFormat | None, typer.Option("--format")] = None,
    fold: FoldOption = None,
    send: Send = True,
) -> None:
    """Change one date; a new time, place, link or format sends its confirmed people an updated invite."""
    changes: dict[str, Any] = {
        k: v
        for k, v in {
            "venue": venue,
            "capacity": capacity,
            "capacity_in_person": capacity_in_person,
            "capacity_online": capacity_online,
            "format": format_,
        }.items()
        if v is not None
    }
    if link is not None:
        changes["join_link"] = link or None
    context = state(ctx).context()
    if start or end:
        current = occurrences.occurrence_places(context, slug)
        found = next((d.occurrence for d in current if d.occurrence.id == occurrence_id), None)
        if found is None:
            raise typer.BadParameter(f"session '{slug}' has no date '{occurrence_id}'")
        with fold_hint():
            changes.update(moved_times(found.start, found.end, start, end, fold=fold_number(fold)))
    change = occurrences.edit_occurrence(context, slug, occurrence_id, **changes)
    if not change.changed:
        typer.echo("Nothing changed.")
        return
    typer.echo(
        f"Changed {', '.join(change.changed)} of date {occurrence_id} (SEQUENCE "
        f"{change.occurrence.sequence}); {len(change.notified)} update(s), "
        f"{len(change.promoted)} promotion(s)"
    )
    after_change(context, slug)
    deliver(context, slug, send)


def cancel_occurrence(
    ctx: typer.Context,
    slug: str,
    occurrence_id: Annotated[str, typer.Argument(metavar="ID")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    send: Send = True,
) -> None:
    """Cancel one date: only its registrants get a calendar cancellation (the other dates stay)."""
    context = state(ctx).context()
    dates = {d.occurrence.id: d for d in occurrences.occurrence_places(context, slug)}
    found = dates.get(occurrence_id)
    if found is not None and not yes:
        question = (
            f"Cancel date {occurrence_id} of {slug} ({found.label}): {found.confirmed} confirmed and "
            f"{found.waiting} waiting will be told. This cannot be undone. Continue?"
        )
        if not typer.confirm(question, default=False):
            typer.echo("Nothing changed.", err=True)
            raise typer.Exit(1)
    change = occurrences.cancel_occurrence(context, slug, occurrence_id)
    typer.echo(f"Cancelled date {occurrence_id} of {slug}; {len(change.notified)} cancellation(s) queued")
    after_change(context, slug)
    deliver(context, slug, send)


def move(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(metavar="REG", help="A registration id, or SESSION followed by EMAIL")],
    email: Annotated[str | None, typer.Argument(help="With REG = SESSION: their e-mail address")] = None,
    to: Annotated[str, typer.Option("--to", help="The date to move to: its id or YYYY-MM-DD")] = "",
    mode: Annotated[AttendanceMode | None, typer.Option("--mode", help="For hybrid dates")] = None,
    send: Send = True,
) -> None:
    """Move a registration to another date: its place there (if free), the old place to the next waiting."""
    if not to:
        raise typer.BadParameter("say which date with --to ID (see: bulletin-tui sessions occurrences SESSION)")
    context = state(ctx).context()
    registration = moves.find_by_id_or_email(context, reference, email)
    outcome = moves.move_registration(context, registration.id, to, mode)
    moved = outcome.registration
    if outcome.already:
        typer.echo(f"{moved.email} is already on date {moved.occurrence_id}; nothing changed")
        return
    promoted = ", ".join(r.email for r in outcome.promoted)
    typer.echo(
        f"Moved {moved.email} from date {outcome.from_date or '-'} to date {moved.occurrence_id} "
        f"({moved.status.value})" + (f"; promoted {promoted}" if promoted else "")
    )
    deliver(context, moved.session_slug, send)


def register(app: typer.Typer) -> None:
    """Add the date commands to the `sessions` group."""
    app.command("occurrences")(occurrences_)
    app.command("add-occurrence")(add_occurrence)
    app.command("edit-occurrence")(edit_occurrence)
    app.command("cancel-occurrence")(cancel_occurrence)
    app.command("move")(move)
