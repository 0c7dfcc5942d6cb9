"""Attendance taken from Teams: after a date ends, its meeting's attendance records are read from Graph and applied
by the same session service as a downloaded Teams report (`apply_teams_report`): matched by address (canonical
form), attended with minutes present, that date's online no-shows absent. Registrants matched by name only are
left for a person to confirm, like attendees who were not registered; those lists are shown, never stored.

`fetch_due_attendance` is for the worker: each date once, when it is due (`[teams] attendance_after_minutes` after
its end), retried while Teams has not written the report yet, given up a day after the end when there is none
(nobody joined), and said to be gone for a date over a year old (Teams keeps the reports for a year).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from ...domain.errors import DomainError
from ...domain.occurrences import choose_occurrence
from ...domain.sessions import Occurrence
from ...domain.times import british_date
from ..context import AppContext
from ..sessions.attendance import AttendanceImport, apply_teams_report
from ..sessions.catalogue import get_session
from .graph import GraphClient
from .records import AttendanceState, TeamsMeeting, date_of, label, meetings, meetings_of, update_meeting
from .reports import Downloaded, download
from .wiring import graph_client

RETENTION = timedelta(days=365)
NO_REPORT_AFTER = timedelta(days=1)
RETRY_EVERY = timedelta(minutes=15)


class Outcome(StrEnum):
    TAKEN = "taken"
    PREVIEW = "would be taken"
    NOT_OVER = "not over yet"
    NOT_YET = "no report yet"
    NONE = "no report"
    GONE = "gone"
    FAILED = "failed"


@dataclass
class DateAttendance:
    """What taking one date's attendance from Teams did."""

    label: str
    outcome: Outcome
    note: str = ""
    result: AttendanceImport | None = None


@dataclass
class AttendanceRun:
    dates: list[DateAttendance] = field(default_factory=list)

    def line(self) -> str:
        """One line for a log: counts per outcome and the first failure; never a name or an address."""
        if not self.dates:
            return "Teams attendance: none due"
        taken = [d.result for d in self.dates if d.outcome is Outcome.TAKEN and d.result is not None]
        counts = {o: sum(1 for d in self.dates if d.outcome is o) for o in Outcome}
        parts = [f"{n} {o.value}" for o, n in counts.items() if n and o is not Outcome.TAKEN]
        if taken:
            parts.insert(0, f"{len(taken)} taken ({sum(len(r.matched) for r in taken)} attended, "
                         f"{sum(len(r.marked_absent) for r in taken)} no-shows, "
                         f"{sum(len(r.matched_by_name) + len(r.not_registered) for r in taken)} to confirm)")
        failed = next((d for d in self.dates if d.outcome is Outcome.FAILED), None)
        return "Teams attendance: " + ", ".join(parts) + (f" (first failure: {failed.note})" if failed else "")


def take_attendance(ctx: AppContext, slug: str, occurrence: str | None = None, *, write: bool = True,
                    min_minutes: int | None = None, graph: GraphClient | None = None) -> list[DateAttendance]:
    """`sessions attendance SLUG --from-teams`: every date of the session that has a Teams meeting and has ended
    (or the one given), taken again even if taken before; `write=False` only says what would happen."""
    session = get_session(ctx, slug)
    wanted = choose_occurrence(session, occurrence).id if occurrence else None
    found = [m for m in meetings_of(ctx, slug) if m.cancelled_at is None
             and wanted in (None, getattr(date_of(session, m), "id", None))]
    if not found:
        raise DomainError(f"{label(slug, wanted or '')} has no Teams meeting (make one: bulletin-tui sessions "
                          f"teams-create {slug}; or link one: bulletin-tui sessions teams-link {slug} URL)")
    client = graph or graph_client(ctx.settings, ctx.data_dir)
    now = ctx.clock.now()
    done = []
    for meeting in found:
        date = session.occurrence(meeting.occurrence_id)
        if date is None or date.end > now:
            done.append(DateAttendance(label(slug, meeting.occurrence_id), Outcome.NOT_OVER))
            continue
        done.append(settle(ctx, meeting, date, fetch_one(client, meeting, date), write=write, min_minutes=min_minutes))
    return done


def due_meetings(ctx: AppContext) -> list[tuple[TeamsMeeting, Occurrence]]:
    """Dates whose attendance the worker should ask Teams for now (no Graph call)."""
    now = ctx.clock.now()
    after = timedelta(minutes=ctx.settings.teams.attendance_after_minutes)
    due = []
    for meeting in meetings(ctx):
        if meeting.cancelled_at is not None or meeting.attendance_state is not AttendanceState.WAITING:
            continue
        session = ctx.store.sessions.get(meeting.session_slug)
        date = session.occurrence(meeting.occurrence_id) if session is not None else None
        if session is None or date is None or session.cancelled or date.cancelled or date.end + after > now:
            continue
        tried = meeting.attendance_tried_at
        if tried is None or now - tried >= RETRY_EVERY:
            due.append((meeting, date))
    return sorted(due, key=lambda pair: pair[1].end)


