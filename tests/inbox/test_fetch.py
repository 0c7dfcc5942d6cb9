"""`inbox fetch` against a real Dovecot: every corpus message recorded once, effects in the database, messages
filed; a second pass changes nothing; a dry run changes neither the mailbox nor the database."""

from __future__ import annotations

import hashlib
import imaplib
import re

from bulletin_tui.domain.sessions import RegistrationStatus
from bulletin_tui.locations import ledger_dir
from bulletin_tui.sending.ledger import read_records
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.inbox.fetch import fetch_inbox
from bulletin_tui.services.inbox.records import MessageState, bounce_scores, inbox_actions, inbox_messages
from bulletin_tui.services.sessions.registrations import registration_id
from bulletin_tui.services.subscribers.suppression import suppression_reason

from .conftest import BOUNCED, READERS, SESSION_UID, WAITING, deliver_corpus, token_reply
from .conftest import TeamMailbox as Dovecot


def folder_count(client: imaplib.IMAP4, name: str) -> int:
    """Messages in a folder named with `/` (as in the settings), in the server's own separator."""
    separator = re.search(rb'\) "(.)"', client.list('""', '""')[1][0])
    name = name.replace("/", separator.group(1).decode() if separator else "/")
    status, data = client.status(f'"{name}"', "(MESSAGES)")
    if status != "OK":
        return 0
    return int(data[0].split(b"MESSAGES ")[1].rstrip(b")"))


def test_one_pass_records_every_message_and_files_it(inbox_ctx: AppContext, dovecot: Dovecot,
                                                     imap: imaplib.IMAP4) -> None:
    ctx = inbox_ctx
    names = deliver_corpus(dovecot)
    dovecot.deliver(token_reply(ctx))
    report = fetch_inbox(ctx, imap)
    kinds = report.counts()
    assert kinds == {"bounce": 6, "complaint": 1, "calendar reply": 4, "auto-reply": 2, "unsubscribe request": 3,
                     "other": 3}, kinds
    assert len(inbox_messages(ctx)) == len(names) + 1

    # bounces: scored; the 5.1.x ones reached nobody's threshold on one day, the ledger says "bounced"
    scores = {s.key: s for s in bounce_scores(ctx)}
    assert scores["dana.old@maidstone.example"].hard == 1 and scores["sam.full@swale.example"].score == 0.5
    bounced_events = [r for r in read_records(ledger_dir(ctx.data_dir) / "2026-12-e-bulletin.jsonl")
                      if r.get("event") == "bounced"]
    assert sorted(r["recipient"] for r in bounced_events) == sorted(
        a for n, (a, _) in BOUNCED.items() if n != "arf-complaint.eml")

    # complaint: unsubscribed from everything and suppressed
    complainer = ctx.store.subscribers.get("annoyed.reader@hotmail.example")
    assert complainer is not None and not any(complainer.is_subscribed(s) for s in complainer.lists)
    assert suppression_reason(ctx, "annoyed.reader@hotmail.example", ).startswith("complaint")

    # calendar replies: a decline frees the place and promotes the waiting list; an accept is noted
    chris = ctx.store.registrations.get(registration_id("csis-2027-01", "chris.officer@tunbridgewells.example"))
    wendy = ctx.store.registrations.get(registration_id("csis-2027-01", WAITING))
    alex = ctx.store.registrations.get(registration_id("csis-2027-01", "alex.warden@kent.gov.uk"))
    assert chris.status is RegistrationStatus.CANCELLED and wendy.status is RegistrationStatus.CONFIRMED
    assert alex.reply == "accepted"
    assert ctx.store.sessions.get("csis-2027-01").uid == SESSION_UID

    # unsubscribes: the token reply is applied; the authenticated plain request too
    assert not ctx.store.subscribers.get(READERS[1]).is_subscribed("e-bulletin")
    robin = ctx.store.subscribers.get(READERS[0])
    assert not any(robin.is_subscribed(s) for s in robin.lists)

    # review: the registration request has its session preselected; the Apple reply (not registered) waits
    review = {m.key: m for m in inbox_messages(ctx) if m.state is MessageState.REVIEW}
    request = next(m for m in review.values() if "Booking" in m.subject)
    assert request.suggestion == "csis-2027-01"
    assert report.waiting_review == len(review) >= 4

    assert folder_count(imap, "INBOX") == 0
    assert folder_count(imap, "bulletin-tui/needs-review") == len(review)
    assert folder_count(imap, "bulletin-tui/processed") == len(names) + 1 - len(review)


