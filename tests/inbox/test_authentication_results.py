"""A plain "unsubscribe" e-mail (no token) acts on its sender only when the receiving server's own
Authentication-Results says DMARC passed for the From domain; a `dmarc=pass` the sender wrote never counts.
Header shapes from Microsoft's documentation of Exchange Online's header and RFC 8601 / OpenDMARC."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from bulletin_tui.mailbox.authresults import authserv_id, dmarc_pass_for
from bulletin_tui.mailbox.classify import classify
from bulletin_tui.mailbox.message import parse_mail
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.inbox.effects import Context, apply
from bulletin_tui.services.inbox.matching import sent_index
from bulletin_tui.services.inbox.records import MessageState
from bulletin_tui.services.subscribers.tokens import find_tokens

from .conftest import READERS

PERSON = READERS[0]  # robin.reader@gravesham.example
DOMAIN = PERSON.rpartition("@")[2]
EXCHANGE_PASS = (f"spf=pass (sender IP is 192.0.2.10) smtp.mailfrom={DOMAIN}; dkim=pass (signature was verified) "
                 f"header.d={DOMAIN};dmarc=pass action=none header.from={DOMAIN};compauth=pass reason=100")
EXCHANGE_FAIL = (f"spf=fail (sender IP is 198.51.100.7) smtp.mailfrom={DOMAIN}; dkim=none (message not signed) "
                 f"header.d=none;dmarc=fail action=quarantine header.from={DOMAIN};compauth=fail reason=000")
FORGED_PASS = f"mx.kent.gov.uk; dmarc=pass (p=reject dis=none) header.from={DOMAIN}"
OPENDMARC_PASS = f"mx.kent.gov.uk; dmarc=pass (p=none dis=none) header.from={DOMAIN}"


def _request(*results: str) -> bytes:
    """'Please unsubscribe me' from PERSON with these Authentication-Results headers, topmost first."""
    message = EmailMessage()
    for value in results:
        message["Authentication-Results"] = value
    message["From"], message["To"] = PERSON, "kentcommunitysafetyteam@kent.gov.uk"
    message["Subject"], message["Message-ID"] = "unsubscribe", "<plain-unsub@gravesham.example>"
    message.set_content("Please unsubscribe me.\n")
    return message.as_bytes()


def _state(ctx: AppContext, raw: bytes) -> MessageState:
    mail = parse_mail(raw)
    return apply(Context(app=ctx, sent=sent_index(ctx)), mail, classify(mail, find_tokens), "plain-unsub").state


def _subscribed(ctx: AppContext) -> bool:
    person = ctx.store.subscribers.get(PERSON)
    return person is not None and person.is_subscribed("e-bulletin")


def test_exchange_onlines_own_pass_unsubscribes(inbox_ctx: AppContext) -> None:
    assert _state(inbox_ctx, _request(EXCHANGE_PASS)) is MessageState.APPLIED and not _subscribed(inbox_ctx)


def test_a_pass_the_sender_wrote_below_the_servers_fail_is_ignored(inbox_ctx: AppContext) -> None:
    assert _state(inbox_ctx, _request(EXCHANGE_FAIL, FORGED_PASS)) is MessageState.REVIEW and _subscribed(inbox_ctx)


def test_no_header_at_all_goes_to_review(inbox_ctx: AppContext) -> None:
    assert _state(inbox_ctx, _request()) is MessageState.REVIEW and _subscribed(inbox_ctx)


def test_with_an_authserv_id_only_that_servers_header_counts(inbox_ctx: AppContext) -> None:
    inbox_ctx.settings.imap.trusted_authserv_id = "mx.kent.gov.uk"
    forged_on_top = f"attacker.example; dmarc=pass header.from={DOMAIN}"
    assert _state(inbox_ctx, _request(forged_on_top, f"mx.kent.gov.uk; dmarc=fail header.from={DOMAIN}")) \
        is MessageState.REVIEW
    assert _subscribed(inbox_ctx)
    assert _state(inbox_ctx, _request(OPENDMARC_PASS)) is MessageState.APPLIED and not _subscribed(inbox_ctx)


@pytest.mark.parametrize(("value", "expected"), [
    (OPENDMARC_PASS, "mx.kent.gov.uk"), (EXCHANGE_PASS, ""), ("example.com 1; spf=pass", "example.com"),
    ("mx.kent.gov.uk; none", "mx.kent.gov.uk"), ("", ""),
])
def test_authserv_id(value: str, expected: str) -> None:
    assert authserv_id(value) == expected


def test_a_pass_for_another_domain_does_not_count() -> None:
    message = parse_mail(_request("mx.kent.gov.uk; dmarc=pass header.from=attacker.example")).message
    assert not dmarc_pass_for(message, DOMAIN)
    assert dmarc_pass_for(message, "attacker.example")