def fetch_due_attendance(ctx: AppContext, *, graph: GraphClient | None = None) -> AttendanceRun:
    """Take the attendance of every date that is due (the worker's job; each date once). Graph is only asked
    when something is due; one date's failure is recorded and the others go on."""
    due = due_meetings(ctx)
    if not due:
        return AttendanceRun()
    try:
        client = graph or graph_client(ctx.settings, ctx.data_dir)
    except DomainError as exc:  # e.g. [teams] organiser removed while dates still wait: each says why
        return AttendanceRun([settle(ctx, meeting, date, exc) for meeting, date in due])
    return AttendanceRun([settle(ctx, meeting, date, fetch_one(client, meeting, date)) for meeting, date in due])


def fetch_one(graph: GraphClient, meeting: TeamsMeeting, date: Occurrence) -> Downloaded | DomainError:
    """One date's attendance from Graph (network only), or what went wrong (failures are values)."""
    try:
        return download(graph, meeting, date)
    except DomainError as exc:
        return exc


def settle(ctx: AppContext, meeting: TeamsMeeting, date: Occurrence, fetched: Downloaded | DomainError, *,
           write: bool = True, min_minutes: int | None = None) -> DateAttendance:
    """Apply what was downloaded for one date, or record why not (the database part)."""
    named, now = label(meeting.session_slug, meeting.occurrence_id), ctx.clock.now()
    record: Callable[..., object] = (lambda **f: update_meeting(ctx, meeting.key, **f)) if write else _nothing
    if isinstance(fetched, DomainError):
        record(attendance_tried_at=now, last_problem=" ".join(str(fetched).split())[:900])
        return DateAttendance(named, Outcome.FAILED, str(fetched))
    if not fetched.report_ids:
        outcome, state, note = _no_report(date, now, fetched.other_days)
        final = state is not AttendanceState.WAITING
        record(attendance_tried_at=now, attendance_state=state, attendance_note=note, last_problem="",
               online_meeting_id=fetched.online_meeting_id, **({"attendance_taken_at": now} if final else {}))
        return DateAttendance(named, outcome, note)
    minimum = ctx.settings.teams.min_minutes if min_minutes is None else min_minutes
    if not write:
        result = apply_teams_report(ctx, meeting.session_slug, fetched.report, min_minutes=minimum,
                                    occurrence=date.id or None, hold_name_matches=True, write=False)
        return DateAttendance(named, Outcome.PREVIEW, _counts(result), result)
    with ctx.store.transaction():  # the marks and the meeting's state are one write
        result = apply_teams_report(ctx, meeting.session_slug, fetched.report, min_minutes=minimum,
                                    occurrence=date.id or None, hold_name_matches=True)
        record(attendance_tried_at=now, attendance_taken_at=now, attendance_state=AttendanceState.TAKEN,
               attendance_reports=fetched.report_ids, attendance_note=_counts(result), last_problem="",
               online_meeting_id=fetched.online_meeting_id)
    return DateAttendance(named, Outcome.TAKEN, _counts(result), result)


def _no_report(date: Occurrence, now: datetime, other_days: int) -> tuple[Outcome, AttendanceState, str]:
    elsewhere = f"; {other_days} report(s) of other days left out" if other_days else ""
    if now - date.end > RETENTION:
        return Outcome.GONE, AttendanceState.GONE, (
            f"the date was {british_date(date.start)}: Teams keeps attendance reports for a year, this one is gone "
            f"(apply a downloaded report instead: bulletin-tui sessions import-attendance){elsewhere}")
    if now - date.end > NO_REPORT_AFTER:
        return Outcome.NONE, AttendanceState.NONE, (
            f"Teams has no attendance report a day after the end: nobody joined, or the meeting was held "
            f"elsewhere{elsewhere}")
    return Outcome.NOT_YET, AttendanceState.WAITING, (
        f"no attendance report yet (Teams writes it after the meeting){elsewhere}")


def _counts(result: AttendanceImport) -> str:
    return (f"{len(result.matched)} attended, {len(result.marked_absent)} no-shows, {len(result.too_short)} too "
            f"short, {len(result.matched_by_name)} matched by name only, {len(result.not_registered)} not registered")


def _nothing(**changes: object) -> None:
    return None
