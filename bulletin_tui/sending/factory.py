"""Pick the transport the settings ask for: SMTP when a host is configured, else the outbox folder."""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from ..locations import outbox_dir
from .budget import connection_slots
from .smtp import SmtpTransport
from .transport import OutboxTransport, Transport
from .xoauth2 import TokenSource


def make_transport(settings: Settings, data_dir: Path, *, token_source: TokenSource | None = None) -> Transport:
    """SMTP when a host is configured, else the outbox folder in the data dir.

    With `smtp.auth = "oauth2"` the caller passes the token source (`services.mailauth.transport_for` does). SMTP
    connections take the mailbox's connection slots in the data folder (`[limits] max_connections`)."""
    if settings.smtp.host:
        return SmtpTransport(settings.smtp, concurrency=settings.limits.concurrency, token_source=token_source,
                             slots=connection_slots(settings, data_dir))
    return OutboxTransport(outbox_dir(data_dir))
