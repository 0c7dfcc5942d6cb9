"""Sessions either side of the clock changes of 2026 (29 March, 25 October) and the weeks after."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bulletin_tui.domain.times import AmbiguousTimeError, NonexistentTimeError
from bulletin_tui.invites import InviteMethod, build_invite
from bulletin_tui.invites.ics import Invitee
from bulletin_tui.services.sessions import catalogue as sessions
from bulletin_tui.services.sessions.mail import organizer_of

from .ics_checks import parse_both

# (start, end, fold, expected UTC start, expected UTC end)
CASES = [
    ("2026-03-29 00:30", "00:50", None, datetime(2026, 3, 29, 0, 30), datetime(2026, 3, 29, 0, 50)),   # GMT, before
    ("2026-03-29 03:00", "04:00", None, datetime(2026, 3, 29, 2, 0), datetime(2026, 3, 29, 3, 0)),     # BST, after
    ("2026-03-29 00:30", "03:30", None, datetime(2026, 3, 29, 0, 30), datetime(2026, 3, 29, 2, 30)),   # spans it
    ("2026-03-29 12:30", "13:30", None, datetime(2026, 3, 29, 11, 30), datetime(2026, 3, 29, 12, 30)),
    ("2026-04-02 12:30", "13:30", None, datetime(2026, 4, 2, 11, 30), datetime(2026, 4, 2, 12, 30)),   # week after
    ("2026-10-25 01:30", "01:45", 0, datetime(2026, 10, 25, 0, 30), datetime(2026, 10, 25, 0, 45)),    # first (BST)
    ("2026-10-25 01:30", "01:45", 1, datetime(2026, 10, 25, 1, 30), datetime(2026, 10, 25, 1, 45)),    # second (GMT)
    ("2026-10-25 12:30", "13:30", None, datetime(2026, 10, 25, 12, 30), datetime(2026, 10, 25, 13, 30)),
    ("2026-10-29 12:30", "13:30", None, datetime(2026, 10, 29, 12, 30), datetime(2026, 10, 29, 13, 30)),  # week after
    ("2026-10-22 12:30", "13:30", None, datetime(2026, 10, 22, 11, 30), datetime(2026, 10, 22, 12, 30)),  # week before
]


@pytest.mark.parametrize(("start", "end", "fold", "utc_start", "utc_end"), CASES)
def test_invites_carry_the_right_instant(ctx, make_session, start, end, fold, utc_start, utc_end):
    session = make_session("dst", start=start, end=end, fold=fold)
    assert (session.start, session.end) == (utc_start.replace(tzinfo=UTC), utc_end.replace(tzinfo=UTC))
    data = build_invite(session, InviteMethod.REQUEST, organizer_of(ctx), Invitee("a@example.org"),
                        stamp=ctx.clock.now())
    parsed = parse_both(data)  # vobject applies OUR VTIMEZONE rules; icalendar uses the tz database
    assert (parsed.start_utc, parsed.end_utc) == (utc_start.replace(tzinfo=UTC), utc_end.replace(tzinfo=UTC))


def test_the_missing_hour_is_refused_with_a_suggestion():
    with pytest.raises(NonexistentTimeError, match=r"2026-03-29 01:30 does not exist.*did you mean 02:30 BST"):
        sessions.parse_times("2026-03-29 01:30", "02:30")


def test_the_repeated_hour_needs_a_choice():
    with pytest.raises(AmbiguousTimeError, match="happens twice"):
        sessions.parse_times("2026-10-25 01:15", "03:00")
    first, _ = sessions.parse_times("2026-10-25 01:15", "03:00", fold=0)
    second, _ = sessions.parse_times("2026-10-25 01:15", "03:00", fold=1)
    assert (second - first).total_seconds() == 3600


def test_end_may_be_a_full_date_time_on_another_day(ctx):
    start, end = sessions.parse_times("2026-10-24 22:00", "2026-10-25 03:00")
    assert (end - start).total_seconds() == 6 * 3600  # the night the clocks go back is an hour longer


async def test_the_october_change_shows_both_zones_in_the_invite(ctx, make_session):
    from bulletin_tui.services.sessions import registrations

    from .delivered import deliver_all

    session = make_session("autumn", start="2027-10-31 01:30", end="02:30", fold=0)
    assert session.end - session.start == (datetime(2027, 10, 31, 2, 30) - datetime(2027, 10, 31, 0, 30))
    registrations.register(ctx, "autumn", "jo@example.org")
    [received] = await deliver_all(ctx)
    assert "Time: 1.30 am BST to 2.30 am GMT\n" in received.text.replace("\r\n", "\n")
    assert "(UK time)" not in received.text
    html = received.message.get_body(("html",))
    assert html is not None and "1.30 am BST to 2.30 am GMT" in html.get_content()


def test_the_october_change_shows_both_zones_in_the_cli(cli):
    cli("sessions", "add", "autumn", "--title", "Night session", "--start", "2027-10-31 01:30", "--end", "02:30",
        "--fold", "first")
    assert "Sunday 31 October 2027, 1.30 am BST to 2.30 am GMT" in cli("sessions", "show", "autumn")
    assert "1.30 am BST to 2.30 am GMT" in cli("sessions", "list")


def test_a_session_inside_the_repeated_hour_names_its_zone(make_session):
    from bulletin_tui.domain.times import british_range, uk_time_range

    second = make_session("gmt", start="2026-10-25 01:10", end="01:50", fold=1)
    assert uk_time_range(second.start, second.end) == "1.10 am GMT to 1.50 am GMT"
    ordinary = make_session("noon", start="2026-10-25 12:30", end="13:30")
    assert uk_time_range(ordinary.start, ordinary.end) == "12.30 pm to 1.30 pm (UK time)"
    assert british_range(ordinary.start, ordinary.end) == "Sunday 25 October 2026, 12.30 pm to 1.30 pm"


async def test_the_sessions_table_names_the_zone_in_the_repeated_hour(ctx, make_session) -> None:
    from textual.widgets import DataTable

    from bulletin_tui.tui.app import make_app

    make_session("first", start="2027-10-31 01:30", end="01:50", fold=0)
    make_session("second", start="2027-10-31 01:30", end="01:50", fold=1)
    make_session("noon", start="2027-10-31 12:30", end="13:30")
    app = make_app(ctx, offer_demo=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        table = app.screen.query_one("#session-table", DataTable)
        shown = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
    assert shown == ["31/10/2027 01:30 BST", "31/10/2027 01:30 GMT", "31/10/2027 12:30"]
