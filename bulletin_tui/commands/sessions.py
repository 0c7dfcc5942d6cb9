"""`bulletin-tui sessions ...`: sessions, registrations, invites, reminders and attendance."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..domain.occurrences import total_places
from ..domain.sessions import AttendanceMode, InfoSession, SessionFormat, SessionKind
from ..domain.times import british_range
from ..invites import google_calendar_link, outlook_calendar_link, publish_calendar
from ..invites.message import InviteKind
from ..services.context import AppContext
from ..services.mailings.session_delivery import deliver_pending, resend_uncertain
from ..services.sessions import catalogue as sessions
from ..services.sessions import registrations, reminders
from ..services.sessions.form_import import import_registrations
from ..services.sessions.mail import organizer_of
from ..services.sessions.rescheduling import moved_times
from ..services.sessions.rolls import addressee, registration_roll, session_mail
from ..storage.outputs import write_output
from . import sessions_occurrences, sessions_teams
from .common import check_output, print_json, state
from .sessions_attendance import register as register_attendance
from .sessions_common import (
    REPLACE_HELP,
    FoldOption,
    InPersonPlaces,
    Listing,
    OnlinePlaces,
    Send,
    deliver,
    fold_hint,
    fold_number,
    listing,
    report_delivery,
    times,
)
from .sessions_followup import register as register_followup
from .sessions_occurrences import dates_line, when_text

app = typer.Typer(no_args_is_help=True)


def _row(context: AppContext, s: InfoSession) -> dict[str, Any]:
    counts = sessions.registration_counts(context, s.slug)
    return {"slug": s.slug, "title": s.title, "status": s.status_at(context.clock.now()), "kind": s.kind.value,
            "format": s.format.value, "start": s.local_start.isoformat(), "end": s.local_end.isoformat(),
            "venue": s.venue, "join_link": s.join_link, "capacity": s.capacity, "confirmed": counts["confirmed"],
            "waitlisted": counts["waitlisted"], "topics": s.topics, "speakers": s.speakers, "uid": s.uid,
            "sequence": s.sequence, "dates": len(s.dates())}


@app.command("list")
def list_(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List sessions in date order."""
    context = state(ctx).context(read_only=True)
    found = sessions.list_sessions(context)
    if as_json:
        print_json([_row(context, s) for s in found])
        return
    if not found:
        typer.echo("No sessions yet. Add one with: bulletin-tui sessions add SLUG --title ... --start ...")
    for s in found:
        counts = sessions.registration_counts(context, s.slug)
        places = f"{counts['confirmed']}/{total_places(s)}" if total_places(s) else str(counts["confirmed"])
        if s.occurrences:
            places = f"{counts['confirmed']} confirmed, {dates_line(context, s.slug)}"
        waiting = f" +{counts['waitlisted']} waiting" if counts["waitlisted"] else ""
        typer.echo(f"{s.slug:<28} {s.status_at(context.clock.now()):<9} {when_text(s)}  {s.title}  "
                   f"[{places}{waiting}]")


@app.command("show")
def show(ctx: typer.Context, slug: str) -> None:
    """One session in full: when, where, places, topics, links."""
    context = state(ctx).context(read_only=True)
    s = sessions.get_session(context, slug)
    counts = sessions.registration_counts(context, slug)
    of_places = "over all dates" if s.occurrences else f"of {total_places(s) or 'unlimited'}"
    rows = [("Title", s.title), ("When", when_text(s)), ("Status", s.status_at(context.clock.now())),
            ("Kind / format", f"{s.kind.value} / {s.format.value}"), ("Venue", s.venue), ("Join link", s.join_link),
            ("Places", f"{counts['confirmed']} confirmed {of_places}, "
                       f"{counts['waitlisted']} waiting, {counts['cancelled']} cancelled"),
            ("Dates", dates_line(context, slug) + f" (see: bulletin-tui sessions occurrences {slug})"
             if s.occurrences else ""),
            ("Topics", "; ".join(s.topics)), ("Speakers", "; ".join(s.speakers)),
            ("Organisations", "; ".join(s.organisations)), ("Calendar UID", f"{s.uid} (SEQUENCE {s.sequence})"),
            ("Google Calendar", "" if s.occurrences else google_calendar_link(s)),
            ("Outlook on the web", "" if s.occurrences else outlook_calendar_link(s))]
    for label, value in rows:
        if value:
            typer.echo(f"{label + ':':<20} {value}")


