"""What people read about a session on several dates: the yearly report lists it once with its dates and totals
("4 dates, 64 places, 55 attended"), the bulletin's sessions block says "4 dates, 12 places left" and lists the
dates (HTML and plain text), hybrid places are shown apart, and the published .ics has one event per date."""

from __future__ import annotations

import icalendar

from bulletin_tui.domain.sessions import AttendanceMode, SessionFormat, SessionKind
from bulletin_tui.invites.ics import publish_calendar
from bulletin_tui.services.bulletins import issues as bulletins
from bulletin_tui.services.bulletins.prepare import prepare_issue
from bulletin_tui.services.sessions import attendance, catalogue, occurrences, registrations
from bulletin_tui.services.sessions.mail import organizer_of
from bulletin_tui.services.yearly_report.report import build_report

VENUE = "To be confirmed (district/borough partner)"


def _cpd(ctx, make_session, days: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    make_session(
        "asb-cpd",
        start=f"{days[0]} 09:30",
        end="16:00",
        title="ASB Tools & Powers CPD",
        kind=SessionKind.CPD,
        format=SessionFormat.IN_PERSON,
        venue=VENUE,
        capacity=16,
        topics=["Anti-social behaviour"],
    )
    for day in days[1:]:
        start, end = catalogue.parse_times(f"{day} 09:30", "16:00")
        occurrences.add_occurrence(ctx, "asb-cpd", start=start, end=end)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_yearly_report_lists_the_training_once_with_its_dates_and_totals(ctx, make_session):  # type: ignore
    _cpd(ctx, make_session, ("2026-06-09", "2026-07-14", "2026-09-08", "2026-10-13"))
    attended = 0
    for date in ("1", "2", "3", "4"):
        for n in range(16):
            email = f"p{n}@d{date}.example.org"
            registrations.register(ctx, "asb-cpd", email, occurrence=date)
            if attended < 55:  # 55 of the 64 came, as in the papers
                attendance.mark_attendance(ctx, "asb-cpd", email, True)
                attended += 1
    report = build_report(ctx, "2026/27")
    rows = [line for line in report.splitlines() if "ASB Tools" in line and line.startswith("|")]
    assert rows == [
        "| 9 June, 14 July, 8 September and 13 October 2026 | ASB Tools & Powers CPD (4 dates, 64 places, "
        "55 attended) | Anti-social behaviour | 64 | 55 | 0 | 9 |"
    ]
    assert "**1** information session delivered, **55** attendances recorded" in report


def test_the_bulletin_block_counts_places_over_the_dates_to_come(ctx, make_session):  # type: ignore[no-untyped-def]
    _cpd(ctx, make_session, ("2026-12-01", "2026-12-15", "2027-01-12", "2027-01-26"))
    occurrences.cancel_occurrence(ctx, "asb-cpd", "3")
    for n in range(16):
        registrations.register(ctx, "asb-cpd", f"a{n}@example.org", occurrence="1")
    for n in range(4):
        registrations.register(ctx, "asb-cpd", f"b{n}@example.org", occurrence="2")
    bulletins.create_issue(ctx, "2026-12", "Community Safety e-Bulletin, December 2026")
    prepared = prepare_issue(ctx, "2026-12")
    text = _flat(prepared.text)
    assert (
        "ASB Tools & Powers CPD ---------------------- Tuesday 1 December 2026 to Tuesday 26 January 2027 "
        "In person: To be confirmed (district/borough partner) "
        "- Tuesday 1 December 2026, 9.30 am to 4 pm: full "
        "- Tuesday 15 December 2026, 9.30 am to 4 pm: 12 places left "
        "- Tuesday 26 January 2027, 9.30 am to 4 pm: 16 places left "
        "3 dates, 28 places left."
    ) in text
    html = _flat(prepared.html)
    assert "<li>Tuesday 15 December 2026, 9.30 am to 4 pm: 12 places left</li>" in html
    assert "3 dates, 28 places left." in html and "calendar.google.com" not in html.split("ASB Tools")[1]


def test_hybrid_places_are_shown_apart(ctx, make_session):  # type: ignore[no-untyped-def]
    make_session(
        "conf",
        start="2026-12-10 09:30",
        end="16:00",
        title="Partnership conference",
        format=SessionFormat.HYBRID,
        venue="Oakwood House",
        capacity_in_person=80,
        capacity_online=200,
    )
    for n in range(80):
        registrations.register(ctx, "conf", f"room{n}@example.org", mode=AttendanceMode.IN_PERSON)
    for n in range(5):
        registrations.register(ctx, "conf", f"web{n}@example.org", mode=AttendanceMode.ONLINE)
    bulletins.create_issue(ctx, "2026-12", "Community Safety e-Bulletin, December 2026")
    text = _flat(prepare_issue(ctx, "2026-12").text)
    assert "In person: full; online: 195 places left." in text


def test_the_published_calendar_has_one_event_per_date(ctx, make_session):  # type: ignore[no-untyped-def]
    _cpd(ctx, make_session, ("2027-02-02", "2027-02-16", "2027-03-02", "2027-03-16"))
    occurrences.cancel_occurrence(ctx, "asb-cpd", "2")
    session = catalogue.get_session(ctx, "asb-cpd")
    data = publish_calendar(session, organizer_of(ctx), stamp=ctx.clock.now())
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert [(str(e["UID"]), str(e["STATUS"])) for e in events] == [
        (o.uid, "CANCELLED" if o.id == "2" else "CONFIRMED") for o in session.dates()
    ]
    assert events[0]["UID"] == "asb-cpd@kcst.test"
