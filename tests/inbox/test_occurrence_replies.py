"""Calendar replies to a session on several dates, through a real Dovecot: a decline frees the place on the date
whose UID it answers (that date's waiting list is promoted); a decline for a date the person has moved away from
is left for review and changes nothing."""

from __future__ import annotations

import imaplib

import pytest

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.domain.sessions import RegistrationStatus
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.inbox.fetch import fetch_inbox
from bulletin_tui.services.inbox.records import MessageState, inbox_messages
from bulletin_tui.services.inbox.review import register_sender, review_queue
from bulletin_tui.services.sessions import catalogue, moves, occurrences, registrations

from .conftest import REGISTERED, SESSION_UID, WAITING, deliver_corpus
from .conftest import TeamMailbox as Dovecot

CHRIS = REGISTERED[0]  # the corpus decline is his, for SESSION_UID


def _second_date(ctx: AppContext) -> None:
    start, end = catalogue.parse_times("2027-01-28 12:30", "13:30")
    occurrences.add_occurrence(ctx, "csis-2027-01", start=start, end=end)
    registrations.register(ctx, "csis-2027-01", "later@example.org", occurrence="2")


def _status(ctx: AppContext, email: str) -> tuple[str, str]:
    found = ctx.store.registrations.get(registrations.registration_id("csis-2027-01", email))
    assert found is not None
    return found.occurrence_id, found.status.value


def test_a_decline_frees_the_place_on_its_own_date(
    inbox_ctx: AppContext, dovecot: Dovecot, imap: imaplib.IMAP4
) -> None:
    _second_date(inbox_ctx)
    assert catalogue.get_session(inbox_ctx, "csis-2027-01").occurrence("1").uid == SESSION_UID  # type: ignore
    deliver_corpus(dovecot, ["outlook-itip-declined.eml"])
    fetch_inbox(inbox_ctx, imap)
    assert _status(inbox_ctx, CHRIS) == ("1", RegistrationStatus.CANCELLED.value)
    assert _status(inbox_ctx, WAITING) == ("1", RegistrationStatus.CONFIRMED.value)
    assert _status(inbox_ctx, "later@example.org") == ("2", RegistrationStatus.CONFIRMED.value)


def test_a_decline_for_a_date_they_left_is_reviewed(
    inbox_ctx: AppContext, dovecot: Dovecot, imap: imaplib.IMAP4
) -> None:
    _second_date(inbox_ctx)
    moved = moves.move_registration(inbox_ctx, registrations.registration_id("csis-2027-01", CHRIS), "2")
    assert [r.email for r in moved.promoted] == [WAITING]
    deliver_corpus(dovecot, ["outlook-itip-declined.eml"])
    fetch_inbox(inbox_ctx, imap)
    assert _status(inbox_ctx, CHRIS) == ("2", RegistrationStatus.CONFIRMED.value)
    [message] = [m for m in inbox_messages(inbox_ctx) if m.state is MessageState.REVIEW]
    assert "no longer registered for (moved to another date)" in message.note


def test_registering_the_sender_needs_a_date(inbox_ctx: AppContext, dovecot: Dovecot, imap: imaplib.IMAP4) -> None:
    _second_date(inbox_ctx)
    deliver_corpus(dovecot, ["register-me.eml"])
    fetch_inbox(inbox_ctx, imap)
    [message] = review_queue(inbox_ctx)
    with pytest.raises(DomainError, match=r"has 2 dates; choose one: 1 = Thursday 14 January 2027; 2 = "):
        register_sender(inbox_ctx, "1")
    assert review_queue(inbox_ctx) == [message]  # nothing changed
    action = register_sender(inbox_ctx, "1", occurrence="2")
    assert action.detail == "registered for csis-2027-01: confirmed"
    assert _status(inbox_ctx, "jordan.housing@folkestone-hythe.example") == ("2", "confirmed")
