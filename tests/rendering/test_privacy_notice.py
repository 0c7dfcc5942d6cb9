"""`[sender] privacy_notice_url`: linked from the footer of every e-mail (the bulletin's HTML and plain text, the
follow-up, session invitations and notices, the web face's confirmations) and of the archive pages; left out when
not set (the messages are then as before), and `bulletin check` / `mail check` say a public body should set it."""

from __future__ import annotations

import json
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from pydantic import ValidationError

from bulletin_tui.config import SenderSettings, Settings
from bulletin_tui.domain.bulletins import IssueStatus
from bulletin_tui.domain.followup import Audience, SessionFollowUp
from bulletin_tui.rendering.followup import render_followup
from bulletin_tui.rendering.footer import PRIVACY_LINK_TEXT, PRIVACY_NOTICE_MISSING
from bulletin_tui.services.bulletins.prepare import prepare_issue
from bulletin_tui.services.bulletins.publish import publish_site
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings import session_delivery as delivery
from bulletin_tui.services.mailings.confirmations import confirmation_message
from bulletin_tui.services.mailings.followup import followup_view
from bulletin_tui.services.sessions import catalogue, registrations

from ..conftest import CliRun
from .conftest import ISSUE

NOTICE = "https://www.kent.gov.uk/about-the-council/privacy/kcst-privacy-notice"
HTML_LINK = re.compile(f'<a href="{re.escape(NOTICE)}"[^>]*>{re.escape(PRIVACY_LINK_TEXT)}</a>')  # styles inlined
TEXT_LINES = f"{PRIVACY_LINK_TEXT}:\n  {NOTICE}"


def parts(raw: bytes) -> tuple[str, str]:
    """(plain text, HTML) of a message."""
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    return (text.get_content().replace("\r\n", "\n") if text else "", html.get_content() if html else "")


@pytest.mark.parametrize("url", [NOTICE, ""])
def test_the_bulletin_and_its_archive_page(issue_ctx: AppContext, url: str) -> None:
    issue_ctx.settings.sender.privacy_notice_url = url
    prepared = prepare_issue(issue_ctx, ISSUE)
    for html in (prepared.html, prepared.archive_html):
        assert bool(HTML_LINK.search(html)) is bool(url)
    assert (TEXT_LINES in prepared.text) is bool(url)
    assert ("privacy notice" in prepared.text.lower() + prepared.html.lower()) is bool(url)
    if url:  # in the footer, after the team's contact details
        assert prepared.text.index(TEXT_LINES) > prepared.text.index("Email: ")


def test_the_published_archive_links_the_notice_and_the_statement(issue_ctx: AppContext, tmp_path: Path) -> None:
    issue_ctx.settings.sender.privacy_notice_url = NOTICE
    issue = issue_ctx.store.issues.get(ISSUE)
    assert issue is not None
    issue_ctx.store.issues.put(issue.model_copy(update={"status": IssueStatus.SENT, "sent_at": issue_ctx.clock.now()}))
    publish_site(issue_ctx, tmp_path / "site")
    for page in ("index.html", f"{ISSUE}.html"):
        html = (tmp_path / "site" / page).read_text()
        assert HTML_LINK.search(html) and '<a href="/accessibility">Accessibility statement</a>' in html, page


def test_a_web_confirmation(tmp_path: Path) -> None:
    def text_of(url: str) -> str:
        chosen = Settings(data_dir=tmp_path, sender={"privacy_notice_url": url})  # type: ignore[arg-type]
        return parts(confirmation_message(chosen, "reader@example.org", "Please confirm", "You asked.",
                                          "https://x.example/confirm/1"))[0]

    assert text_of(NOTICE).rstrip().endswith(TEXT_LINES)
    assert PRIVACY_LINK_TEXT not in text_of("")


@pytest.mark.parametrize("url", [NOTICE, ""])
def test_session_invitations(ctx: AppContext, url: str) -> None:
    ctx.settings.sender.privacy_notice_url = url
    start, end = catalogue.parse_times("2026-12-03 12:30", "13:30")
    catalogue.create_session(ctx, slug="csis-dec", title="Community Safety Information Session", start=start, end=end)
    registrations.register(ctx, "csis-dec", "reader@example.org", name="Reader")
    [sent] = delivery.deliver_pending(ctx)
    text, html = parts(sent.message)
    assert (TEXT_LINES in text) is bool(url) and bool(HTML_LINK.search(html)) is bool(url)
    if url:
        assert text.rstrip().endswith(TEXT_LINES)  # after the organiser's name and address


def test_the_follow_up(ctx: AppContext) -> None:
    ctx.settings.sender.privacy_notice_url = NOTICE
    start, end = catalogue.parse_times("2026-11-03 12:30", "13:30")
    session = catalogue.create_session(ctx, slug="csis-nov", title="CSIS November", start=start, end=end)
    view = followup_view(ctx, session, SessionFollowUp(session_slug="csis-nov"), Audience.ATTENDEES)
    rendered = render_followup(None, view)
    assert HTML_LINK.search(rendered.html) and rendered.text.rstrip().endswith(TEXT_LINES)


def test_checks_warn_until_it_is_set(cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("bulletin", "new", "2027-01")
    checked = cli("bulletin", "check", "2027-01", code=1)
    assert f"warning: {PRIVACY_NOTICE_MISSING} [privacy-notice]" in checked.splitlines()
    assert PRIVACY_NOTICE_MISSING in json.loads(cli("mail", "check", "--json"))["warnings"]
    monkeypatch.setenv("BULLETIN_SENDER__PRIVACY_NOTICE_URL", NOTICE)
    assert "privacy-notice" not in cli("bulletin", "check", "2027-01", code=1)
    assert json.loads(cli("mail", "check", "--json"))["warnings"] == []


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://www.kent.gov.uk/privacy", "https://x.org/a b"])
def test_only_an_https_address_is_accepted(url: str) -> None:
    with pytest.raises(ValidationError, match="privacy_notice_url"):
        SenderSettings(privacy_notice_url=url)