@app.command("add")
def add(
    ctx: typer.Context, slug: str,
    title: Annotated[str, typer.Option("--title")],
    start: Annotated[str, typer.Option("--start", help='"YYYY-MM-DD HH:MM", Europe/London')],
    end: Annotated[str, typer.Option("--end", help='"HH:MM" the same day, or "YYYY-MM-DD HH:MM"')],
    capacity: Annotated[int | None, typer.Option("--capacity")] = None,
    capacity_in_person: InPersonPlaces = None, capacity_online: OnlinePlaces = None,
    format_: Annotated[SessionFormat, typer.Option("--format")] = SessionFormat.ONLINE,
    kind: Annotated[SessionKind, typer.Option("--kind")] = SessionKind.CSIS,
    venue: Annotated[str, typer.Option("--venue")] = "",
    link: Annotated[str | None, typer.Option("--link", help="Joining link (e.g. Teams)")] = None,
    description: Annotated[str, typer.Option("--description")] = "",
    speaker: Listing = None, organisation: Listing = None, topic: Listing = None,
    fold: FoldOption = None,
    teams: Annotated[bool, typer.Option("--teams", help="Make its Microsoft Teams meeting through Graph ([teams] "
                                        "settings); the join link goes only into registrants' invites")] = False,
) -> None:
    """Add a session (times in Europe/London)."""
    starts, ends = times(start, end, fold)
    fields: dict[str, Any] = dict(
        slug=slug, title=title, start=starts, end=ends, capacity=capacity, format=format_,
        capacity_in_person=capacity_in_person, capacity_online=capacity_online,
        kind=kind, venue=venue, join_link=link, description=description, speakers=speaker or [],
        organisations=organisation or [], topics=topic or [])
    if teams:
        session = sessions_teams.add_with_teams(state(ctx).context(), fields)
    else:
        session = sessions.create_session(state(ctx).context(), **fields)
    typer.echo(f"Added session {session.slug}: {british_range(session.start, session.end)}")


@app.command("edit")
def edit(
    ctx: typer.Context, slug: str,
    title: Annotated[str | None, typer.Option("--title")] = None,
    start: Annotated[str | None, typer.Option("--start")] = None,
    end: Annotated[str | None, typer.Option("--end", help='"HH:MM" or "YYYY-MM-DD HH:MM"; alone: keeps the start')]
    = None,
    capacity: Annotated[int | None, typer.Option("--capacity")] = None,
    capacity_in_person: InPersonPlaces = None, capacity_online: OnlinePlaces = None,
    format_: Annotated[SessionFormat | None, typer.Option("--format")] = None,
    venue: Annotated[str | None, typer.Option("--venue")] = None,
    link: Annotated[str | None, typer.Option("--link")] = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
    topic: Annotated[list[str] | None, typer.Option(help=REPLACE_HELP)] = None,
    speaker: Annotated[list[str] | None, typer.Option(help=REPLACE_HELP)] = None,
    organisation: Annotated[list[str] | None, typer.Option(help=REPLACE_HELP)] = None,
    fold: FoldOption = None,
    send: Send = True,
) -> None:
    """Change a session; a new time, place, link, title, description, speakers or topics sends an updated invite
    to everyone confirmed."""
    changes: dict[str, Any] = {k: v for k, v in {
        "title": title, "capacity": capacity, "format": format_, "capacity_in_person": capacity_in_person,
        "capacity_online": capacity_online, "venue": venue, "description": description,
        "topics": listing(topic), "speakers": listing(speaker), "organisations": listing(organisation),
    }.items() if v is not None}
    if link is not None:
        changes["join_link"] = link or None  # --link "" removes the link
    context = state(ctx).context()
    if start or end:
        current = sessions.get_session(context, slug)
        with fold_hint():
            changes.update(moved_times(current.start, current.end, start, end, fold=fold_number(fold)))
    change = sessions.edit_session(context, slug, **changes)
    for warning in change.warnings:
        typer.echo(f"Warning: {warning}", err=True)
    if not change.changed:
        typer.echo("Nothing changed.")
        return
    typer.echo(f"Changed {', '.join(change.changed)} (SEQUENCE {change.session.sequence}); "
               f"{len(change.notified)} update(s), {len(change.promoted)} promotion(s)")
    sessions_teams.after_change(context, slug)
    deliver(context, slug, send)