def test_a_second_pass_changes_nothing(inbox_ctx: AppContext, dovecot: Dovecot, imap: imaplib.IMAP4) -> None:
    deliver_corpus(dovecot)
    fetch_inbox(inbox_ctx, imap)
    database = (inbox_ctx.data_dir / "bulletin.json").read_bytes()
    actions = len(inbox_actions(inbox_ctx))
    again = fetch_inbox(inbox_ctx, imap)
    assert again.handled == []
    assert (inbox_ctx.data_dir / "bulletin.json").read_bytes() == database
    assert len(inbox_actions(inbox_ctx)) == actions


def test_the_same_messages_delivered_again_are_not_applied_twice(inbox_ctx: AppContext, dovecot: Dovecot,
                                                                 imap: imaplib.IMAP4) -> None:
    """A crash after the write but before the move leaves the messages in INBOX: they are filed, not re-applied."""
    deliver_corpus(dovecot, ["gmail-dsn.eml", "outlook-itip-declined.eml"])
    fetch_inbox(inbox_ctx, imap)
    actions = len(inbox_actions(inbox_ctx))
    deliver_corpus(dovecot, ["gmail-dsn.eml", "outlook-itip-declined.eml"])
    report = fetch_inbox(inbox_ctx, imap)
    assert [h.again for h in report.handled] == [True, True]
    assert len(inbox_actions(inbox_ctx)) == actions
    assert folder_count(imap, "INBOX") == 0


def test_dry_run_changes_neither_mailbox_nor_database(inbox_ctx: AppContext, dovecot: Dovecot,
                                                      imap: imaplib.IMAP4) -> None:
    names = deliver_corpus(dovecot)
    before = hashlib.sha256((inbox_ctx.data_dir / "bulletin.json").read_bytes()).hexdigest()
    ledger = (ledger_dir(inbox_ctx.data_dir) / "2026-12-e-bulletin.jsonl").read_bytes()
    report = fetch_inbox(inbox_ctx, imap, dry_run=True)
    assert len(report.handled) == len(names)
    assert any(h.actions for h in report.handled)  # it says what would happen
    assert hashlib.sha256((inbox_ctx.data_dir / "bulletin.json").read_bytes()).hexdigest() == before
    assert (ledger_dir(inbox_ctx.data_dir) / "2026-12-e-bulletin.jsonl").read_bytes() == ledger
    assert len(inbox_messages(inbox_ctx)) == 0
    assert folder_count(imap, "INBOX") == len(names)


def test_bounce_limits_come_from_the_settings(inbox_ctx: AppContext, dovecot: Dovecot, imap: imaplib.IMAP4) -> None:
    """[imap] hard_bounce_limit = 1: the first hard bounce suppresses (the default, 2, waits for a second)."""
    ctx = inbox_ctx
    ctx.settings.imap.hard_bounce_limit = 1
    deliver_corpus(dovecot)
    fetch_inbox(ctx, imap)
    assert bounce_scores(ctx).get("dana.old@maidstone.example").hard == 1  # type: ignore[union-attr]
    assert suppression_reason(ctx, "dana.old@maidstone.example").startswith("bounced")  # type: ignore[union-attr]
    assert suppression_reason(ctx, "sam.full@swale.example") is None  # a soft bounce: 0.5 of 5.0
