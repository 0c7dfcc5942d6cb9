"""Deliver the session mail queue to a real SMTP server on 127.0.0.1 and read back what each person received."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from bulletin_tui.config import SmtpSettings
from bulletin_tui.sending.smtp import SmtpTransport
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings.session_delivery import deliver_pending_async
from tests.sending.smtp_server import running_server

from .ics_checks import Parsed, parse_both


@dataclass(frozen=True)
class Inbox:
    """One received message: its recipient, the parsed message and its calendar (None for a plain notice)."""

    to: str
    message: EmailMessage
    calendar: Parsed | None
    ics: bytes = b""

    @property
    def text(self) -> str:
        body = self.message.get_body(("plain",))
        assert body is not None
        return str(body.get_content())


def _ics(message: EmailMessage) -> bytes:
    part = next((p for p in message.walk() if p.get_content_type() == "text/calendar"), None)
    if part is None:
        return b""
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload


async def deliver_all(ctx: AppContext) -> list[Inbox]:
    """Send everything pending through a real SMTP server; what it received, in order."""
    async with running_server() as server:
        transport = SmtpTransport(SmtpSettings(host=server.host, port=server.port, security="none"))
        try:
            await deliver_pending_async(ctx, transport)
        finally:
            await transport.close()
    found = []
    for received in server.messages:
        message = received.parsed()
        ics = _ics(message)
        found.append(Inbox(received.rcpt_tos[0], message, parse_both(ics) if ics else None, ics))
    return found