@app.command("cancel")
def cancel(ctx: typer.Context, slug: str, send: Send = True) -> None:
    """Cancel a session: everyone registered gets a calendar cancellation."""
    context = state(ctx).context()
    change = sessions.cancel_session(context, slug)
    typer.echo(f"Cancelled {slug}; {len(change.notified)} cancellation(s) queued")
    sessions_teams.after_change(context, slug)
    deliver(context, slug, send)


@app.command("register")
def register(
    ctx: typer.Context, slug: str, email: str,
    name: Annotated[str, typer.Option("--name")] = "",
    organisation: Annotated[str, typer.Option("--organisation")] = "",
    mode: Annotated[AttendanceMode | None, typer.Option("--mode", help="For hybrid sessions")] = None,
    occurrence: Annotated[str | None, typer.Option("--occurrence", help="Which date (id or YYYY-MM-DD), when "
                                                   "the session has several")] = None,
    send: Send = True,
) -> None:
    """Register someone: a place while there is one (invite sent), else the waiting list."""
    context = state(ctx).context()
    outcome = registrations.register(context, slug, email, name=name, organisation=organisation, mode=mode,
                                     occurrence=occurrence)
    reg = outcome.registration
    if outcome.already:
        typer.echo(f"{reg.email} is already registered ({reg.status.value}); nothing changed")
        return
    typer.echo(f"Registered {reg.email}: {reg.status.value}" + (f" (date {reg.occurrence_id})"
                                                                 if reg.occurrence_id else ""))
    for line in sessions_occurrences.describe_offers(slug, reg.email, outcome):
        typer.echo(line)
    deliver(context, slug, send)


@app.command("cancel-registration")
def cancel_registration(ctx: typer.Context, slug: str, email: str, send: Send = True) -> None:
    """Withdraw someone; the first person waiting gets the place."""
    context = state(ctx).context()
    outcome = registrations.cancel_registration(context, slug, email)
    if outcome.already:
        typer.echo(f"{email} had already cancelled; nothing changed")
        return
    promoted = ", ".join(r.email for r in outcome.promoted)
    typer.echo(f"Cancelled {outcome.registration.email}" + (f"; promoted {promoted}" if promoted else ""))
    deliver(context, slug, send)


@app.command("set-mode")
def set_mode(ctx: typer.Context, slug: str, email: str, mode: AttendanceMode, send: Send = True) -> None:
    """Change how someone attends a hybrid session."""
    context = state(ctx).context()
    changed = registrations.set_mode(context, slug, email, mode)
    typer.echo(f"{changed.email} will attend {changed.mode.value}")
    deliver(context, slug, send)


