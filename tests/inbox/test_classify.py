"""Every message shape the team mailbox really gets is classified, with the recipient and our Message-ID found."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin_tui.mailbox.classify import Kind, classify
from bulletin_tui.mailbox.message import parse_mail
from bulletin_tui.services.subscribers.tokens import find_tokens

CORPUS = Path(__file__).parents[1] / "data" / "inbox"


def classified(name: str):
    return classify(parse_mail((CORPUS / name).read_bytes()), find_tokens)


@pytest.mark.parametrize(("name", "address", "status", "original"), [
    ("exchange-ndr-5.1.10.eml", "dana.old@maidstone.example", "5.1.10",
     "<7d1e0c5a2b3f4e6a9c8d7e6f5a4b3c2d@kent.gov.uk>"),
    ("exchange-ndr-5.2.2-mailbox-full.eml", "sam.full@swale.example", "5.2.2",
     "<0b9e8d7c6b5a49382716f5e4d3c2b1a0@kent.gov.uk>"),
    ("exchange-ndr-5.4.1-relay-denied.eml", "lee.partner@dartford.example", "5.4.1",
     "<1c2d3e4f5a6b47c8d9e0f1a2b3c4d5e6@kent.gov.uk>"),
    ("gmail-dsn.eml", "gone.volunteer@gmail.com", "5.1.1", "<9a8b7c6d5e4f40312a1b2c3d4e5f6a7b@kent.gov.uk>"),
    ("postfix-dsn.eml", "pat.leaver@medway.example", "5.1.1", "<5e6f7a8b9c0d41e2f3a4b5c6d7e8f9a0@kent.gov.uk>"),
    ("qmail-bounce.eml", "jo.retired@oldhost.example", "5.1.1", "<2b3c4d5e6f7a48b9c0d1e2f3a4b5c6d7@kent.gov.uk>"),
])
def test_delivery_reports(name: str, address: str, status: str, original: str) -> None:
    result = classified(name)
    assert result.kind is Kind.BOUNCE, result
    assert result.report is not None
    assert [(f.address, f.status) for f in result.report.failures] == [(address, status)]
    assert result.report.original_message_id == original
    assert result.report.standard is (name != "qmail-bounce.eml")


@pytest.mark.parametrize(("name", "attendee", "partstat", "sequence"), [
    ("outlook-itip-declined.eml", "chris.officer@tunbridgewells.example", "DECLINED", 0),
    ("outlook-itip-accepted.eml", "alex.warden@kent.gov.uk", "ACCEPTED", 0),
    ("gmail-itip-reply.eml", "morgan.pcso@gmail.com", "TENTATIVE", 0),
    ("apple-itip-reply.eml", "sam.trading@kent.gov.uk", "ACCEPTED", 1),
])
def test_calendar_replies(name: str, attendee: str, partstat: str, sequence: int) -> None:
    result = classified(name)
    assert result.kind is Kind.CALENDAR_REPLY
    assert result.reply is not None
    assert (result.reply.uid, result.reply.attendee, result.reply.partstat, result.reply.sequence) == (
        "csis-2027-01-0a1b2c3d4e5f@kent.gov.uk", attendee, partstat, sequence)


def test_complaint_names_the_recipient_and_our_message() -> None:
    result = classified("arf-complaint.eml")
    assert result.kind is Kind.COMPLAINT and result.complaint is not None
    assert result.complaint.address == "annoyed.reader@hotmail.example"
    assert result.complaint.original_message_id == "<4f5a6b7c8d9e40f1a2b3c4d5e6f7a8b9@kent.gov.uk>"


@pytest.mark.parametrize(("name", "kind"), [
    ("outlook-oof.eml", Kind.AUTO_REPLY), ("gmail-vacation.eml", Kind.AUTO_REPLY),
    ("token-unsubscribe-reply.eml", Kind.UNSUBSCRIBE), ("bare-unsubscribe.eml", Kind.UNSUBSCRIBE),
    ("register-me.eml", Kind.OTHER), ("general-enquiry.eml", Kind.OTHER), ("broken-mime.eml", Kind.OTHER),
])
def test_other_kinds(name: str, kind: Kind) -> None:
    assert classified(name).kind is kind


def test_token_reply_carries_the_token() -> None:
    assert classified("token-unsubscribe-reply.eml").tokens == (
        "u1.AbCdEfGhIjKlMnOp.e-bulletin.1.AbCdEfGhIjKlMnOpQrStUv",)


def test_quoted_unsubscribe_in_an_ordinary_reply_is_not_a_request() -> None:
    message = EmailMessage()
    message["From"], message["Subject"] = "a@example.org", "RE: Community Safety e-Bulletin"
    message.set_content("Thanks, very useful.\n\n> To unsubscribe reply with the word unsubscribe\n")
    assert classify(parse_mail(message.as_bytes()), find_tokens).kind is Kind.OTHER


@pytest.mark.parametrize("sender", ["partner@example.org", "MAILER-DAEMON@example.org"])
def test_a_20_mb_attachment_is_classified(sender: str) -> None:
    """The heuristic detectors scan line by line: they see text parts only (timing is in benchmarks/)."""
    message = EmailMessage()
    message["From"], message["Subject"] = sender, "Slides from the conference"
    message.set_content("Slides attached.")
    message.add_attachment(b"%PDF-1.7\n" + b"0" * 20_000_000, maintype="application", subtype="pdf",
                           filename="slides.pdf")
    assert classify(parse_mail(message.as_bytes()), find_tokens).kind is Kind.OTHER


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_classify_without_raising(raw: bytes) -> None:
    classify(parse_mail(raw), find_tokens)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=500))
def test_any_header_soup_classifies_without_raising(text: str) -> None:
    raw = ("Content-Type: multipart/report; report-type=delivery-status; boundary=x\n"
           f"Subject: {text[:50]}\n\n--x\nContent-Type: message/delivery-status\n\n{text}\n--x--\n").encode(
        "utf-8", "surrogateescape")
    classify(parse_mail(raw), find_tokens)
