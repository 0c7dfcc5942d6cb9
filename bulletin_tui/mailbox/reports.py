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


_STATUS_PARTS = ("message/delivery-status", "message/global-delivery-status")  # RFC 3464, RFC 6533


def _dsn_failures(mail: Mail) -> list[Failure] | None:
    """Per-recipient blocks of a delivery-status part (RFC 3464 or RFC 6533); None when the message has none."""
    for part in walk(mail.message):
        if part.get_content_type() not in _STATUS_PARTS:
            continue
        failures = [failure for block in status_blocks(_part_body(part)) if (failure := _failure(block))]
        return failures or None
    return None


def _part_body(part: Message) -> str:
    """The text of a delivery-status part as it was sent (its own headers removed)."""
    text = part.as_bytes().decode("utf-8", "replace").replace("\r\n", "\n")  # RFC 6533: UTF-8 fields
    return text.split("\n\n", 1)[1] if "\n\n" in text else ""


def status_blocks(text: str) -> list[dict[str, list[str]]]:
    """The field blocks of a delivery-status body: separated by lines that are empty or hold only spaces (some MTAs
    write a space there), folded lines joined; a field that appears twice in a block keeps both values."""
    blocks: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] = {}
    last = ""
    for line in text.split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
            current, last = {}, ""
        elif line[0] in " \t" and last:
            current[last][-1] += " " + line.strip()
        elif ":" in line:
            name, _, value = line.partition(":")
            last = name.strip().lower()
            if _starts_another_recipient(current, last):  # two blocks run together (no separator line survived)
                blocks.append(current)
                current = {}
            current.setdefault(last, []).append(value.strip())
    if current:
        blocks.append(current)
    return blocks


def _starts_another_recipient(block: dict[str, list[str]], name: str) -> bool:
    """A recipient field this block already has (either order is written: Postfix puts Final- first)."""
    return name in ("final-recipient", "original-recipient") and name in block


def _usable(value: str) -> str:
    """The address of an `rfc822;` or `utf-8;` recipient field, '' for X.400, `system;<>` and other non-addresses."""
    kind, _, rest = value.partition(";") if ";" in value else ("rfc822", "", value)
    address = rest.strip().strip("<>").strip()
    local, at, domain = address.rpartition("@")
    dotted = ".." in local or local.startswith(".") or local.endswith(".")  # no mailbox (an archive's "jo...@")
    usable = kind.strip().lower() in ("rfc822", "utf-8") and at and local and not dotted and "." in domain
    return address if usable else ""


def _failure(block: dict[str, list[str]]) -> Failure | None:
    """One recipient block as a failure; None for the per-message block or a block without a usable address. The
    Original-Recipient (what we sent to) wins over a Final-Recipient an MTA rewrote, or one that is no address."""
    first = {name: values[0] for name, values in block.items()}
    address = _usable(first.get("original-recipient", "")) or _usable(first.get("final-recipient", ""))
    if not address:
        return None
    status = _status(first)
    return Failure(address, _action(first.get("action", ""), status), status, first.get("diagnostic-code", "")[:300])


def _action(value: str, status: str) -> str:
    """RFC 3464's action, whatever the MTA wrote: `failed (bad destination mailbox)`, `error` and `failure` with a
    permanent status are failures; with a transient one, delays."""
    word = (value.split() or [""])[0].strip("().;,").lower()
    if word == "failed":  # final for this message, even after a transient status (4.4.7: it expired in a queue)
        return "failed"
    if word in ("error", "failure", "fail", "bounced", "bounce", "permanent"):
        return "delayed" if status.startswith("4.") else "failed"
    return word


_BOUNCE_SENDERS = ("mailer-daemon", "postmaster", "mail delivery", "mail.delivery", "mdaemon", "bounce")
_BOUNCE_SUBJECTS = ("undeliver", "failure", "returned", "delivery", "not delivered", "non remis", "bounce")
DETECTOR_TEXT = 64_000
"""Characters of each text part that the heuristic detectors see (they scan line by line)."""


WHOLE_MESSAGE_LIMIT = 2_000_000
"""Bytes up to which the detectors see the whole parsed message (headers such as X-Failed-Recipients, part
headers, the report part); a bigger message is given its text parts only (they scan every line)."""


def looks_like_bounce(mail: Mail) -> bool:
    """A failure notice by its envelope or shape: a sender or subject that bounces use, the empty return path,
    X-Failed-Recipients, or a returned copy of a message (the detectors run only on these: slow on big mail)."""
    message = mail.message
    sender = header(message, "From").lower()
    subject = mail.subject.lower()
    if any(word in sender for word in _BOUNCE_SENDERS) or any(word in subject for word in _BOUNCE_SUBJECTS):
        return True
    if header(message, "Return-Path").strip() == "<>" or header(message, "X-Failed-Recipients"):
        return True
    return message.get_content_type() == "multipart/report" or attached_headers(message) is not None


def _text_only(mail: Mail) -> Message:
    """A copy with the top headers and the text parts only, each cut to DETECTOR_TEXT characters."""
    from email.message import EmailMessage

    slim = EmailMessage()
    for name in ("From", "To", "Subject", "Message-ID", "X-Failed-Recipients"):
        slim[name] = header(mail.message, name).replace("\n", " ").replace("\r", " ")
    slim.set_content("")
    slim.make_mixed()
    for part in walk(mail.message):
        if not part.is_multipart() and part.get_content_maintype() in ("text", "message"):
            slim.add_attachment(part_text(part, DETECTOR_TEXT), subtype="plain", disposition="inline")
    return slim


def _detected_failures(mail: Mail) -> list[Failure]:
    """Mailman's detectors for bounces that are not RFC 3464, on the whole message (a slim copy of a big one); each
    failure with the line of the notice that names the address as its diagnostic."""
    from flufl.bounce import all_failures

    if not looks_like_bounce(mail):
        return []
    try:
        temporary, permanent = all_failures(mail.message if mail.size <= WHOLE_MESSAGE_LIMIT else _text_only(mail))
    except Exception:  # noqa: BLE001 - a detector choking on odd input must not stop the run
        return []
    text = body_text(mail)
    found = []
    for raw, action in [(a, "failed") for a in permanent] + [(a, "delayed") for a in temporary]:
        address = _usable(raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw))
        if not address:
            continue
        diagnostic = _line_naming(text, address)
        status = _STATUS.search(diagnostic) or _STATUS.search(text)
        found.append(Failure(address, action, ".".join(status.groups()) if status else "", diagnostic[:300]))
    return found


def _line_naming(text: str, address: str) -> str:
    """The notice's line about this address, with the next line when it only names the address."""
    lines = [line.strip() for line in text.splitlines()]
    for number, line in enumerate(lines):
        if address.lower() in line.lower():
            following = lines[number + 1] if number + 1 < len(lines) else ""
            return line if len(line) > len(address) + 6 or not following else f"{line} {following}"
    return ""


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
