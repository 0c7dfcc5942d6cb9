"""Delivering session mail: outbox files, a real SMTP server, crash recovery from the ledger, skips."""

from __future__ import annotations

from bulletin_tui.config import SmtpSettings
from bulletin_tui.locations import ledger_dir, outbox_dir
from bulletin_tui.sending.ledger import Ledger, State, stamp
from bulletin_tui.sending.smtp import SmtpTransport
from bulletin_tui.services.mailings.session_delivery import (
    LEDGER_NAME,
    deliver_pending,
    deliver_pending_async,
    resend_uncertain,
)
from bulletin_tui.services.sessions import registrations
from bulletin_tui.services.sessions.mail import MailOutcome, mail_queue, pending_mail
from bulletin_tui.services.subscribers.suppression import suppress
from tests.sending.smtp_server import running_server

from .ics_checks import parse_both


def test_outbox_gets_one_eml_per_message_and_the_queue_empties(ctx, make_session):
    make_session("s1")
    for n in range(3):
        registrations.register(ctx, "s1", f"p{n}@example.org")
    sent = deliver_pending(ctx)
    assert [d.outcome for d in sent] == [MailOutcome.SENT] * 3
    files = sorted(outbox_dir(ctx.data_dir).glob("*.eml"))
    assert [f.name.split("-", 1)[1] for f in files] == [f"p{n}@example.org.eml" for n in range(3)]
    assert pending_mail(ctx) == [] and deliver_pending(ctx) == []
    assert b"p0@example.org" not in (ledger_dir(ctx.data_dir) / LEDGER_NAME).read_bytes()  # ids, no addresses


async def test_real_smtp_server_receives_the_invite(ctx, make_session):
    make_session("s1", join_link="https://teams.microsoft.com/l/meetup-join/x")
    registrations.register(ctx, "s1", "jo@example.org", name="Jo")
    async with running_server() as server:
        transport = SmtpTransport(SmtpSettings(host=server.host, port=server.port, security="none"))
        try:
            [result] = await deliver_pending_async(ctx, transport)
        finally:
            await transport.close()
    assert result.outcome is MailOutcome.SENT
    # real sends count against the installation's shared allowance (outbox writes do not)
    assert (ledger_dir(ctx.data_dir) / "send-times.log").read_text().count("\n") == 1
    [received] = server.messages
    assert received.rcpt_tos == ["jo@example.org"]
    assert received.mail_from == ctx.settings.sender.from_address
    calendar = next(p for p in received.parsed().walk() if p.get_content_type() == "text/calendar")
    assert parse_both(calendar.get_payload(decode=True)).method == "REQUEST"


async def test_permanent_refusal_is_recorded_and_not_retried(ctx, make_session):
    make_session("s1")
    registrations.register(ctx, "s1", "gone@example.org")
    async with running_server() as server:
        server.script.rcpt["gone@example.org"] = ["550 5.1.1 no such user"]
        transport = SmtpTransport(SmtpSettings(host=server.host, port=server.port, security="none"))
        try:
            [result] = await deliver_pending_async(ctx, transport)
        finally:
            await transport.close()
    assert result.outcome is MailOutcome.FAILED and "550" in result.reply
    assert pending_mail(ctx) == []


def test_crash_after_attempt_is_uncertain_and_not_resent(ctx, make_session):
    make_session("s1")
    registrations.register(ctx, "s1", "a@example.org")
    registrations.register(ctx, "s1", "b@example.org")
    first, second = pending_mail(ctx)
    ledger = Ledger(ledger_dir(ctx.data_dir) / LEDGER_NAME)  # as if killed mid-send, and after one 250
    ledger.append({"at": stamp(ctx.clock.now()), "key": first.id, "state": State.ATTEMPTING.value})
    ledger.append({"at": stamp(ctx.clock.now()), "key": second.id, "state": State.ATTEMPTING.value})
    ledger.append({"at": stamp(ctx.clock.now()), "key": second.id, "state": State.SENT.value, "reply": "250 ok"})
    ledger.close()
    [shown] = deliver_pending(ctx)  # the interrupted one is reported, not resent
    assert (shown.mail_id, shown.outcome) == (first.id, MailOutcome.UNCERTAIN)
    outcomes = {m.id: m.outcome for m in mail_queue(ctx)}
    assert outcomes == {first.id: MailOutcome.UNCERTAIN, second.id: MailOutcome.SENT}
    assert list(outbox_dir(ctx.data_dir).glob("*.eml")) == []
    assert [m.id for m in resend_uncertain(ctx)] == [first.id]
    [again] = deliver_pending(ctx)
    assert (again.mail_id, again.outcome) == (first.id, MailOutcome.SENT)


def test_suppressed_addresses_are_skipped(ctx, make_session):
    make_session("s1")
    registrations.register(ctx, "s1", "bounced@example.org")
    suppress(ctx, "bounced@example.org", "hard bounce")
    [result] = deliver_pending(ctx)
    assert result.outcome is MailOutcome.SKIPPED and "suppressed" in result.reply


def test_cancel_for_someone_never_invited_is_skipped(ctx, make_session):
    make_session("s1")
    registrations.register(ctx, "s1", "quick@example.org")
    registrations.cancel_registration(ctx, "s1", "quick@example.org")
    results = deliver_pending(ctx)
    assert [(r.kind.value, r.outcome.value) for r in results] == [("invite", "skipped"), ("withdrawn", "skipped")]


async def test_shared_daily_allowance_stops_the_run_and_keeps_the_rest(ctx, make_session):
    from bulletin_tui.sending.ratelimit import RateLimiter
    from bulletin_tui.sending.transport import OutboxTransport

    make_session("s1")
    for n in range(3):
        registrations.register(ctx, "s1", f"p{n}@example.org")
    limiter = RateLimiter(ctx.clock, per_minute=0, per_day=2)
    sent = await deliver_pending_async(ctx, OutboxTransport(outbox_dir(ctx.data_dir)), limiter=limiter)
    assert [d.to for d in sent if not d.paused] == ["p0@example.org", "p1@example.org"]
    assert sent[-1].paused and "daily sending limit" in sent[-1].reply  # says why the rest wait
    assert [m.registration_id for m in pending_mail(ctx)] == [registrations.registration_id("s1", "p2@example.org")]


def test_no_invite_for_a_session_that_is_over(ctx, make_session):
    make_session("past", start="2026-11-20 12:30", end="13:30")
    registrations.register(ctx, "past", "late@example.org")  # recorded for attendance after the event
    [result] = deliver_pending(ctx)
    assert result.outcome is MailOutcome.SKIPPED and "over" in result.reply
