"""ARF reports act only when they are abuse complaints about a message we sent: other types, and reports that name
someone without referring to our message, are recorded for review and change nobody (RFC 5965, RFC 6591)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_tui.mailbox.classify import Kind, classify
from bulletin_tui.mailbox.message import parse_mail
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.inbox.effects import Context, apply
from bulletin_tui.services.inbox.matching import sent_index
from bulletin_tui.services.inbox.records import MessageState
from bulletin_tui.services.subscribers.suppression import suppression_reason
from bulletin_tui.services.subscribers.tokens import find_tokens

from .conftest import BOUNCED, CORPUS, READERS

REPORT = (CORPUS / "arf-complaint.eml").read_bytes()
COMPLAINER, OUR_MESSAGE = BOUNCED["arf-complaint.eml"]
AUTH_FAILURE = b"""Feedback-Type: auth-failure
User-Agent: SomeDKIMFilter/1.0
Version: 1
Original-Mail-From: <kentcommunitysafetyteam@kent.gov.uk>
Original-Rcpt-To: <annoyed.reader@hotmail.example>
Auth-Failure: dkim
DKIM-Canonicalized-Body: VGhpcyBpcyBhIG1lc3NhZ2UgYm9keSB0aGF0IGdvdCBtb2RpZmllZCBpbiB0cmFuc2l0Lgo=
DKIM-Domain: kent.gov.uk
DKIM-Identity: @kent.gov.uk
DKIM-Selector: selector1
Reported-Domain: kent.gov.uk
"""


def _apply(ctx: AppContext, raw: bytes) -> MessageState:
    mail = parse_mail(raw)
    found = classify(mail, find_tokens)
    assert found.kind is Kind.COMPLAINT, found
    return apply(Context(app=ctx, sent=sent_index(ctx)), mail, found, "test-report").state


def _subscribed(ctx: AppContext, address: str) -> bool:
    person = ctx.store.subscribers.get(address)
    return person is not None and any(person.is_subscribed(s) for s in person.lists)


def _with_feedback_block(block: bytes) -> bytes:
    head, _, rest = REPORT.partition(b"Feedback-Type: abuse\n")
    _, _, tail = rest.partition(b"Reported-Domain: kent.gov.uk\n")
    return head + block + tail


@pytest.mark.parametrize("feedback_type", [b"not-spam", b"fraud", b"virus", b"other", b"opt-out"])
def test_a_report_that_is_not_an_abuse_complaint_goes_to_review(inbox_ctx: AppContext, feedback_type: bytes) -> None:
    raw = REPORT.replace(b"Feedback-Type: abuse", b"Feedback-Type: " + feedback_type)
    assert _apply(inbox_ctx, raw) is MessageState.REVIEW
    assert _subscribed(inbox_ctx, COMPLAINER) and suppression_reason(inbox_ctx, COMPLAINER) is None


def test_a_dmarc_or_dkim_auth_failure_report_goes_to_review(inbox_ctx: AppContext) -> None:
    """RFC 6591's example shape: a report about our signature, not about the person."""
    assert _apply(inbox_ctx, _with_feedback_block(AUTH_FAILURE)) is MessageState.REVIEW
    assert _subscribed(inbox_ctx, COMPLAINER) and suppression_reason(inbox_ctx, COMPLAINER) is None


def test_a_report_with_no_feedback_type_goes_to_review(inbox_ctx: AppContext) -> None:
    assert _apply(inbox_ctx, REPORT.replace(b"Feedback-Type: abuse\n", b"")) is MessageState.REVIEW
    assert _subscribed(inbox_ctx, COMPLAINER)


def test_a_forged_report_naming_someone_without_our_message_changes_nobody(inbox_ctx: AppContext) -> None:
    """Anyone can write Original-Rcpt-To: victim; only a report returning a message we sent that person acts."""
    victim = READERS[0]
    raw = (REPORT.replace(COMPLAINER.encode(), victim.encode())
           .replace(OUR_MESSAGE.encode(), b"<made-up-0001@kent.gov.uk>"))
    assert _apply(inbox_ctx, raw) is MessageState.REVIEW
    assert _subscribed(inbox_ctx, victim) and suppression_reason(inbox_ctx, victim) is None


def test_a_report_acts_on_the_person_we_sent_the_message_to_not_the_one_it_names(inbox_ctx: AppContext) -> None:
    victim = READERS[0]
    raw = REPORT.replace(f"Original-Rcpt-To: <{COMPLAINER}>".encode(), f"Original-Rcpt-To: <{victim}>".encode())
    assert _apply(inbox_ctx, raw) is MessageState.APPLIED
    assert _subscribed(inbox_ctx, victim) and suppression_reason(inbox_ctx, victim) is None
    assert not _subscribed(inbox_ctx, COMPLAINER) and suppression_reason(inbox_ctx, COMPLAINER) is not None


def test_the_genuine_abuse_complaint_still_unsubscribes_and_suppresses(inbox_ctx: AppContext) -> None:
    assert _apply(inbox_ctx, REPORT) is MessageState.APPLIED
    assert not _subscribed(inbox_ctx, COMPLAINER)
    assert (suppression_reason(inbox_ctx, COMPLAINER) or "").startswith("complaint")


def test_the_corpus_file_is_what_the_tests_vary() -> None:
    assert b"Feedback-Type: abuse\n" in REPORT and OUR_MESSAGE.encode() in REPORT
    assert Path(CORPUS / "arf-complaint.eml").stat().st_size < 4096
