"""A hostile sender's reports change nobody: a delivery report acts only for the person a returned message of ours
was sent to, and a calendar Decline only when it comes from the attendee (the event UID is public)."""

from __future__ import annotations

from pathlib import Path

from bulletin_tui.domain.sessions import RegistrationStatus
from bulletin_tui.mailbox.classify import Kind, classify
from bulletin_tui.mailbox.message import parse_mail
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.inbox.effects import Context, apply
from bulletin_tui.services.inbox.matching import sent_index
from bulletin_tui.services.inbox.records import MessageState, bounce_scores
from bulletin_tui.services.sessions.registrations import registration_id
from bulletin_tui.services.subscribers.tokens import find_tokens

from .conftest import BOUNCED, CORPUS, READERS

DSN = (CORPUS / "postfix-dsn.eml").read_bytes()
BOUNCED_PERSON, OUR_MESSAGE = BOUNCED["postfix-dsn.eml"]


def _apply(ctx: AppContext, raw: bytes) -> tuple[Kind, MessageState]:
    mail = parse_mail(raw)
    found = classify(mail, find_tokens)
    return found.kind, apply(Context(app=ctx, sent=sent_index(ctx)), mail, found, "forged").state


def _scored(ctx: AppContext) -> set[str]:
    return {s.key for s in bounce_scores(ctx) if s.score > 0}


def test_a_report_that_returns_no_message_of_ours_scores_nobody(inbox_ctx: AppContext) -> None:
    victim = READERS[0]
    raw = DSN.replace(BOUNCED_PERSON.encode(), victim.encode()).replace(OUR_MESSAGE.encode(), b"<forged-1@x.example>")
    assert _apply(inbox_ctx, raw) == (Kind.BOUNCE, MessageState.REVIEW)
    assert _apply(inbox_ctx, raw.replace(b"forged-1", b"forged-2")) == (Kind.BOUNCE, MessageState.REVIEW)
    assert _scored(inbox_ctx) == set()


def test_addresses_a_report_adds_beside_our_recipient_are_not_scored(inbox_ctx: AppContext) -> None:
    """A genuine-looking report of our message to one person, listing two more: only our recipient counts."""
    extra = "".join(f"Final-Recipient: rfc822; {a}\nAction: failed\nStatus: 5.1.1\n\n" for a in READERS)
    head, marker, tail = DSN.partition(b"Final-Recipient:")
    raw = head + extra.encode() + marker + tail
    assert _apply(inbox_ctx, raw) == (Kind.BOUNCE, MessageState.APPLIED)
    assert _scored(inbox_ctx) == {BOUNCED_PERSON}


def test_the_genuine_report_still_scores_its_recipient(inbox_ctx: AppContext) -> None:
    assert _apply(inbox_ctx, DSN) == (Kind.BOUNCE, MessageState.APPLIED)
    assert _scored(inbox_ctx) == {BOUNCED_PERSON}


def test_a_decline_sent_from_another_address_frees_no_place(inbox_ctx: AppContext) -> None:
    raw = (CORPUS / "outlook-itip-declined.eml").read_bytes()
    forged = raw.replace(b"From: Chris Officer <chris.officer@tunbridgewells.example>",
                         b"From: Someone Else <attacker@example.net>")
    assert forged != raw
    assert _apply(inbox_ctx, forged) == (Kind.CALENDAR_REPLY, MessageState.REVIEW)
    chris = inbox_ctx.store.registrations.get(registration_id("csis-2027-01", "chris.officer@tunbridgewells.example"))
    assert chris is not None and chris.status is RegistrationStatus.CONFIRMED
    assert _apply(inbox_ctx, raw) == (Kind.CALENDAR_REPLY, MessageState.APPLIED)  # from the attendee: it acts


def test_the_corpus_files_are_what_the_tests_vary() -> None:
    assert OUR_MESSAGE.encode() in DSN and BOUNCED_PERSON.encode() in DSN
    assert Path(CORPUS / "outlook-itip-declined.eml").exists()
