"""Delivery reports (RFC 3464 DSNs, plus `flufl.bounce` for the non-standard rest) and complaints (RFC 5965 ARF)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from .message import Mail, attached_headers, body_text, header, part_text, walk

_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_MESSAGE_ID = re.compile(r"<[^<>\s]+@[^<>\s]+>")


@dataclass(frozen=True)
class Failure:
    """One recipient a delivery report speaks of."""

    address: str
    action: str  # failed | delayed | delivered | relayed | expanded ('failed' when only a detector saw it)
    status: str  # x.y.z, '' when unknown
    diagnostic: str = ""


@dataclass(frozen=True)
class DeliveryReport:
    """A bounce: who failed, how, and which of our messages it was (Message-ID of the original, if returned)."""

    failures: tuple[Failure, ...]
    original_message_id: str
    standard: bool  # RFC 3464 (True) or found by a heuristic detector (False)


@dataclass(frozen=True)
class Complaint:
    """An ARF report (RFC 5965): `abuse` is someone marking our message as spam; `not-spam`, `auth-failure`
    (RFC 6591, about our signatures), `fraud`, `virus` and `other` are about something else."""

    address: str
    feedback_type: str
    original_message_id: str


def _fields(block: object) -> dict[str, str]:
    if isinstance(block, Message):
        return {k.lower(): " ".join(str(v).split()) for k, v in block.items()}
    return {}


def _address(value: str) -> str:
    """`rfc822; a@b` -> `a@b`."""
    value = value.split(";", 1)[1] if ";" in value else value
    return value.strip().strip("<>").strip()


def _status(fields: dict[str, str]) -> str:
    for name in ("status", "diagnostic-code"):
        found = _STATUS.search(fields.get(name, ""))
        if found:
            return ".".join(found.groups())
    return ""


def _original_id(mail: Mail) -> str:
    inner = attached_headers(mail.message)
    if inner is not None:
        found = _MESSAGE_ID.search(header(inner, "Message-ID"))
        if found:
            return found.group(0)
    for part in walk(mail.message):
        if part.get_content_type() == "message/delivery-status":
            for block in part.get_payload() if part.is_multipart() else []:
                found = _MESSAGE_ID.search(_fields(block).get("x-original-message-id", ""))
                if found:
                    return found.group(0)
    found = re.search(r"^Message-ID:\s*(<[^<>\s]+@[^<>\s]+>)", body_text(mail), re.M | re.I)
    return found.group(1) if found else ""


def _dsn_failures(mail: Mail) -> list[Failure] | None:
    """Per-recipient blocks of a message/delivery-status part; None when the message has none."""
    for part in walk(mail.message):
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload() if part.is_multipart() else []
        failures = []
        for block in blocks[1:] if isinstance(blocks, list) else []:
            fields = _fields(block)
            address = _address(fields.get("final-recipient") or fields.get("original-recipient", ""))
            if "@" in address:
                failures.append(Failure(address, fields.get("action", "").lower(), _status(fields),
                                        fields.get("diagnostic-code", "")[:300]))
        return failures or None
    return None


_BOUNCE_SENDERS = ("mailer-daemon", "postmaster", "mail delivery", "mail.delivery", "mdaemon", "bounce")
_BOUNCE_SUBJECTS = ("undeliver", "failure", "returned", "delivery", "not delivered", "non remis", "bounce")
DETECTOR_TEXT = 64_000
"""Characters of each text part that the heuristic detectors see (they scan line by line)."""


def looks_like_bounce(mail: Mail) -> bool:
    """A sender or subject that bounces use: the detectors are run only on these (they are slow on big mail)."""
    sender = header(mail.message, "From").lower()
    subject = mail.subject.lower()
    return any(word in sender for word in _BOUNCE_SENDERS) or any(word in subject for word in _BOUNCE_SUBJECTS)


def _text_only(mail: Mail) -> Message:
    """A copy with the top headers and the text parts only, each cut to DETECTOR_TEXT characters."""
    from email.message import EmailMessage

    slim = EmailMessage()
    for name in ("From", "To", "Subject", "Message-ID"):
        slim[name] = header(mail.message, name).replace("\n", " ").replace("\r", " ")
    slim.set_content("")
    slim.make_mixed()
    for part in walk(mail.message):
        if not part.is_multipart() and part.get_content_maintype() in ("text", "message"):
            slim.add_attachment(part_text(part, DETECTOR_TEXT), subtype="plain", disposition="inline")
    return slim


def _detected_failures(mail: Mail) -> list[Failure]:
    """Mailman's detectors for bounces that are not RFC 3464 (text parts only: they scan every line)."""
    from flufl.bounce import all_failures

    if not looks_like_bounce(mail):
        return []
    try:
        temporary, permanent = all_failures(_text_only(mail))
    except Exception:  # noqa: BLE001 - a detector choking on odd input must not stop the run
        return []
    text = body_text(mail)
    found = []
    for raw, action in [(a, "failed") for a in permanent] + [(a, "delayed") for a in temporary]:
        address = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        status = _STATUS.search(text)
        found.append(Failure(address, action, ".".join(status.groups()) if status else ""))
    return found


def delivery_report(mail: Mail) -> DeliveryReport | None:
    """The bounce this message is, or None when it is not one."""
    content_type = mail.message.get_content_type()
    report_type = (mail.message.get_param("report-type") or "") if content_type == "multipart/report" else ""
    standard = _dsn_failures(mail) if str(report_type).lower() in ("delivery-status", "") else None
    if standard:
        return DeliveryReport(tuple(standard), _original_id(mail), True)
    if str(report_type).lower() == "feedback-report":
        return None
    detected = _detected_failures(mail)
    if detected:
        return DeliveryReport(tuple(detected), _original_id(mail), False)
    return None


def complaint(mail: Mail) -> Complaint | None:
    """An ARF report (`multipart/report; report-type=feedback-report`), or None."""
    if mail.message.get_content_type() != "multipart/report":
        return None
    if str(mail.message.get_param("report-type") or "").lower() != "feedback-report":
        return None
    fields: dict[str, str] = {}
    for part in walk(mail.message):
        if part.get_content_type() == "message/feedback-report":
            payload = part.get_payload()
            blocks = payload if isinstance(payload, list) else []
            for block in blocks:
                fields |= _fields(block)
            if not blocks:
                fields = {k.strip().lower(): v.strip() for k, _, v in
                          (line.partition(":") for line in part_text(part).splitlines()) if v}
    address = _address(fields.get("original-rcpt-to", ""))
    if "@" not in address:
        inner = attached_headers(mail.message)
        address = _address(header(inner, "To")) if inner is not None else ""
    feedback_type = fields.get("feedback-type", "").split("(")[0].strip().lower()  # RFC 5965: required; no default
    return Complaint(address if "@" in address else "", feedback_type, _original_id(mail))
