"""Message building: headers, structure, token substitution, injection refused, speed."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage

import pytest

from bulletin_tui.config import SenderSettings
from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.sending.headers import HeaderInjectionError, list_id, list_unsubscribe
from bulletin_tui.sending.mime import Attachment, MessageTemplate

from ..conftest import FIXED_NOW

HTML = (
    "<html lang='en-GB'><body><p>Dear XBTNAMEX,</p>" + "<p>" + "Crime prevention é " * 300 + "</p>"
    "<a href='XBTUNSUBX'>Unsubscribe from this bulletin</a></body></html>"
)
TEXT = "Dear XBTNAMEX,\n\nNews for you.\n.\nUnsubscribe: XBTUNSUBX\n"


def template(**kwargs: object) -> MessageTemplate:
    sender = SenderSettings(reply_to="replies@kent.gov.uk")
    return MessageTemplate(
        subject="KCST bulletin for XBTNAMEX",
        html=HTML,
        text=TEXT,
        sender=sender,
        list_id=list_id(sender.team_name, "partners", sender.identity_domain),
        clock=FixedClock(FIXED_NOW),
        **kwargs,  # type: ignore[arg-type]
    )


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def personalise(name: str, url: str) -> tuple[dict[str, str], dict[str, str]]:
    from html import escape

    return {"XBTNAMEX": escape(name), "XBTUNSUBX": escape(url)}, {"XBTNAMEX": name, "XBTUNSUBX": url}


def test_headers_and_structure() -> None:
    html_values, text_values = personalise("Zoë O'Brien <boss>", "https://kent.example/u/abc123")
    extra = list_unsubscribe("mailto:unsub@kent.gov.uk?subject=abc123", "https://kent.example/u/abc123")
    raw = template().render("zoe@example.org", html_values, text_values, extra)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    message = parse(raw)
    assert message["To"] == "zoe@example.org"
    assert message["From"] == "Kent Community Safety Team <kentcommunitysafetyteam@kent.gov.uk>"
    assert message["Reply-To"] == "replies@kent.gov.uk"
    assert message["Subject"] == "KCST bulletin for Zoë O'Brien <boss>"
    assert message["Date"] == "Sun, 22 Nov 2026 10:00:00 +0000"
    assert message["Message-ID"].endswith("@kent.gov.uk>")
    assert message["List-Id"] == '"Kent Community Safety Team: partners" <partners.kent.gov.uk>'
    assert message["List-Unsubscribe"] == "<mailto:unsub@kent.gov.uk?subject=abc123>, <https://kent.example/u/abc123>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text_part, html_part = message.get_payload()  # type: ignore[misc]
    assert text_part.get_content().replace("\r\n", "\n") == TEXT.replace("XBTNAMEX", "Zoë O'Brien <boss>").replace(
        "XBTUNSUBX", "https://kent.example/u/abc123"
    )
    html = html_part.get_content()
    assert "Dear Zoë O&#x27;Brien &lt;boss&gt;," in html
    assert "href='https://kent.example/u/abc123'" in html
    assert "XBT" not in html and html.count("Crime prevention é") == 300


def test_plain_http_unsubscribe_has_no_one_click_header() -> None:
    assert list_unsubscribe("mailto:u@kent.gov.uk", "http://kent.example/u/1") == {
        "List-Unsubscribe": "<mailto:u@kent.gov.uk>, <http://kent.example/u/1>"
    }
    assert "List-Unsubscribe-Post" not in list_unsubscribe("mailto:u@kent.gov.uk")


def test_each_render_has_its_own_message_id_and_only_one_recipient() -> None:
    built = template()
    first = parse(built.render("a@example.org", *personalise("A", "u1")))
    second = parse(built.render("b@example.org", *personalise("B", "u2")))
    assert first["Message-ID"] != second["Message-ID"]
    assert first["To"] == "a@example.org" and second["To"] == "b@example.org"
    assert "Cc" not in first and "Bcc" not in first


@pytest.mark.parametrize(
    "to",
    [
        "a@example.org\r\nBcc: evil@example.org",
        "a@example.org, evil@example.org",
        "A <a@example.org>",
        "a@example.org\nX: y",
        "a@example.org\x00",
    ],
)
def test_injection_in_recipient_is_refused(to: str) -> None:
    with pytest.raises(HeaderInjectionError):
        template().render(to, *personalise("A", "u"))


def test_injection_through_subject_value_or_extra_header_is_refused() -> None:
    built = template()
    with pytest.raises(HeaderInjectionError):
        built.render("a@example.org", {}, {"XBTNAMEX": "x\r\nBcc: evil@example.org"})
    with pytest.raises(HeaderInjectionError):
        built.render("a@example.org", {}, {}, {"X-Campaign": "1\nBcc: evil@example.org"})
    with pytest.raises(HeaderInjectionError):
        built.render("a@example.org", {}, {}, {"Bcc": "evil@example.org"} | {"To": "x@example.org"})
    with pytest.raises(HeaderInjectionError):
        list_unsubscribe("mailto:u@kent.gov.uk>\r\nBcc: evil@example.org")
    with pytest.raises(HeaderInjectionError):
        MessageTemplate(subject="s", html="", text="", sender=SenderSettings(team_name="KCST\r\nBcc: x@y.z"))


def test_calendar_part_and_ics_attachment() -> None:
    ics = (b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nATTENDEE:mailto:XBTEMAILX\r\n"
           b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    built = template(
        calendar=ics,
        calendar_method="REQUEST",
        attachments=[Attachment("agenda.pdf", "application/pdf", b"%PDF-1.4 fake")],
    )
    message = parse(built.render("a@example.org", {}, {"XBTEMAILX": "a@example.org"}))
    assert message.get_content_type() == "multipart/mixed"
    alternative, ics_attachment, pdf = message.get_payload()  # type: ignore[misc]
    kinds = [p.get_content_type() for p in alternative.get_payload()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    calendar_part = alternative.get_payload()[2]
    assert calendar_part.get_param("method") == "REQUEST"
    assert "ATTENDEE:mailto:a@example.org" in calendar_part.get_content()
    assert ics_attachment.get_filename() == "invite.ics"
    assert b"ATTENDEE:mailto:a@example.org" in ics_attachment.get_payload(decode=True)
    assert pdf.get_filename() == "agenda.pdf" and pdf.get_payload(decode=True) == b"%PDF-1.4 fake"


def test_long_values_and_adjacent_tokens_keep_lines_short() -> None:
    built = MessageTemplate(
        subject="s", html="XBTAX" + "XBTBX" * 3 + "=" * 200, text="XBTAXXBTBX", sender=SenderSettings()
    )
    values = {"XBTAX": "α" * 300, "XBTBX": "b " * 100}
    raw = built.render("a@example.org", values, values)
    body = raw.split(b"\r\n\r\n", 1)[1]
    assert max(len(line) for line in body.split(b"\r\n")) <= 76
    html_part = parse(raw).get_payload()[1]  # type: ignore[index]
    assert html_part.get_content() == "α" * 300 + ("b " * 100) * 3 + "=" * 200


def test_a_100kb_bulletin_renders_per_recipient_from_shared_bytes() -> None:
    """Personalising a 100 KB bulletin changes only the recipient's values (its speed, ~0.02 ms a message, is
    measured in benchmarks/bench_render.py, not here: a timed test fails on a busy machine)."""
    big_html = "<p>Dear XBTNAMEX</p>" + "<p>Scam awareness for Swale &amp; Dartford residents.</p>" * 1800
    built = MessageTemplate(subject="S", html=big_html + "XBTUNSUBX", text=TEXT * 50, sender=SenderSettings())
    values = personalise("Jane Smith", "https://kent.example/u/tok")
    assert len(big_html) > 90_000
    first, second = (built.render(f"r{i}@example.org", *values) for i in range(2))
    assert first.count(b"Jane Smith") >= 2 and len(first) > 90_000
    strip = [re.sub(rb"^(To|Message-ID|Date): .*$", b"", m, flags=re.M) for m in (first, second)]
    assert strip[0] == strip[1]  # everything but the per-message headers is shared
