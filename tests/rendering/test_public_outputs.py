"""What the public sees: no join link in any public output, and `bulletin publish` as a static archive site that
the email's "View this bulletin online" link leads into."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from icalendar import Calendar

from bulletin_tui.domain.bulletins import IssueStatus
from bulletin_tui.domain.sessions import SessionFormat
from bulletin_tui.invites.ics import Invitee, InviteMethod, build_invite
from bulletin_tui.rendering import personal_values, substitute
from bulletin_tui.services.bulletins.prepare import prepare_issue
from bulletin_tui.services.bulletins.publish import publish_site
from bulletin_tui.services.bulletins.render import render_to_folder
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions.mail import organizer_of

from .conftest import ISSUE

JOIN = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_SECRETxyz%40thread.v2/0?context=abc"
ARCHIVE = "https://portal.example.org/bulletins"


def _online_with_join_link(ctx: AppContext) -> None:
    for slug, fmt in (("csis-dec", SessionFormat.ONLINE), ("dhr-webinar", SessionFormat.HYBRID)):
        session = ctx.store.sessions.get(slug)
        assert session is not None
        ctx.store.sessions.put(session.model_copy(update={"join_link": JOIN, "format": fmt}))


def _mark_sent(ctx: AppContext, slug: str, at: datetime) -> None:
    issue = ctx.store.issues.get(slug)
    assert issue is not None
    ctx.store.issues.put(issue.model_copy(update={"status": IssueStatus.SENT, "sent_at": at}))


def _leaks(folder: Path) -> list[str]:
    secret = re.compile(r"SECRETxyz|meetup-join|teams\.microsoft\.com", re.I)
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            raw = path.read_bytes().decode("utf-8", "replace")
            unfolded = raw.replace("\r\n ", "").replace("=\r\n", "").replace("=\n", "")
            if secret.search(unfolded) or secret.search(re.sub(r"%([0-9A-F]{2})", "", unfolded)):
                found.append(str(path.relative_to(folder)))
    return found


def test_no_public_output_carries_a_join_link(issue_ctx: AppContext, tmp_path: Path) -> None:
    _online_with_join_link(issue_ctx)
    issue_ctx.settings.sender.archive_url = ARCHIVE
    rendered = render_to_folder(issue_ctx, ISSUE, tmp_path / "render")
    assert {p.name for p in rendered.files} >= {"issue.html", "issue.txt", "archive.html", "sample.eml",
                                                 "csis-dec.ics", "dhr-webinar.ics"}
    _mark_sent(issue_ctx, ISSUE, issue_ctx.clock.now())
    publish_site(issue_ctx, tmp_path / "site")
    assert (tmp_path / "site" / "sessions.ics").exists()
    assert _leaks(tmp_path / "render") == [] and _leaks(tmp_path / "site") == []
    text = (tmp_path / "render" / "issue.txt").read_text()
    assert "Online (joining details are sent when you register)" in text
    session = issue_ctx.store.sessions.get("csis-dec")
    assert session is not None
    own = Calendar.from_ical(build_invite(session, InviteMethod.REQUEST, organizer_of(issue_ctx),
                                          Invitee("reg@example.org"), stamp=issue_ctx.clock.now()))
    [event] = own.walk("VEVENT")
    assert str(event["URL"]) == JOIN and JOIN in str(event["DESCRIPTION"]), "a registrant's own invite has it"


def test_publish_writes_index_pages_and_feed_that_the_email_links_to(issue_ctx: AppContext, tmp_path: Path) -> None:
    issue_ctx.settings.sender.archive_url = ARCHIVE + "/"
    from bulletin_tui.services.bulletins.issues import create_issue

    create_issue(issue_ctx, "2026-03", intro="March.")
    create_issue(issue_ctx, "2026-04", intro="April.")
    create_issue(issue_ctx, "2027-01")  # a draft: never published
    _mark_sent(issue_ctx, "2026-03", datetime(2026, 3, 20, 9, tzinfo=UTC))
    _mark_sent(issue_ctx, "2026-04", datetime(2026, 4, 17, 9, tzinfo=UTC))
    _mark_sent(issue_ctx, ISSUE, issue_ctx.clock.now())
    site = tmp_path / "site"
    publish_site(issue_ctx, site)

    prepared = prepare_issue(issue_ctx, ISSUE, restricted=True)
    html_values, _ = personal_values(prepared, name="A", unsubscribe_url="https://u.example/x")
    email_html = substitute(prepared.html, html_values)
    [href] = set(re.findall(r'href="([^"]+)"[^>]*>View this bulletin online', email_html))
    page = site / href.removeprefix(ARCHIVE + "/")
    assert page.is_file(), f"the email's view-online link {href} has no page in the published site"
    archived = page.read_text()
    assert "Community Safety e-Bulletin, December 2026" in archived and "DHR case update" not in archived
    assert "XBT" not in archived and "partners.example.org" not in archived

    index = (site / "index.html").read_text()
    years = re.findall(r'<h2 id="fy-[^"]+">Financial year ([^<]+)</h2>', index)
    assert years == ["2026/27", "2025/26"]
    links = re.findall(r'<li><a href="([^"]+)">', index)
    assert links == ["2026-12.html", "2026-04.html", "2026-03.html"]
    assert all((site / link).is_file() for link in links) and not (site / "2027-01.html").exists()

    feed = Calendar.from_ical((site / "sessions.ics").read_bytes())
    assert str(feed["METHOD"]) == "PUBLISH"
    titles = sorted(str(e["SUMMARY"]) for e in feed.walk("VEVENT"))
    assert titles == ["CSIS: Victim Support Services", "DHR learning webinar", "Too far ahead"]
    for session in prepared.view.sessions:
        assert session.ics_url and (site / session.ics_url.removeprefix(ARCHIVE + "/")).is_file()


def test_archive_pages_show_the_sessions_upcoming_when_the_issue_went_out(issue_ctx: AppContext,
                                                                          tmp_path: Path) -> None:
    _mark_sent(issue_ctx, ISSUE, issue_ctx.clock.now() - timedelta(days=200))
    publish_site(issue_ctx, tmp_path)
    assert "CSIS: Victim Support Services" not in (tmp_path / f"{ISSUE}.html").read_text()
