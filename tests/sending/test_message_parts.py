"""The parts a reader's mail program shows: plain text within 78 columns after personalisation (bulletins and
invites), headings that carry their font, and a preheader that stops before the body. Read from received mail."""

from __future__ import annotations

import re
from email.message import EmailMessage

from bulletin_tui.domain.subscribers import DistributionList
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings.handle import send_bulletin
from bulletin_tui.services.mailings.session_delivery import deliver_pending_async
from bulletin_tui.services.sessions.catalogue import create_session, parse_times
from bulletin_tui.services.subscribers.people import add_subscriber
from tests.conftest import DEMO_ISSUE

from .helpers import smtp_to
from .smtp_server import running_server
from .test_send_service import parse

ISSUE = DEMO_ISSUE
LONG_NAME = "Dr Alexandra Catherine Montgomery-Fitzwilliam-Smythe, Community Safety Partnership Manager"
LONG_ADDRESS = "alexandra.montgomery-fitzwilliam@community-safety.kent.example.org"
LONG_LIST = "Kent and Medway Community Safety Partnership practitioners' distribution list"
LONG_BASE = "https://community-safety-bulletin.kent.example.org/preferences/unsubscribe/confirm"
URL_LINE = re.compile(r"^\s*(\[\d+\]\s+)?(https?://|mailto:)\S+$")


def overlong(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").split("\n")
    return [line for line in lines if len(line) > 78 and not URL_LINE.match(line)]


def plain(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()  # type: ignore[union-attr]


async def _send_to_the_long_reader(ctx: AppContext) -> EmailMessage:
    ctx.settings.sender.unsubscribe_url = LONG_BASE
    ctx.store.lists.put(DistributionList(slug="practitioners", name=LONG_LIST, created_at=ctx.clock.now()))
    add_subscriber(ctx, LONG_ADDRESS, name=LONG_NAME, list_name="practitioners")
    async with running_server() as server:
        result = await send_bulletin(ctx, ISSUE, "practitioners", force=True, rate_per_minute=0,
                                     transport=smtp_to(server.port))
        assert result.counts == {"sent": 1}
        return parse(server.messages[0].data)


async def test_personalised_plain_text_stays_within_78_columns(demo_ctx: AppContext) -> None:
    message = await _send_to_the_long_reader(demo_ctx)
    text = plain(message)
    assert overlong(text) == []
    flowing = " ".join(text.split())
    assert f"Hello {LONG_NAME}," in flowing and f"sent to {LONG_ADDRESS} because you are on {LONG_LIST}." in flowing
    assert re.search(rf"^  {re.escape(LONG_BASE)}/u1\.\S+$", text, re.M), "the link is whole, alone on its line"
    assert "calendar.google.com" not in text and "outlook.office.com" not in text


async def test_headings_carry_their_font_and_the_preheader_ends_in_spacers(demo_ctx: AppContext) -> None:
    html = html_of(await _send_to_the_long_reader(demo_ctx))
    headings = re.findall(r"<(h[23])\b[^>]*style=\"([^\"]*)\"", html)
    assert headings and all("font-family:Arial" in style.replace(" ", "") for _, style in headings)
    assert len(headings) == len(re.findall(r"<h[23]\b", html))
    preheader = re.search(r'<div class="pre"[^>]*>(.*?)</div>', html, re.S)
    assert preheader is not None and preheader.group(1).startswith("In this issue:")
    assert preheader.group(1).endswith("\u034f\u200c\u00a0" * 40)


async def test_invite_text_stays_within_78_columns(ctx: AppContext) -> None:
    from bulletin_tui.services.sessions.registrations import register

    starts, ends = parse_times("2026-12-03 12:30", "13:30")
    join = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjM4ZTk0YjEtMzQ4Ny00%40thread.v2/0?context=%7b%22Tid%22%7d"
    create_session(ctx, slug="csis-long", title="Community Safety Information Session: Safeguarding on the Railway",
                   start=starts, end=ends, join_link=join)
    register(ctx, "csis-long", LONG_ADDRESS, name=LONG_NAME)
    async with running_server() as server:
        [delivered] = await deliver_pending_async(ctx, smtp_to(server.port))
        assert delivered.outcome.value == "sent"
        message = parse(server.messages[0].data)
    text = plain(message)
    assert overlong(text) == []
    assert f"Join the session (Microsoft Teams):\n  {join}\n" in text
    assert "How to cancel:" in text
    assert message["Message-ID"].endswith("@kent.gov.uk>"), "invites are named in the sender's domain"


async def test_invite_html_is_the_bulletin_shell_with_the_name_escaped(ctx: AppContext) -> None:
    from bulletin_tui.services.sessions.registrations import register

    starts, ends = parse_times("2026-12-03 12:30", "13:30")
    create_session(ctx, slug="csis-html", title="CSIS & partners", start=starts, end=ends,
                   join_link="https://teams.microsoft.com/l/meetup-join/abc")
    register(ctx, "csis-html", "zoe@example.org", name='Zoë "Z" <b>Bold</b>')
    register(ctx, "csis-html", "sam@example.org", name="Sam")
    async with running_server() as server:
        await deliver_pending_async(ctx, smtp_to(server.port))
        zoe, sam = (html_of(parse(m.data)) for m in server.messages)
    assert "Dear Zoë &quot;Z&quot; &lt;b&gt;Bold&lt;/b&gt;," in zoe and "<b>Bold" not in zoe
    assert "Dear Sam," in sam and zoe.replace('Zoë &quot;Z&quot; &lt;b&gt;Bold&lt;/b&gt;', "Sam") == sam
    assert '<meta name="viewport"' in zoe and 'class="wrap"' in zoe and "CSIS &amp; partners" in zoe
    assert re.search(r'<a href="https://teams\.microsoft\.com/l/meetup-join/abc"[^>]*>Join the session '
                     r"\(Microsoft Teams\)</a>", zoe)