@app.command("registrations")
def registrations_(ctx: typer.Context, slug: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Who is registered: confirmed, waiting, cancelled, each numbered from 1 in arrival order."""
    roll = registration_roll(state(ctx).context(read_only=True), slug)
    if as_json:
        print_json([{**r.model_dump(mode="json"), "place": place} for place, r in roll.places])
        return
    for place, r in roll.places:  # the place within its group: "waitlisted 1" is next in line
        date = f"date {r.occurrence_id:<3} " if roll.by_date else ""
        typer.echo(f"{date}{r.status.value:<10} {place:>4} {r.mode.value:<9} {r.email:<40} {r.name}")


@app.command("import-registrations")
def import_registrations_(
    ctx: typer.Context, slug: str, file: Path,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would happen; change nothing.")] = False,
    occurrence: Annotated[str | None, typer.Option("--occurrence", help="The date for rows without a date column "
                                                   "(a session on several dates)")] = None,
    send: Send = True,
) -> None:
    """Register everyone in a form export (CSV/TSV) in arrival order."""
    context = state(ctx).context(read_only=dry_run)
    report = import_registrations(context, slug, file, dry_run=dry_run, occurrence=occurrence)
    verb = "Would register" if dry_run else "Registered"
    typer.echo(f"{verb} {len(report.confirmed)} confirmed, {len(report.waitlisted)} waiting; "
               f"{report.already_registered} already registered, {report.duplicates_in_file} duplicate rows")
    if not dry_run:
        deliver(context, slug, send)


@app.command("invite")
def invite(ctx: typer.Context, slug: str,
           out: Annotated[Path | None, typer.Option("--out", help="File to write (default: stdout)")] = None) -> None:
    """A METHOD:PUBLISH .ics of the session for the bulletin and the website."""
    if out is not None:
        check_output(ctx, out)
    context = state(ctx).context(read_only=True)
    data = publish_calendar(sessions.get_session(context, slug), organizer_of(context), stamp=context.clock.now())
    if out is None:
        sys.stdout.buffer.write(data)
        return
    write_output(out, data, context.data_dir)
    typer.echo(f"Wrote {out}")


@app.command("mail")
def mail(ctx: typer.Context, slug: Annotated[str | None, typer.Argument()] = None,
         as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Session mail and what happened to it (pending, sent, skipped, failed, uncertain)."""
    context = state(ctx).context(read_only=True)
    rows = session_mail(context, slug)
    if as_json:
        print_json([m.model_dump(mode="json") for m in rows])
        return
    for m in rows:
        to = addressee(context, m) or "(erased)"
        typer.echo(f"{m.session_slug:<24} {m.kind.value:<15} {to:<40} {m.outcome.value:<9} {m.reply}")


@app.command("send-invites")
def send_invites(
    ctx: typer.Context, slug: Annotated[str | None, typer.Argument()] = None,
    resend_uncertain_: Annotated[bool, typer.Option(
        "--resend-uncertain", help="Also resend messages interrupted mid-send (check they did not arrive)")] = False,
) -> None:
    """Deliver every queued invite, update, cancellation and reminder."""
    context = state(ctx).context()
    if resend_uncertain_:
        typer.echo(f"{len(resend_uncertain(context, slug))} uncertain message(s) requeued")
    results = deliver_pending(context, slug)
    typer.echo(f"{len(results)} message(s) processed")
    report_delivery(results)


@app.command("remind")
def remind(
    ctx: typer.Context,
    hours: Annotated[list[int] | None, typer.Option(
        "--hours", help="Instead of the settings (reminder_offsets per kind, else reminder_hours)")] = None,
    send: Send = True,
) -> None:
    """Queue the reminders that are due now and send them (run from cron); never after a session has started, never
    twice. Other queued mail stays queued (send it with: sessions send-invites)."""
    context = state(ctx).context()
    queued = reminders.queue_reminders(context, hours)
    typer.echo(f"{len(queued)} reminder(s) queued")
    deliver(context, None, send, frozenset({InviteKind.REMINDER}))


register_attendance(app)  # `sessions attendance`, `import-attendance`, `export-attendance`
register_followup(app)  # `sessions materials` and `sessions follow-up` (after the session)
sessions_occurrences.register(app)  # add-occurrence, occurrences, edit-occurrence, cancel-occurrence, move
sessions_teams.register(app)  # teams-create, teams-link, teams-sync, teams-meetings (Microsoft Graph)
