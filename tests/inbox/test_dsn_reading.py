"""Reading RFC 3464 and RFC 6533 reports as MTAs really write them: the recipient blocks are split even when the
separator line holds a space, Original-Recipient wins when Final-Recipient is no usable address, every spelling of
a failed Action counts, and an undetected bounce is never filed as an auto-reply. Shapes after RFC 3464's appendix
examples (multiple-recipient failure, X.400 gateway) and RFC 6533's global delivery status."""

from __future__ import annotations

import pytest

from bulletin_tui.mailbox.classify import Kind, classify
from bulletin_tui.mailbox.message import parse_mail
from bulletin_tui.mailbox.reports import delivery_report
from bulletin_tui.services.subscribers.tokens import find_tokens

HEAD = ("From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\r\nTo: kentcommunitysafetyteam@kent.gov.uk\r\n"
        "Subject: Returned mail: User unknown\r\nMessage-ID: <dsn-{n}@mx.example.org>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"RAA14128.773615765/CS.UTK.EDU\"\r\n"
        "\r\n--RAA14128.773615765/CS.UTK.EDU\r\nContent-Type: text/plain\r\n\r\n"
        "   ----- The following addresses had delivery problems -----\r\n\r\n"
        "--RAA14128.773615765/CS.UTK.EDU\r\nContent-Type: {kind}\r\n\r\n"
        "Reporting-MTA: dns; cs.utk.edu\r\n\r\n")
