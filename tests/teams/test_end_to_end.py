"""End to end through the CLI, Entra ID and Graph stand-ins and a real `serve`: an online session added with
--teams; registrants' invites (parsed from the outbox) carry Graph's join link, the bulletin, the archive, the
session feed and the public web pages do not; after the end (the clock moved) attendance comes from Teams'
records; the follow-up goes to those attendees only; the year's report counts them."""

from __future__ import annotations

import email
import re
import urllib.request
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.conftest import CliRun
from tests.web.server import running_server

from .graph import ORGANISER_UPN, GraphState, attendance_record

START = datetime(2026, 12, 10, 12, 30, tzinfo=UTC)
PEOPLE = {"ann@example.org": "Ann Able", "Bob.Smith@Kent.GOV.uk": "Bob Smith", "cat@example.org": "Cat Cole",
          "dan@example.org": "Dan Dare"}
SLIDES = "https://example.org/csis/scams/slides.pdf"


def outbox(data_dir: Path) -> dict[str, EmailMessage]:
    """Each .eml the outbox transport wrote, by file name."""
    found = {}
    for path in sorted((data_dir / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(message, EmailMessage)
        found[path.name] = message
    return found


def calendar_of(message: EmailMessage) -> Calendar:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload)


def leaks(text: str, join: str, thread: str) -> bool:
    unfolded = text.replace("\r\n ", "").replace("=\r\n", "").replace("=\n", "")
    return join in unfolded or thread in unfolded or "meetup-join" in unfolded


def test_online_session_with_teams_end_to_end(teams_cli: CliRun, graph: GraphState, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cli = teams_cli
    cli("subscribers", "list-add", "e-bulletin", "--name", "E-bulletin")
    cli("subscribers", "add", "reader@example.org", "--list", "e-bulletin")
    out = cli("sessions", "add", "csis-scams", "--title", "CSIS: Scams and fraud", "--start", "2026-12-10 12:30",
              "--end", "13:30", "--capacity", "60", "--teams")
    assert "Teams meeting made (event, organiser " in out and "only into registrants' own invites" in out
    [meeting] = graph.meetings.values()
    join, thread = meeting.join_url, meeting.join_url.split("meeting_")[1][:32]
    for address, name in PEOPLE.items():
        cli("sessions", "register", "csis-scams", address, "--name", name)

    invites = outbox(cli.data_dir)
    assert len(invites) == 4
    for message in invites.values():
        [event] = calendar_of(message).walk("VEVENT")
        assert str(event["URL"]) == join and join in str(event["DESCRIPTION"])
        assert str(event["ORGANIZER"]).lower() == "mailto:kentcommunitysafetyteam@kent.gov.uk"
        assert join in str(message.get_body(("plain",)).get_content())  # type: ignore[union-attr]

    cli("bulletin", "new", "2026-12")
    cli("bulletin", "add-item", "2026-12", "--title", "Scams awareness week", "--category", "news",
        "--summary", "Be **alert**.", "--link", "https://example.org/scams")
    cli("bulletin", "render", "2026-12", "--out", str(tmp_path / "render"))
    cli("send", "2026-12", "--list", "e-bulletin")
    cli("bulletin", "publish", "--out", str(tmp_path / "site"))
    assert "CSIS: Scams and fraud" in (tmp_path / "render" / "issue.html").read_text()
    public = [p for folder in ("render", "site") for p in (tmp_path / folder).rglob("*") if p.is_file()]
    assert len(public) >= 8 and (tmp_path / "site" / "sessions.ics").exists()
    assert [p.name for p in public if leaks(p.read_text(errors="replace"), join, thread)] == []
    [bulletin] = [m for name, m in outbox(cli.data_dir).items() if "reader@example.org" in name]
    assert "CSIS: Scams and fraud" in bulletin.as_string() and not leaks(bulletin.as_string(), join, thread)
    with running_server(cli.data_dir, tmp_path / "serve.log") as server:
        for page in ("/sessions/", "/sessions/csis-scams"):
            with urllib.request.urlopen(server.url + page, timeout=10) as answer:
                html = answer.read().decode()
            assert "CSIS: Scams and fraud" in html and not leaks(html, join, thread), page

    monkeypatch.setenv("BULLETIN_NOW", "2026-12-10T14:30:00+00:00")  # an hour after the end
    graph.add_report(meeting, START - timedelta(minutes=5), START + timedelta(hours=1), [
        attendance_record(ORGANISER_UPN, "CSIS Team", 3900, START - timedelta(minutes=5), role="Organizer"),
        attendance_record("ANN@example.org", "Ann Able", 3300, START),
        attendance_record("bob.smith@kent.gov.uk", "Bob Smith", 2700, START, intervals=3),
        attendance_record("cat@example.org", "Cat Cole", 3000, START),
        attendance_record("visitor@partner.example", "Val Visitor", 1200, START),
    ])
    out = cli("sessions", "attendance", "csis-scams", "--from-teams")
    assert out.splitlines()[0] == ("session 'csis-scams': taken: 3 attended, 1 no-shows, 0 too short, 0 matched by "
                                   "name only, 1 not registered")
    assert "    visitor@partner.example" in out
    registered = cli("sessions", "export-attendance", "csis-scams", str(tmp_path / "attendance.csv"))
    assert "Wrote 4 row(s)" in registered
    rows = (tmp_path / "attendance.csv").read_text(encoding="utf-8-sig")
    assert re.search(r"ann@example.org,Ann Able,.*,yes,55", rows) and re.search(r"dan@example.org,.*,no,", rows)

    cli("sessions", "materials", "csis-scams", "--slides", SLIDES)
    before = set(outbox(cli.data_dir))
    dry = cli("sessions", "follow-up", "csis-scams", "--dry-run")
    assert "3 attended, 1 registered but did not attend" in dry
    cli("sessions", "follow-up", "csis-scams", "--yes")
    sent = {str(m["To"]).lower() for name, m in outbox(cli.data_dir).items() if name not in before}
    assert sent == {"ann@example.org", "bob.smith@kent.gov.uk", "cat@example.org"}

    report = cli("report", "--year", "2026/27")
    assert "| Thursday 10 December 2026 | CSIS: Scams and fraud | – | 4 | 3 |" in report
    assert "CSIS: Scams and fraud  " in report and "3/4" in report
    listing = cli("sessions", "teams-meetings")
    assert listing.startswith("csis-scams") and "event" in listing and "attendance taken (3 attended" in listing
    assert not leaks(listing + cli("sessions", "teams-meetings", "--json"), join, thread)
