"""A Dovecot server with the corpus delivered, and a database that knows the people and messages it speaks of."""

from __future__ import annotations

import contextlib
import imaplib
import os
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from bulletin_tui.locations import ledger_dir
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions import catalogue, registrations
from bulletin_tui.services.subscribers.lists import add_list
from bulletin_tui.services.subscribers.people import add_subscriber

from ..conftest import IN_CI
from ..mailauth.pki import make_pki
from ..mailserver.dovecot import Dovecot, dovecot_binary, running_dovecot

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


USER, PASSWORD = "kcst@kent.gov.uk", "test-password-not-secret"


@dataclass
class TeamMailbox:
    """The team mailbox in a real Dovecot (implicit TLS with a test CA, password sign-in)."""

    server: Dovecot
    ca_file: Path
    user: str = USER
    password: str = PASSWORD

    @property
    def port(self) -> int:
        return self.server.imaps_port

    @property
    def maildir(self) -> Path:
        return self.server.maildir(self.user)

    def deliver(self, raw: bytes) -> None:
        self.server.deliver(self.user, raw)

    def deliver_many(self, raws: list[bytes]) -> None:
        """Many messages with one ownership pass (the harness's deliver re-owns the whole Maildir each time)."""
        if not raws:
            return
        first = self.server.deliver(self.user, raws[0])
        for number, raw in enumerate(raws[1:]):
            path = first.parent / f"{first.name}.{number}"
            path.write_bytes(raw)
            os.chown(path, first.stat().st_uid, first.stat().st_gid)

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=ssl.create_default_context(
            cafile=str(self.ca_file)))
        client.login(self.user, self.password)
        return client


@pytest.fixture(scope="session")
def pki_files(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def dovecot(pki_files: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[TeamMailbox]:
    if dovecot_binary() is None:
        if IN_CI:
            pytest.fail("dovecot is not installed (scripts/test-deps.sh installs dovecot-imapd)")
        pytest.skip("Debian dovecot-imapd is not installed (make test installs it)")
    monkeypatch.setenv("SSL_CERT_FILE", str(pki_files.ca_file))  # the app trusts the test CA, as it would a real one
    with running_dovecot(lambda token: None, cert=pki_files.server_cert, key=pki_files.server_key,
                         passwords={USER: PASSWORD}) as server:
        yield TeamMailbox(server, pki_files.ca_file)


@pytest.fixture
def imap(dovecot: TeamMailbox) -> Iterator[imaplib.IMAP4]:
    client = dovecot.client()
    yield client
    with contextlib.suppress(OSError, imaplib.IMAP4.error):
        client.logout()


def use_mailbox(ctx: AppContext, server: TeamMailbox) -> None:
    """Point the app's IMAP settings at the test Dovecot (what the Inbox screen's `f` reads)."""
    from pydantic import SecretStr

    ctx.settings = ctx.settings.model_copy(update={"imap": ctx.settings.imap.model_copy(update={
        "host": "127.0.0.1", "port": server.port, "security": "tls", "username": server.user,
        "password": SecretStr(server.password)})})


async def fetch_on_inbox_screen(app: Any, pilot: Any) -> None:
    """Key 6 opens the Inbox screen, `f` fetches; waits until the pass is applied."""
    from bulletin_tui.tui.screens.inbox import InboxScreen

    await pilot.press("6")
    assert isinstance(app.screen, InboxScreen)
    await pilot.press("f")
    await app.workers.wait_for_complete()
    await pilot.pause()


def token_reply(ctx: AppContext, key: str = "<token-reply-1@ashford.example>") -> bytes:
    """An unsubscribe e-mail from READERS[1] carrying their e-bulletin token in the subject."""
    from email.message import EmailMessage

    from bulletin_tui.services.subscribers.tokens import unsubscribe_token

    message = EmailMessage()
    message["From"], message["To"] = READERS[1], "kentcommunitysafetyteam@kent.gov.uk"
    message["Subject"] = "unsubscribe " + unsubscribe_token(ctx, READERS[1], "e-bulletin")
    message["Message-ID"] = key
    message.set_content("")
    return message.as_bytes()


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


def deliver_corpus(server: TeamMailbox, names: list[str] | None = None) -> list[str]:
    chosen = names or sorted(p.name for p in CORPUS.glob("*.eml"))
    for name in chosen:
        server.deliver((CORPUS / name).read_bytes())
    return chosen
