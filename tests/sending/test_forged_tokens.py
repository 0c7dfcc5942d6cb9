"""Item text that happens to contain the internal token markers is shown as typed, never personalised."""

from __future__ import annotations

import email
import email.policy

from bulletin_tui.config import SmtpSettings
from bulletin_tui.sending.smtp import SmtpTransport
from bulletin_tui.services.bulletins import assembly
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings.handle import send_bulletin
from bulletin_tui.services.subscribers.people import audience
from tests.conftest import DEMO_ISSUE

from .smtp_server import running_server

ISSUE, LIST = DEMO_ISSUE, "e-bulletin"
FORGERY = "Dear XBTNAMEX, your address XBTEMAILX; click XBTUNSUBX"


async def test_markers_in_an_item_reach_the_reader_unpersonalised(demo_ctx: AppContext) -> None:
    assembly.add_item(demo_ctx, ISSUE, title="Token look-alikes XBTLISTX", category="news", summary=FORGERY,
                      link="https://www.kent.gov.uk/community-safety", link_text="More about XBTNAMEX")
    person = audience(demo_ctx, LIST)[0]
    async with running_server() as server:
        transport = SmtpTransport(SmtpSettings(host=server.host, port=server.port, security="none"))
        result = await send_bulletin(demo_ctx, ISSUE, LIST, force=True, rate_per_minute=0, transport=transport)
    assert result.counts.get("sent")
    received = next(m for m in server.messages if m.rcpt_tos == [person.email])
    message = email.message_from_bytes(received.data, policy=email.policy.default)
    for kind in ("plain", "html"):
        body = message.get_body((kind,)).get_content()  # type: ignore[union-attr]
        shown = body.replace("\u200b", "").replace("&#8203;", "")
        assert "Dear XBTNAMEX, your address XBTEMAILX; click XBTUNSUBX" in " ".join(shown.split()), kind
        assert "Token look-alikes XBTLISTX" in shown and "More about XBTNAMEX" in shown
        assert f"Dear {person.name}" not in body and "XBTNAMEX" not in body  # not a live token
        greeting = f"Hello {person.name}," if person.name else "Hello colleague,"
        assert greeting in body  # the template's own token still works
