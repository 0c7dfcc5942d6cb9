"""One malformed message never stops a pass: it is filed for review with the reason, and what comes after it
(a genuine unsubscribe) is applied. Tried through a real Dovecot, and fuzzed over 1,000 malformed shapes."""

from __future__ import annotations

import imaplib
import time
from dataclasses import dataclass
from email.message import EmailMessage

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin_tui.mailbox.message import parse_mail
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.inbox.effects import Context
from bulletin_tui.services.inbox.fetch import _apply_batch, fetch_inbox, message_key
from bulletin_tui.services.inbox.matching import sent_index
from bulletin_tui.services.inbox.records import MessageState, inbox_messages

from .conftest import READERS, token_reply
from .conftest import TeamMailbox as Dovecot


def _nested(depth: int) -> bytes:
    opening = "".join(f"Content-Type: multipart/mixed; boundary=b{n}\n\n--b{n}\n" for n in range(depth))
    closing = "".join(f"--b{n}--\n" for n in reversed(range(depth)))
    return (f"From: deep@nest.example\nSubject: deep\nMessage-ID: <deep-1@nest.example>\nMIME-Version: 1.0\n"
            f"{opening}Content-Type: text/plain\n\nhello\n{closing}").encode()


POISONED = {
    "bare angle": b"From: a@b.example\r\nTo: kcst@kent.gov.uk\r\nSubject: hi\r\nMessage-ID: <\r\n\r\nhello\r\n",
    "nested 1,000 deep": _nested(1000),
    "bad encoded words": (b"From: =?utf-8?q?=E2=80?= <x@y.example>\r\nSubject: =?bogus-charset?b?////?=\r\n"
                          b"Message-ID: <<>>\r\nContent-Type: text/plain; charset=\"no-such\"\r\n\r\n\xff\xfe\r\n"),
}


def test_a_poisoned_message_goes_to_review_and_the_unsubscribe_behind_it_is_applied(
        inbox_ctx: AppContext, dovecot: Dovecot, imap: imaplib.IMAP4) -> None:
    dovecot.deliver_many([*POISONED.values(), token_reply(inbox_ctx, "<after-the-poison@ashford.example>")])
    report = fetch_inbox(inbox_ctx, imap, batch=2)
    states = [h.state for h in report.handled]
    assert states.count(MessageState.REVIEW) == 3 and states.count(MessageState.APPLIED) == 1, report.handled
    person = inbox_ctx.store.subscribers.get(READERS[1])
    assert person is not None and not person.is_subscribed("e-bulletin")
    deep = next(m for m in inbox_messages(inbox_ctx) if m.sender == "deep@nest.example")
    assert deep.state is MessageState.REVIEW and "could not be parsed (RecursionError)" in deep.reason
    assert fetch_inbox(inbox_ctx, imap).handled == []  # all filed: the next pass has nothing left


@dataclass
class _Folder:
    """What recording needs of the IMAP folder: its name and UIDVALIDITY (the fuzz needs no server)."""

    name: str = "INBOX"
    uidvalidity: int = 1


HEADERS = ["Message-ID", "From", "To", "Subject", "Content-Type", "Date", "In-Reply-To", "References",
           "Auto-Submitted", "Authentication-Results", "Content-Transfer-Encoding", "X-Failed-Recipients"]
JUNK = st.sampled_from(["<", "<<>>", ">", "<@>", '"', "\\", "=?utf-8?q?=E2?=", "=?x?b?@@?=", "@", ";", "(", ")",
                        "multipart/report; report-type=delivery-status", "multipart/mixed; boundary=",
                        "text/calendar; method=REPLY", "message/rfc822", "base64", "a@", "@b", "\udcff", "\x00"])
VALUES = st.lists(st.one_of(JUNK, st.text(max_size=12)), max_size=5).map("".join)
BODIES = st.sampled_from(["", "--\n", "--x\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822;<\n",
                          "--x\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nOriginal-Rcpt-To: <\n",
                          "BEGIN:VCALENDAR\nMETHOD:REPLY\nBEGIN:VEVENT\nATTENDEE;PARTSTAT=DECLINED:mailto:\n"
                          "UID:\nEND:VEVENT\nEND:VCALENDAR\n", "unsubscribe\n", "> unsubscribe\n"])


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(headers=st.lists(st.tuples(st.sampled_from(HEADERS), VALUES), max_size=8), body=BODIES)
def test_no_malformed_shape_escapes_a_pass(inbox_ctx: AppContext, headers: list[tuple[str, str]], body: str) -> None:
    """Parse, key, classify, apply and record: whatever the shape, the message ends recorded, never raised."""
    raw = "".join(f"{name}: {value}\r\n" for name, value in headers).encode("utf-8", "surrogateescape")
    raw += b"\r\n" + body.encode("utf-8", "surrogateescape")
    mail = parse_mail(raw)
    key = message_key(mail, raw)
    run = Context(inbox_ctx, sent_index(inbox_ctx), dry_run=True)
    handled = _apply_batch(run, _Folder(), [(1, key, mail)], True, {})  # type: ignore[arg-type]
    assert [h.key for h in handled] == [key]


def _big(megabytes: float) -> bytes:
    message = EmailMessage()
    message["From"], message["To"] = "sender@big.example", "kentcommunitysafetyteam@kent.gov.uk"
    message["Subject"], message["Message-ID"] = "Our annual report (attached)", "<big-1@big.example>"
    message.set_content("Please see the attached report.")
    message.add_attachment(b"\x00" * int(megabytes * 1_000_000), maintype="application", subtype="pdf",
                           filename="report.pdf")
    return message.as_bytes()


def _many_parts(count: int) -> bytes:
    parts = "".join(f"--p\r\nContent-Type: text/plain\r\n\r\npart {n}\r\n" for n in range(count))
    return (f"From: parts@many.example\r\nSubject: parts\r\nMessage-ID: <parts-1@many.example>\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: multipart/mixed; boundary=p\r\n\r\n{parts}--p--\r\n").encode()


def test_a_message_over_the_size_limit_or_with_thousands_of_parts_goes_to_review_unread(
        inbox_ctx: AppContext, dovecot: Dovecot, imap: imaplib.IMAP4) -> None:
    inbox_ctx.settings.imap.max_message_mb = 3  # the 50,000-part message (2.3 MB) is under it
    dovecot.deliver_many([_big(3), _many_parts(50_000), token_reply(inbox_ctx)])
    started = time.perf_counter()
    report = fetch_inbox(inbox_ctx, imap)
    assert time.perf_counter() - started < 15  # 50,000 parts used to take 20 s to parse alone
    by_sender = {m.sender: m for m in inbox_messages(inbox_ctx)}
    big, parts = by_sender["sender@big.example"], by_sender["parts@many.example"]
    assert big.state is MessageState.REVIEW
    assert big.reason == "too large to read (4 MB; the limit is 3 MB)"  # 3 MB of attachment in base64
    assert big.subject == "Our annual report (attached)" and big.note == big.reason  # headers read, reason shown
    assert parts.state is MessageState.REVIEW and "50,001 part boundaries: not parsed" in parts.reason
    person = inbox_ctx.store.subscribers.get(READERS[1])
    assert person is not None and not person.is_subscribed("e-bulletin")
    assert len(report.handled) == 3
