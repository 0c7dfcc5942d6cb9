"""Attendance: Teams reports in four layouts, matching by e-mail, no-shows, manual marks, CSV export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.domain.sessions import AttendanceMode, SessionFormat
from bulletin_tui.services.sessions import registrations
from bulletin_tui.services.sessions.attendance import (
    attendance_csv,
    attendance_summary,
    export_attendance,
    import_teams_report,
    mark_attendance,
)
from bulletin_tui.services.sessions.teams import parse_duration, read_teams_report

TEAMS = Path(__file__).parent.parent / "data" / "teams"


@pytest.mark.parametrize(("text", "minutes"), [
    ("1h 0m 52s", 61), ("7m", 7), ("59m 30s", 60), ("1h", 60), ("01:02:03", 62), ("00:06:10", 6), ("45:10", 45),
    ("1 hr 5 mins", 65), ("", None), ("n/a", None),
])
def test_durations(text, minutes):
    assert parse_duration(text) == minutes


def test_current_layout_utf16():
    report = read_teams_report(TEAMS / "attendance-2026-utf16.csv")
    assert (report.encoding, report.title, report.layout) == (
        "utf-16", "CSIS: Fish FEST and low-level ASB", "participants table")
    people = {a.name: (a.key, a.minutes, a.role) for a in report.attendees}
    assert people["Alex First"] == ("alex@kent.police.uk", 61, "Attendee")
    assert people["Guest Person (External)"] == ("", 60, "Attendee")
    assert len(report.attendees) == 6  # the "In-Meeting Activities" section is not read as people


def test_legacy_rows_per_join_are_added_up():
    report = read_teams_report(TEAMS / "attendance-2021-legacy-utf16.csv")
    assert {a.key: a.minutes for a in report.attendees} == {"alex@kent.police.uk": 32 + 105, "jo@medway.gov.uk": 120}
    assert report.title == "DHR learning webinar"


def test_drifted_utf8_comma_layout():
    report = read_teams_report(TEAMS / "attendance-drift-utf8.csv")
    assert [(a.name, a.key, a.minutes) for a in report.attendees] == [
        ("Alex First", "alex@kent.police.uk", 62), ("Bloggs, Jo", "jo@medway.gov.uk", 6)]


def test_2020_action_log_pairs_joins_and_leaves():
    report = read_teams_report(TEAMS / "attendance-2020-action-log-utf16.csv")
    assert {a.name: a.minutes for a in report.attendees} == {"Alex First": 41, "Jo Bloggs": 59}


def test_not_a_teams_report(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("Something,Else\n1,2\n", encoding="utf-8")
    with pytest.raises(DomainError, match="notes.csv: no participants table"):
        read_teams_report(path)


@pytest.fixture
def booked(ctx, clock, make_session):  # type: ignore[no-untyped-def]
    """A hybrid session on 3 December 2026 with five registrants, and the clock moved to the day after it."""
    make_session("s1", format=SessionFormat.HYBRID, venue="Oakwood House")
    registrations.register(ctx, "s1", "alex@kent.police.uk", name="Alex First")
    registrations.register(ctx, "s1", "jo@medway.gov.uk", name="Jo Bloggs")
    registrations.register(ctx, "s1", "zoe@example.org", name="Zoë Ångström")
    registrations.register(ctx, "s1", "absent@example.org", name="Never Came")
    registrations.register(ctx, "s1", "room@example.org", name="In The Room", mode=AttendanceMode.IN_PERSON)
    clock.advance(days=12)
    return "s1"


def test_attendance_for_a_session_that_has_not_started_is_refused(ctx, make_session):  # type: ignore[no-untyped-def]
    make_session("later", format=SessionFormat.ONLINE, join_link="https://teams.microsoft.com/l/later")
    registrations.register(ctx, "later", "alex@kent.police.uk", name="Alex First")
    refused = r"'later' has not started yet \(it starts Thursday 3 December 2026, 12.30 pm\)"
    with pytest.raises(DomainError, match=refused):
        mark_attendance(ctx, "later", "alex@kent.police.uk", True)
    with pytest.raises(DomainError, match=refused):
        mark_attendance(ctx, "later", "alex@kent.police.uk", False)
    with pytest.raises(DomainError, match=refused):
        import_teams_report(ctx, "later", TEAMS / "attendance-2026-utf16.csv")
    assert mark_attendance(ctx, "later", "alex@kent.police.uk", None).attended is None  # "not recorded" is fine
    assert [r.attended for r in registrations.registrations_for(ctx, "later")] == [None]


def test_import_matches_by_email_and_marks_online_no_shows(ctx, booked):
    result = import_teams_report(ctx, booked, TEAMS / "attendance-2026-utf16.csv", min_minutes=10)
    assert sorted(result.matched) == ["alex@kent.police.uk", "zoe@example.org"]
    assert result.too_short == ["jo@medway.gov.uk"]
    assert result.organisers == ["kentcommunitysafetyteam@kent.gov.uk"]
    assert sorted(result.not_registered) == ["Guest Person (External)", "walkin@example.org"]
    assert sorted(result.marked_absent) == ["absent@example.org", "jo@medway.gov.uk"]
    found = {r.email: (r.attended, r.attended_minutes) for r in registrations.registrations_for(ctx, booked)}
    assert found["alex@kent.police.uk"] == (True, 61)
    assert found["room@example.org"] == (None, None)  # in-person people are not in a Teams report
    assert attendance_summary(ctx, booked) == {"registered": 5, "attended": 2, "no_show": 2}


def test_action_log_matches_unique_names(ctx, booked):
    result = import_teams_report(ctx, booked, TEAMS / "attendance-2020-action-log-utf16.csv")
    assert sorted(result.matched_by_name) == ["alex@kent.police.uk", "jo@medway.gov.uk"]


def test_manual_marks_and_export(ctx, booked, tmp_path):
    mark_attendance(ctx, booked, "ROOM@example.org", True)
    mark_attendance(ctx, booked, "absent@example.org", False)
    registrations.register(ctx, booked, "=cmd@example.org", name="=HYPERLINK(\"x\")")
    rows = list(csv.DictReader(io.StringIO(attendance_csv(ctx, booked))))
    by_email = {row["email"]: row for row in rows}
    assert by_email["room@example.org"]["attended"] == "yes" and by_email["absent@example.org"]["attended"] == "no"
    assert by_email["alex@kent.police.uk"]["attended"] == ""
    assert by_email["'=cmd@example.org"]["name"].startswith("'=")  # formulas neutralised
    path = tmp_path / "attendance.csv"
    assert export_attendance(ctx, booked, path) == 6
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and "Zoë" in path.read_text(encoding="utf-8-sig")


def test_cancelled_registration_cannot_be_marked_attended(ctx, booked):
    registrations.cancel_registration(ctx, booked, "jo@medway.gov.uk")
    with pytest.raises(DomainError, match="cancelled their registration"):
        mark_attendance(ctx, booked, "jo@medway.gov.uk", True)
