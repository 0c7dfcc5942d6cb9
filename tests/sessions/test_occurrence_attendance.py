"""Attendance, reminders and form imports per date: a Teams report is matched to the date it was held on (by its
start time), marks only that date's online no-shows, and counts per date and in total; reminders go per date; a
form export's rows are registered for the date each names."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.domain.sessions import SessionFormat
from bulletin_tui.services.sessions import attendance, catalogue, occurrences, registrations
from bulletin_tui.services.sessions.form_import import import_registrations
from bulletin_tui.services.sessions.reminders import queue_reminders


def _teams_report(folder: Path, started: str, rows: list[tuple[str, str, str]]) -> Path:
    """The 2026 Teams download (UTF-16, tab-separated, a summary block, then the participants)."""
    lines = [
        "1. Summary",
        "Meeting title\tDHR learning webinar",
        f"Start time\t{started}",
        "",
        "2. Participants",
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tRole",
    ]
    lines += [f"{name}\t{started}\t{started}\t{duration}\t{email}\tAttendee" for name, email, duration in rows]
    path = folder / "attendance.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-16")
    return path


@pytest.fixture
def webinar(ctx, make_session):  # type: ignore[no-untyped-def]
    make_session(
        "dhr",
        start="2026-12-01 10:00",
        end="11:30",
        title="DHR learning webinar",
        format=SessionFormat.ONLINE,
        join_link="https://teams.microsoft.com/l/dhr",
        capacity=100,
    )
    start, end = catalogue.parse_times("2026-12-08 14:00", "15:30")
    occurrences.add_occurrence(ctx, "dhr", start=start, end=end)
    for email, date in (("a@example.org", "1"), ("b@example.org", "1"), ("c@example.org", "2"), ("d@example.org", "2")):
        registrations.register(ctx, "dhr", email, occurrence=date)


def test_a_report_is_matched_to_its_date(ctx, clock, webinar, tmp_path):  # type: ignore[no-untyped-def]
    clock.advance(days=17)  # 9 December: both dates held
    report = _teams_report(
        tmp_path, "12/8/26, 1:58:00 PM", [("Cee", "c@example.org", "1h 20m 0s"), ("Bee", "b@example.org", "1h 5m 0s")]
    )
    result = attendance.import_teams_report(ctx, "dhr", report)
    assert result.occurrence_id == "2"
    assert result.matched == ["c@example.org", "b@example.org"] and result.other_date == ["b@example.org"]
    assert result.marked_absent == ["d@example.org"]  # date 1's people are not no-shows of date 2
    by_date = {date.id: counts for date, counts in attendance.attendance_by_date(ctx, "dhr")}
    assert by_date == {
        "1": {"registered": 2, "attended": 1, "no_show": 0},
        "2": {"registered": 2, "attended": 1, "no_show": 1},
    }
    assert attendance.attendance_summary(ctx, "dhr") == {"registered": 4, "attended": 2, "no_show": 1}
    assert "dhr,Tuesday 8 December 2026,c@example.org" in attendance.attendance_csv(ctx, "dhr")


def test_a_report_from_another_day_is_refused(ctx, clock, webinar, tmp_path):  # type: ignore[no-untyped-def]
    clock.advance(days=17)
    report = _teams_report(tmp_path, "12/9/26, 1:58:00 PM", [("Cee", "c@example.org", "1h")])
    with pytest.raises(DomainError, match=r"the meeting started on Wednesday 9 December 2026, not a date of 'dhr'"):
        attendance.import_teams_report(ctx, "dhr", report)
    assert all(r.attended is None for r in ctx.store.registrations.all())
    forced = attendance.import_teams_report(ctx, "dhr", report, occurrence="1", mark_absent=False)
    assert forced.occurrence_id == "1" and forced.other_date == ["c@example.org"]


def test_a_report_for_a_date_still_to_come_is_refused(ctx, clock, webinar, tmp_path):  # type: ignore[no-untyped-def]
    clock.advance(days=10)  # 2 December: date 1 held, date 2 (8 December) still to come
    report = _teams_report(tmp_path, "12/8/26, 1:58:00 PM", [("Cee", "c@example.org", "1h")])
    with pytest.raises(DomainError, match=r"'dhr' has not started yet \(it starts Tuesday 8 December 2026, 2 pm\)"):
        attendance.import_teams_report(ctx, "dhr", report)
    with pytest.raises(DomainError, match="has not started yet"):
        attendance.mark_attendance(ctx, "dhr", "c@example.org", True)
    assert attendance.mark_attendance(ctx, "dhr", "a@example.org", True).attended  # date 1 was held


def test_reminders_go_per_date(ctx, clock, webinar):  # type: ignore[no-untyped-def]
    clock.advance(days=8, hours=14)  # 30 November 24:00: within 24 hours of date 1 only
    queued = queue_reminders(ctx, [24])
    assert sorted(ctx.store.registrations.get(q.mail.registration_id).email for q in queued) == [  # type: ignore
        "a@example.org",
        "b@example.org",
    ]
    assert queue_reminders(ctx, [24]) == []
    clock.advance(days=7)
    later = queue_reminders(ctx, [24])
    assert sorted(q.mail.occurrence_id for q in later) == ["2", "2"]


def test_a_form_export_registers_each_row_for_its_date(ctx, webinar, tmp_path):  # type: ignore[no-untyped-def]
    occurrences.edit_occurrence(ctx, "dhr", "2", capacity=3)  # c and d already hold two of its places
    form = tmp_path / "form.csv"
    form.write_text("Completion time,Email,Full name,Which date would you like to attend?\n"
                    "01/12/2026 09:00,e@example.org,Ee,\"Tuesday 8 December 2026, 2 pm\"\n"
                    "01/12/2026 09:05,f@example.org,Ef,2026-12-08\n"
                    "01/12/2026 09:10,g@example.org,Gee,1\n", encoding="utf-8")
    report = import_registrations(ctx, "dhr", form)
    assert (report.confirmed, report.waitlisted) == (["e@example.org", "g@example.org"], ["f@example.org"])
    dates = {r.email: r.occurrence_id for r in ctx.store.registrations.all()}
    assert (dates["e@example.org"], dates["f@example.org"], dates["g@example.org"]) == ("2", "2", "1")


def test_a_form_row_without_a_date_is_refused_by_row(ctx, webinar, tmp_path):  # type: ignore[no-untyped-def]
    form = tmp_path / "form.csv"
    form.write_text("Email,Full name\nh@example.org,Aitch\n", encoding="utf-8")
    before = ctx.store.registrations.all()
    with pytest.raises(DomainError, match=r"form.csv: row 2: date \(no date column; give --occurrence\): session "
                                          r"'dhr' has 2 dates; choose one: 1 = Tuesday 1 December 2026"):
        import_registrations(ctx, "dhr", form)
    assert ctx.store.registrations.all() == before
    assert import_registrations(ctx, "dhr", form, occurrence="2").confirmed == ["h@example.org"]
