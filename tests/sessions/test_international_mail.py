"""Session mail to international addresses (issue #11 item 7): one bad message never blocks the queue, and
addresses are written correctly (RFC 2047 names, A-label domains, SMTPUTF8 only for a UTF-8 local part)."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

import pytest

from bulletin_tui.config import SmtpSettings
from bulletin_tui.locations import ledger_dir, outbox_dir
from bulletin_tui.sending.smtp import SmtpTransport
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.mailings import session_delivery as delivery
from bulletin_tui.services.mailings.session_delivery import LEDGER_NAME, deliver_pending_async
from bulletin_tui.services.sessions import registrations
from bulletin_tui.services.sessions.mail import MailOutcome, mail_queue, pending_mail
from tests.conftest import CliRun
from tests.sending.smtp_server import Received, running_server

PEOPLE = [("jöhn@example.org", "Jöhn"), ("ute@bücher.example", "Ute Müller"), ("ann@example.org", "Ann, Smith")]


def parsed(raw: bytes) -> EmailMessage:
    """The message as a reader's client sees it (UTF-8 headers allowed, RFC 2047 decoded)."""
    message = email.message_from_string(raw.decode("utf-8"), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def to_of(raw: bytes) -> tuple[str, str]:
    [address] = parsed(raw)["To"].addresses
    return address.display_name, address.addr_spec


async def _deliver(ctx: AppContext, *, smtputf8: bool) -> tuple[list[delivery.Delivered], list[Received]]:
    async with running_server(smtputf8=smtputf8) as server:
        transport = SmtpTransport(SmtpSettings(host=server.host, port=server.port, security="none"))
        try:
            results = await deliver_pending_async(ctx, transport)
        finally:
            await transport.close()
    return results, server.messages


async def test_without_smtputf8_only_the_utf8_local_part_fails_and_the_rest_go(ctx, make_session) -> None:  # type: ignore[no-untyped-def]
    make_session("s1")
    for address, name in PEOPLE:
        registrations.register(ctx, "s1", address, name=name)
    results, received = await _deliver(ctx, smtputf8=False)
    outcomes = {r.to: (r.outcome, r.reply) for r in results}
    assert outcomes["jöhn@example.org"][0] is MailOutcome.FAILED
    assert "non-ASCII local part" in outcomes["jöhn@example.org"][1] and "SMTPUTF8" in outcomes["jöhn@example.org"][1]
    assert outcomes["ute@bücher.example"][0] is outcomes["ann@example.org"][0] is MailOutcome.SENT
    assert pending_mail(ctx) == []
    by_rcpt = {m.rcpt_tos[0]: m for m in received}
    assert sorted(by_rcpt) == ["ann@example.org", "ute@xn--bcher-kva.example"]  # the envelope uses A-labels
    ute = by_rcpt["ute@xn--bcher-kva.example"].data
    header_block = ute.split(b"\r\n\r\n", 1)[0]
    assert header_block.isascii()  # no SMTPUTF8 was used, so no raw UTF-8 in the headers
    assert b"=?utf-8?" in header_block and to_of(ute) == ("Ute Müller", "ute@xn--bcher-kva.example")
    assert to_of(by_rcpt["ann@example.org"].data) == ("Ann, Smith", "ann@example.org")


async def test_with_smtputf8_the_utf8_local_part_is_delivered_as_typed(ctx, make_session) -> None:  # type: ignore[no-untyped-def]
    make_session("s1")
    registrations.register(ctx, "s1", "jöhn@example.org", name="Jöhn")
    [result], [message] = await _deliver(ctx, smtputf8=True)
    assert result.outcome is MailOutcome.SENT and message.rcpt_tos == ["jöhn@example.org"]
    assert to_of(message.data) == ("Jöhn", "jöhn@example.org")
    assert b"=?utf-8?q?j" not in message.data  # the local part is never RFC 2047-encoded


def test_a_message_that_cannot_be_built_fails_alone(ctx, make_session, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    make_session("s1")
    for n in range(3):
        registrations.register(ctx, "s1", f"p{n}@example.org")
    real = delivery.render_mail

    def render(ctx, mail, session, registration):  # type: ignore[no-untyped-def]
        if registration.email == "p1@example.org":
            "p1@example.org ö".encode("ascii")  # raises UnicodeEncodeError, as formataddr did
        return real(ctx, mail, session, registration)

    monkeypatch.setattr(delivery, "render_mail", render)
    results = delivery.deliver_pending(ctx)
    assert [r.outcome for r in results] == [MailOutcome.SENT, MailOutcome.FAILED, MailOutcome.SENT]
    assert "could not be built (UnicodeEncodeError" in results[1].reply
    assert pending_mail(ctx) == [] and len(list(outbox_dir(ctx.data_dir).glob("*.eml"))) == 2
    failed = next(m for m in mail_queue(ctx) if m.outcome is MailOutcome.FAILED)
    assert "p1@example.org" not in failed.reply
    assert b"p1@example.org" not in (ledger_dir(ctx.data_dir) / LEDGER_NAME).read_bytes()


def test_cli_register_international_people_one_after_another(cli: CliRun) -> None:
    cli("sessions", "add", "s1", "--title", "CSIS", "--start", "2030-12-10 12:30", "--end", "13:30")
    for address, name in PEOPLE:
        assert "sent" in cli("sessions", "register", "s1", address, "--name", name)
    files = sorted((cli.data_dir / "outbox").glob("*.eml"))
    assert sorted(to_of(f.read_bytes()) for f in files) == [
        ("Ann, Smith", "ann@example.org"), ("Jöhn", "jöhn@example.org"), ("Ute Müller", "ute@xn--bcher-kva.example")]


def test_the_calendar_attendee_is_the_address_the_message_went_to(ctx, make_session) -> None:  # type: ignore[no-untyped-def]
    make_session("s1")
    registrations.register(ctx, "s1", "ute@bücher.example", name="Ute Müller")
    [result] = delivery.deliver_pending(ctx)
    message = parsed(result.message)
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    text = calendar.get_payload(decode=True).decode("utf-8").replace("\r\n ", "")
    assert "mailto:ute@xn--bcher-kva.example" in text and to_of(result.message)[1] == "ute@xn--bcher-kva.example"
