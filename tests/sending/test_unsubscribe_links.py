"""What a recipient's message carries: a working unsubscribe link (body, footer, List-Unsubscribe), bulk headers
that keep auto-replies away, and List-Id / Message-IDs in the sender's own domain. Read from RECEIVED messages."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest

from bulletin_tui.sending.unsubscribe import unsubscribe_page
from bulletin_tui.services.bulletins.prepare import prepare_issue
from bulletin_tui.services.bulletins.render import sample_message
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings import send
from bulletin_tui.services.mailings.handle import send_bulletin
from bulletin_tui.services.subscribers.people import audience
from bulletin_tui.services.subscribers.tokens import verify_unsubscribe_token
from tests.conftest import DEMO_ISSUE

from .helpers import smtp_to
from .smtp_server import running_server
from .test_send_service import parse

ISSUE, LIST = DEMO_ISSUE, "e-bulletin"
HREF = re.compile(r'<a href="([^"]+)"[^>]*>Unsubscribe from this list</a>')


def test_the_builder_appends_one_slash_or_fills_the_pattern() -> None:
    assert unsubscribe_page("https://example.org/unsubscribe", "u1.a") == "https://example.org/unsubscribe/u1.a"
    assert unsubscribe_page("https://example.org/unsubscribe/", "u1.a") == "https://example.org/unsubscribe/u1.a"
    assert unsubscribe_page("https://example.org/u/{token}/confirm", "u1.a") == "https://example.org/u/u1.a/confirm"
    assert unsubscribe_page("https://web.example.org/u", "u1.a") == "https://web.example.org/u/u1.a"  # serve's route
    assert unsubscribe_page("", "u1.a") == ""


async def _received(ctx: AppContext, count: int = 3) -> list[EmailMessage]:
    """Send the issue to the first few people on the list through a real SMTP server; the messages it got."""
    keep = {p.email for p in audience(ctx, LIST)[:count]}
    for person in audience(ctx, LIST):
        if person.email not in keep:
            ctx.store.subscribers.put(person.model_copy(update={"lists": {}}))
    async with running_server() as server:
        result = await send_bulletin(ctx, ISSUE, LIST, force=True, rate_per_minute=0,
                                     transport=smtp_to(server.port))
        assert result.counts == {"sent": count}
        return [parse(m.data) for m in server.messages]


@pytest.mark.parametrize("configured", ["https://example.org/unsubscribe", "https://example.org/unsub?t={token}"])
async def test_received_unsubscribe_links_carry_a_token_that_verifies(demo_ctx: AppContext, configured: str) -> None:
    demo_ctx.settings.sender.unsubscribe_url = configured
    for message in await _received(demo_ctx):
        mailto, https = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
        prefix = configured.split("{token}")[0] if "{token}" in configured else configured + "/"
        assert https.startswith(prefix) and "//" not in https.removeprefix("https://")
        token = https.removeprefix(prefix)
        assert verify_unsubscribe_token(demo_ctx, token) == (message["To"].lower(), LIST)
        assert mailto.endswith(f"subject=unsubscribe%20{token}")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
        text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
        assert HREF.findall(html) == [https.replace("&", "&amp;")]
        assert f"Unsubscribe from this list:\n  {https}\n" in text


async def test_bulletins_keep_auto_replies_away_and_name_the_sender_domain(demo_ctx: AppContext) -> None:
    for message in await _received(demo_ctx, count=2):
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["Precedence"] == "bulk"
        assert message["X-Auto-Response-Suppress"] == "OOF, AutoReply"
        assert message["List-Id"] == '"Kent Community Safety Team: e-bulletin" <e-bulletin.kent.gov.uk>'
        assert message["Message-ID"].endswith("@kent.gov.uk>")


async def test_test_sends_and_the_sample_use_the_same_links(demo_ctx: AppContext) -> None:
    demo_ctx.settings.sender.unsubscribe_url = "https://example.org/unsubscribe"
    async with running_server() as server:
        delivery = await send.send_test(demo_ctx, ISSUE, "operator@example.org", LIST, transport=smtp_to(server.port))
        assert delivery.outcome.value == "sent"
        test_message = parse(server.messages[0].data)
    assert re.search(r"<https://example\.org/unsubscribe/u1\.[^/>]+>", test_message["List-Unsubscribe"])
    assert test_message["Precedence"] == "bulk"
    sample = parse(sample_message(demo_ctx, prepare_issue(demo_ctx, ISSUE)))
    assert "<https://example.org/unsubscribe/sample>" in sample["List-Unsubscribe"]
    html = sample.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert HREF.findall(html) == ["https://example.org/unsubscribe/sample"]
    assert sample["Auto-Submitted"] == "auto-generated" and sample["List-Id"].endswith("<e-bulletin.kent.gov.uk>")


def test_without_a_sender_domain_the_ids_are_reserved_names(demo_ctx: AppContext) -> None:
    sender = demo_ctx.settings.sender
    assert sender.identity_domain == "kent.gov.uk"
    assert sender.model_copy(update={"list_id_domain": "lists.example.org"}).identity_domain == "lists.example.org"
    assert sender.model_copy(update={"from_address": ""}).identity_domain.endswith(".invalid")


def test_demo_sessions_use_a_reserved_domain_and_real_ones_the_sender_domain(demo_ctx: AppContext) -> None:
    from bulletin_tui.services.sessions.catalogue import create_session, parse_times

    assert demo_ctx.store.sessions.all() and all(s.uid.endswith(".invalid") for s in demo_ctx.store.sessions)
    starts, ends = parse_times("2026-12-03 12:30", "13:30")
    made = create_session(demo_ctx, slug="csis-real", title="CSIS", start=starts, end=ends)
    assert made.uid.endswith("@kent.gov.uk")
