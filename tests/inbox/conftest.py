"""A Dovecot server with the corpus delivered, and a database that knows the people and messages it speaks of."""

from __future__ import annotations

import contextlib
import imaplib
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from bulletin_tui.locations import ledger_dir
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions import catalogue, registrations
from bulletin_tui.services.subscribers.lists import add_list
from bulletin_tui.services.subscribers.people import add_subscriber

from . import imap_server

CORPUS = Path(__file__).parents[1] / "data" / "inbox"
SESSION_UID = "csis-2027-01-0a1b2c3d4e5f@kent.gov.uk"
BOUNCED = {  # corpus file -> (address, Message-ID of our original)
    "exchange-ndr-5.1.10.eml": ("dana.old@maidstone.example", "<7d1e0c5a2b3f4e6a9c8d7e6f5a4b3c2d@kent.gov.uk>"),
    "exchange-ndr-5.2.2-mailbox-full.eml": ("sam.full@swale.example", "<0b9e8d7c6b5a49382716f5e4d3c2b1a0@kent.gov.uk>"),
    "exchange-ndr-5.4.1-relay-denied.eml": ("lee.partner@dartford.example",
                                            "<1c2d3e4f5a6b47c8d9e0f1a2b3c4d5e6@kent.gov.uk>"),
    "gmail-dsn.eml": ("gone.volunteer@gmail.com", "<9a8b7c6d5e4f40312a1b2c3d4e5f6a7b@kent.gov.uk>"),
    "postfix-dsn.eml": ("pat.leaver@medway.example", "<5e6f7a8b9c0d41e2f3a4b5c6d7e8f9a0@kent.gov.uk>"),
    "qmail-bounce.eml": ("jo.retired@oldhost.example", "<2b3c4d5e6f7a48b9c0d1e2f3a4b5c6d7@kent.gov.uk>"),
    "arf-complaint.eml": ("annoyed.reader@hotmail.example", "<4f5a6b7c8d9e40f1a2b3c4d5e6f7a8b9@kent.gov.uk>"),
}
READERS = ["robin.reader@gravesham.example", "taylor.reader@ashford.example"]
REGISTERED = ["chris.officer@tunbridgewells.example", "alex.warden@kent.gov.uk", "morgan.pcso@gmail.com"]
WAITING = "wendy.wait@example.org"


@pytest.fixture(scope="session")
def dovecot_available() -> None:
    if not imap_server.available():
        pytest.skip("Debian dovecot-imapd is not installed (make test installs it)")


@pytest.fixture
def dovecot(dovecot_available: None) -> Iterator[imap_server.Dovecot]:
    with imap_server.running_dovecot() as server:
        yield server


@pytest.fixture
def imap(dovecot: imap_server.Dovecot) -> Iterator[imaplib.IMAP4]:
    client = imaplib.IMAP4("127.0.0.1", dovecot.port)
    client.login(dovecot.user, dovecot.password)
    yield client
    with contextlib.suppress(OSError, imaplib.IMAP4.error):
        client.logout()


def write_sent_ledger(ctx: AppContext, campaign: str, sent: dict[str, str]) -> Path:
    """A campaign ledger saying each address was sent the message with the given Message-ID."""
    path = ledger_dir(ctx.data_dir) / f"{campaign}.jsonl"
    lines = [orjson.dumps({"at": "2026-12-04T10:02:10+00:00", "key": address, "email": address, "state": "sent",
                           "code": 250, "reply": "250 OK", "message_id": message_id})
             for address, message_id in sent.items()]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.fixture
def inbox_ctx(ctx: AppContext) -> AppContext:
    """Subscribers the corpus bounces for, a sent campaign ledger, and the session the calendar replies answer."""
    add_list(ctx, "e-bulletin", "Community Safety e-Bulletin")
    add_list(ctx, "csis", "CSIS invitations")
    for address in [a for a, _ in BOUNCED.values()] + READERS:
        add_subscriber(ctx, address, list_name="e-bulletin", source="test")
    add_subscriber(ctx, READERS[0], list_name="csis", source="test")
    write_sent_ledger(ctx, "2026-12-e-bulletin", dict(BOUNCED.values()))
    start, end = catalogue.parse_times("2027-01-14 12:30", "13:30")
    session = catalogue.create_session(ctx, slug="csis-2027-01", title="CSIS: Serious Violence Duty", start=start,
                                       end=end, capacity=3)
    ctx.store.sessions.put(session.model_copy(update={"uid": SESSION_UID}))
    for address in [*REGISTERED, WAITING]:
        registrations.register(ctx, "csis-2027-01", address)
    return ctx


def deliver_corpus(server: imap_server.Dovecot, names: list[str] | None = None) -> list[str]:
    chosen = names or sorted(p.name for p in CORPUS.glob("*.eml"))
    for name in chosen:
        server.deliver((CORPUS / name).read_bytes())
    return chosen
