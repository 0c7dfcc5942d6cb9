"""What one message from the team mailbox is, and why: the first rule that fits wins, in a fixed order."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from .autoreply import auto_reply_reason
from .itip import CalendarReply, calendar_reply
from .message import Mail, body_text, top_level_text
from .ownwords import own_words
from .reports import Complaint, DeliveryReport, complaint, delivery_report, looks_like_bounce

_UNSUBSCRIBE_WORDS = re.compile(r"^\W*(please\s+)?(unsubscribe|remove me|take me off)\b", re.I | re.M)


class Kind(StrEnum):
    COMPLAINT = "complaint"
    BOUNCE = "bounce"
    DELAY = "delay warning"
    CALENDAR_REPLY = "calendar reply"
    AUTO_REPLY = "auto-reply"
    UNSUBSCRIBE = "unsubscribe request"
    OTHER = "other"


@dataclass(frozen=True)
class Classified:
    """The kind of a message, the reason in words, and what the rule found."""

    kind: Kind
    reason: str
    report: DeliveryReport | None = None
    complaint: Complaint | None = None
    reply: CalendarReply | None = None
    tokens: tuple[str, ...] = ()
    own_words: str = ""
    """The sender's own, unquoted text, when the rules read it (unsubscribe requests and everything after)."""


def _first_lines(text: str, lines: int = 6) -> str:
    """The reply's own words: above the first quoted line or "Original Message" separator."""
    kept: list[str] = []
    for line in text.splitlines():
        if line.startswith(">") or re.match(r"\s*-{2,}\s*original message", line, re.I) or re.match(
                r"\s*(from|sent|on .* wrote):", line, re.I):
            break
        if line.strip():
            kept.append(line)
        if len(kept) >= lines:
            break
    return "\n".join(kept)


def classify(mail: Mail, find_tokens: Callable[[str], list[str]]) -> Classified:
    """The first matching rule: complaint, bounce, calendar reply, auto-reply, unsubscribe, else other."""
    if mail.unreadable:
        return Classified(Kind.OTHER, mail.unreadable)
    found_complaint = complaint(mail)
    if found_complaint is not None:
        return Classified(Kind.COMPLAINT, f"feedback report ({found_complaint.feedback_type})",
                          complaint=found_complaint)
    report = delivery_report(mail)
    if report is not None:
        failed = [f for f in report.failures if f.action in ("failed", "")]
        if failed:
            statuses = ", ".join(sorted({f.status or "no status" for f in failed}))
            kind = "delivery report" if report.standard else "bounce (detected)"
            return Classified(Kind.BOUNCE, f"{kind}: {statuses}", report=report)
        return Classified(Kind.DELAY, "delivery delayed (not a failure yet)", report=report)
    reply = calendar_reply(mail)
    if reply is not None:
        return Classified(Kind.CALENDAR_REPLY, f"iTIP REPLY {reply.partstat}", reply=reply)
    reason = auto_reply_reason(mail)
    if reason and looks_like_bounce(mail):  # a failure notice no reader could parse must reach a person
        return Classified(Kind.OTHER, "looks like a delivery failure, but no failed address was found")
    if reason:
        return Classified(Kind.AUTO_REPLY, reason)
    own = own_words(top_level_text(mail.message), forwarded=False)
    tokens = tuple(find_tokens(f"{mail.subject}\n{own}"))
    if tokens:
        return Classified(Kind.UNSUBSCRIBE, "unsubscribe token", tokens=tokens)
    if _UNSUBSCRIBE_WORDS.search(mail.subject) or _UNSUBSCRIBE_WORDS.search(_first_lines(own)):
        return Classified(Kind.UNSUBSCRIBE, "asks to unsubscribe (no token)")
    quoted = tuple(find_tokens(body_text(mail)))
    if quoted:  # the bulletin's footer, quoted in a reply or forward, or returned by an MTA: never the person's ask
        return Classified(Kind.OTHER, "an unsubscribe link only in quoted, forwarded or returned text: not acted on",
                          tokens=quoted, own_words=own)
    return Classified(Kind.OTHER, "not recognised", own_words=own)