TAIL = ("\r\n--RAA14128.773615765/CS.UTK.EDU\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        "Message-ID: <ours-1@kent.gov.uk>\r\nTo: someone\r\n\r\n--RAA14128.773615765/CS.UTK.EDU--\r\n")


def _report(blocks: str, kind: str = "message/delivery-status", n: int = 1) -> bytes:
    return (HEAD.format(n=n, kind=kind) + blocks + TAIL).encode("utf-8")


def _failures(raw: bytes) -> list[tuple[str, str, str]]:
    report = delivery_report(parse_mail(raw))
    assert report is not None and report.standard
    return [(f.address, f.action, f.status) for f in report.failures]


def test_two_recipients_with_a_separator_line_holding_a_space() -> None:
    blocks = ("Original-Recipient: rfc822;arathib@vnet.ibm.com\r\nFinal-Recipient: rfc822;arathib@vnet.ibm.com\r\n"
              "Action: failed\r\nStatus: 5.0.0 (permanent failure)\r\n"
              "Diagnostic-Code: smtp; 550 'arathib@vnet.IBM.COM' is not a registered gateway user\r\n \r\n"
              "Original-Recipient: rfc822;johnh@hpnjld.njd.hp.com\r\n"
              "Final-Recipient: rfc822;johnh@hpnjld.njd.hp.com\r\n"
              "Action: delayed\r\nStatus: 4.0.0 (hpnjld.njd.jp.com: host name lookup failure)\r\n")
    assert _failures(_report(blocks)) == [("arathib@vnet.ibm.com", "failed", "5.0.0"),
                                          ("johnh@hpnjld.njd.hp.com", "delayed", "4.0.0")]


@pytest.mark.parametrize("final", ["x400; /PN=Jo.Bloggs/O=Kent/PRMD=gov/ADMD= /C=gb/", "system;<>",
                                   "rfc822;jbloggs", "rfc822;<>"])
def test_original_recipient_wins_when_final_recipient_is_no_address(final: str) -> None:
    blocks = (f"Original-Recipient: rfc822;jo.bloggs@kent.example\r\nFinal-Recipient: {final}\r\n"
              "Action: failed\r\nStatus: 5.1.1\r\n")
    assert _failures(_report(blocks)) == [("jo.bloggs@kent.example", "failed", "5.1.1")]


def test_original_recipient_wins_over_an_address_the_mta_rewrote() -> None:
    blocks = ("Original-Recipient: rfc822;jo.bloggs@kent.example\r\n"
              "Final-Recipient: rfc822;jbloggs@mailstore01.internal.kent.example\r\n"
              "Action: failed\r\nStatus: 5.1.1\r\n")
    assert _failures(_report(blocks)) == [("jo.bloggs@kent.example", "failed", "5.1.1")]


@pytest.mark.parametrize(("action", "status", "expected"), [
    ("failed (bad destination mailbox address)", "5.1.1", "failed"), ("Failed", "5.1.1", "failed"),
    ("error", "5.1.1", "failed"), ("failure", "5.2.1", "failed"), ("error", "4.4.1", "delayed"),
    ("failed", "4.4.7", "failed"),  # final for this message: it expired in a queue (scored soft)
    ("delayed", "4.4.7", "delayed"), ("delivered", "2.0.0", "delivered"),
])
def test_every_spelling_of_the_action(action: str, status: str, expected: str) -> None:
    blocks = f"Final-Recipient: rfc822;jo@kent.example\r\nAction: {action}\r\nStatus: {status}\r\n"
    assert _failures(_report(blocks)) == [("jo@kent.example", expected, status)]


def test_rfc_6533_global_delivery_status_with_a_utf8_address() -> None:
    blocks = "Final-Recipient: utf-8;josé.garcía@ejemplo.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
    raw = _report(blocks, kind="message/global-delivery-status")
    assert _failures(raw) == [("josé.garcía@ejemplo.example", "failed", "5.1.1")]
    assert classify(parse_mail(raw), find_tokens).kind is Kind.BOUNCE


def test_an_unreadable_bounce_with_auto_submitted_is_not_filed_as_an_auto_reply() -> None:
    """A delivery failure whose address nothing can find must reach a person, not vanish as an auto-reply."""
    raw = (b"From: postmaster@mx.example.org\r\nTo: kentcommunitysafetyteam@kent.gov.uk\r\n"
           b"Subject: Undeliverable: Community Safety e-Bulletin\r\nAuto-Submitted: auto-replied\r\n"
           b"Message-ID: <odd-1@mx.example.org>\r\n\r\nYour message could not be delivered to some recipients.\r\n")
    found = classify(parse_mail(raw), find_tokens)
    assert found.kind is Kind.OTHER and "delivery failure" in found.reason


EXIM = (b"Return-path: <>\r\nFrom: Relay System <system@relay.example>\r\nTo: kentcommunitysafetyteam@kent.gov.uk\r\n"
        b"Subject: Message not sent\r\nX-Failed-Recipients: gone.officer@district.example\r\n"
        b"Auto-Submitted: auto-replied\r\nMessage-ID: <exim-1@relay.example>\r\n\r\n"
        b"This message was created automatically by mail delivery software.\r\n\r\n"
        b"A message that you sent could not be delivered to one or more of its\r\n"
        b"recipients. This is a permanent error. The following address(es) failed:\r\n\r\n"
        b"  gone.officer@district.example\r\n    SMTP error from remote mail server after RCPT TO:"
        b"<gone.officer@district.example>:\r\n    550 5.1.1 User unknown\r\n\r\n"
        b"------ This is a copy of the message's headers. ------\r\n\r\n"
        b"Message-ID: <ours-2@kent.gov.uk>\r\n")


def test_a_bounce_with_an_unusual_sender_and_subject_reaches_the_detectors() -> None:
    """Exim's notice from a relay with a sender and subject no word list knows: X-Failed-Recipients and the empty
    return path mark it, and the detectors see the whole message (the header is what Exim's detector reads)."""
    report = delivery_report(parse_mail(EXIM))
    assert report is not None and not report.standard
    [failure] = report.failures
    assert (failure.address, failure.action, failure.status) == ("gone.officer@district.example", "failed", "5.1.1")
    assert "SMTP error from remote mail server" in failure.diagnostic or "550 5.1.1" in failure.diagnostic
    assert report.original_message_id == "<ours-2@kent.gov.uk>"
