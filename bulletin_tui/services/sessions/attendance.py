"""Attendance: mark attended / no-show / not recorded, apply a Teams attendance report (matched by e-mail), export
CSV. Attendance is only recorded for a date that has started: a future date is refused with the reason."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ...domain.errors import DomainError
from ...domain.occurrences import choose_occurrence, date_choices
from ...domain.sessions import AttendanceMode, InfoSession, Occurrence, Registration, RegistrationStatus
from ...domain.times import LONDON, british_clock, british_date
from ...storage.outputs import check_output_file, write_output
from ..context import AppContext
from ..sessions.catalogue import get_session
from ..sessions.registrations import find_registration, registrations_for
from ..sessions.teams import TeamsAttendee, TeamsReport, read_teams_report
from ..subscribers.export import neutralise

ORGANISER_ROLES = ("organizer", "organiser", "presenter", "co-organizer")


@dataclass
class AttendanceImport:
    file: str
    layout: str
    matched: list[str] = field(default_factory=list)
    matched_by_name: list[str] = field(default_factory=list)
    too_short: list[str] = field(default_factory=list)
    not_registered: list[str] = field(default_factory=list)
    organisers: list[str] = field(default_factory=list)
    marked_absent: list[str] = field(default_factory=list)
    occurrence_id: str = ""
    """The date the report was matched to ('' for a single-date session)."""
    other_date: list[str] = field(default_factory=list)
    """Registered for another date of the session, attended this one (counted as attended)."""


ATTENDANCE_LABELS = {True: "attended", False: "no-show", None: "not recorded"}
"""What each attendance value is called on every face (the CLI's `--mark unknown` is "not recorded")."""
ATTENDANCE_CYCLE = {None: True, True: False, False: None}
"""The next value when an officer steps through them (the app's `m`): attended, no-show, not recorded."""


def attendance_label(attended: bool | None) -> str:
    return ATTENDANCE_LABELS[attended]


def next_attendance(attended: bool | None) -> bool | None:
    """Attended after not recorded, no-show after attended, not recorded after no-show."""
    return ATTENDANCE_CYCLE[attended]


def refuse_before_start(session: InfoSession, date: Occurrence, now: datetime) -> None:
    """DomainError (one line, with the date) when this date of the session has not started yet."""
    if date.start > now:
        local = date.start.astimezone(LONDON)
        raise DomainError(f"'{session.slug}' has not started yet (it starts {british_date(local)}, "
                          f"{british_clock(local)}): attendance can be recorded once it has")


def mark_attendance(ctx: AppContext, slug: str, email: str, attended: bool | None) -> Registration:
    """Mark one person attended (True), a no-show (False) or not recorded (None); attended or no-show only once
    their date has started."""
    session = get_session(ctx, slug)
    registration = find_registration(ctx, slug, email)
    if registration.status is RegistrationStatus.CANCELLED and attended:
        raise DomainError(f"{email} cancelled their registration; register them again first")
    if attended is not None:
        refuse_before_start(session, session.occurrence(registration.occurrence_id) or session.dates()[0],
                            ctx.clock.now())
    return ctx.store.registrations.put(registration.model_copy(update={"attended": attended}))


def _match(attendee: TeamsAttendee, by_key: dict[str, Registration],
           by_name: dict[str, list[Registration]]) -> tuple[Registration | None, bool]:
    """(registration, matched by name only): e-mail first; a unique full name only when Teams gave no address."""
    if attendee.key:
        return by_key.get(attendee.key), False
    candidates = by_name.get(attendee.name.strip().lower(), [])
    return (candidates[0], True) if len(candidates) == 1 else (None, False)


def report_date(session: InfoSession, started: datetime | None, wanted: str | None, file: str) -> Occurrence:
    """The date of a session a Teams report belongs to: `wanted`, else the one on the report's day (the nearest
    start when several are), else the single date. DomainError naming the choices when it cannot tell."""
    dates = session.dates()
    if wanted or len(dates) == 1:
        return choose_occurrence(session, wanted)
    if started is None:
        raise DomainError(f"{file}: no meeting start time to match a date of '{session.slug}'; give the date "
                          f"(--occurrence): {date_choices(session)}")
    moment = started.replace(tzinfo=LONDON) if started.tzinfo is None else started.astimezone(LONDON)
    same_day = [o for o in dates if o.start.astimezone(LONDON).date() == moment.date()]
    if not same_day:
        raise DomainError(f"{file}: the meeting started on {british_date(moment)}, not a date of "
                          f"'{session.slug}': {date_choices(session)}")
    return min(same_day, key=lambda o: abs(o.start - moment))


def import_teams_report(ctx: AppContext, slug: str, path: Path, *, min_minutes: int = 0,
                        mark_absent: bool = True, occurrence: str | None = None) -> AttendanceImport:
    """Mark registrants found in the report as attended; that date's online no-shows as absent. One write.
    A session on several dates: the report is matched to a date by its start time (or `occurrence`)."""
    get_session(ctx, slug)  # an unknown session is named before the file is read
    report = read_teams_report(path)
    return apply_teams_report(ctx, slug, report, min_minutes=min_minutes, mark_absent=mark_absent,
                              occurrence=occurrence)


def apply_teams_report(ctx: AppContext, slug: str, report: TeamsReport, *, min_minutes: int = 0,
                       mark_absent: bool = True, occurrence: str | None = None, hold_name_matches: bool = False,
                       write: bool = True) -> AttendanceImport:
    """Apply a Teams attendance report, read from a downloaded file or from Microsoft Graph (one write): people
    matched by address attended (with their minutes), that date's online no-shows absent. `hold_name_matches`:
    a registrant matched by name only is listed for a person to confirm and left as they were (neither attended
    nor absent); `write=False` changes nothing and says what would happen."""
    session = get_session(ctx, slug)
    date = report_date(session, report.started, occurrence, report.file)
    refuse_before_start(session, date, ctx.clock.now())
    result = AttendanceImport(file=report.file, layout=report.layout, occurrence_id=date.id)
    regs = [r for r in registrations_for(ctx, slug) if r.status is not RegistrationStatus.CANCELLED]
    by_key = {r.key: r for r in regs}
    by_name: dict[str, list[Registration]] = {}
    for person in regs:
        if person.name:
            by_name.setdefault(person.name.strip().lower(), []).append(person)
    changes: dict[str, Registration] = {}
    held: set[str] = set()
    for attendee in report.attendees:
        label = attendee.email or attendee.name
        registration, by_name_only = _match(attendee, by_key, by_name)
        if registration is None:
            is_organiser = attendee.role.lower() in ORGANISER_ROLES
            (result.organisers if is_organiser else result.not_registered).append(label)
            continue
        if by_name_only and hold_name_matches:
            result.matched_by_name.append(registration.email)
            held.add(registration.id)
            continue
        if attendee.minutes is not None and attendee.minutes < min_minutes:
            result.too_short.append(registration.email)
            continue
        (result.matched_by_name if by_name_only else result.matched).append(registration.email)
        if registration.occurrence_id != date.id:
            result.other_date.append(registration.email)
        changes[registration.id] = registration.model_copy(
            update={"attended": True, "attended_minutes": attendee.minutes})
    if mark_absent:
        for person in regs:
            online = person.mode is AttendanceMode.ONLINE and person.occurrence_id == date.id
            waiting = person.id in changes or person.id in held
            if online and person.status is RegistrationStatus.CONFIRMED and not waiting:
                changes[person.id] = person.model_copy(update={"attended": False})
                result.marked_absent.append(person.email)
    if write:
        ctx.store.registrations.put_many(changes.values())
    return result


def attendance_csv(ctx: AppContext, slug: str) -> str:
    """One row per registration: who, how, status, attended (yes/no/blank) and minutes."""
    session = get_session(ctx, slug)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["session", "date", "email", "name", "organisation", "mode", "status", "attended", "minutes"])
    for r in registrations_for(ctx, slug):
        attended = {True: "yes", False: "no", None: ""}[r.attended]
        date = session.occurrence(r.occurrence_id)
        day = british_date(date.start if date else session.start)
        writer.writerow([neutralise(cell) for cell in (
            session.slug, day, r.email, r.name, r.organisation, r.mode.value,
            r.status.value, attended, "" if r.attended_minutes is None else str(r.attended_minutes))])
    return out.getvalue()


def export_attendance(ctx: AppContext, slug: str, path: Path) -> int:
    """Write the attendance CSV (UTF-8 with BOM, so Excel reads accents; mode 0600; never inside the data
    folder); returns the number of rows."""
    check_output_file(path, ctx.data_dir)
    text = attendance_csv(ctx, slug)
    write_output(path, text.encode("utf-8-sig"), ctx.data_dir)
    return text.count("\r\n") - 1


def attendance_by_date(ctx: AppContext, slug: str) -> list[tuple[Occurrence, dict[str, int]]]:
    """Registered (confirmed), attended and no-show counts for each date of a session."""
    session = get_session(ctx, slug)
    regs = [r for r in registrations_for(ctx, slug) if r.status is RegistrationStatus.CONFIRMED]
    return [(date, _counts([r for r in regs if r.occurrence_id == date.id])) for date in session.dates()]


def _counts(regs: list[Registration]) -> dict[str, int]:
    return {"registered": len(regs), "attended": sum(1 for r in regs if r.attended),
            "no_show": sum(1 for r in regs if r.attended is False)}


def attendance_summary(ctx: AppContext, slug: str) -> dict[str, int]:
    """Registered (confirmed), attended and no-show counts for a session."""
    regs = [r for r in registrations_for(ctx, slug) if r.status is RegistrationStatus.CONFIRMED]
    return {"registered": len(regs), "attended": sum(1 for r in regs if r.attended),
            "no_show": sum(1 for r in regs if r.attended is False)}
