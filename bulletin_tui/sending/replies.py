"""Turn an SMTP reply (code, text, the stage it came at) into an outcome for one recipient."""

from __future__ import annotations

import re

from . import microsoft
from .transport import Delivery, Outcome

_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")
AUTH_CODES = {530, 534, 535, 538}
HARD_BOUNCE_CODES = {550, 551, 553}
_QUOTA_WORDS = ("quota", "rate limit", "too many messages", "sending limit", "exceeded")


def enhanced_status(reply: str) -> str:
    """The RFC 3463 `x.y.z` code at the start of a reply, or ''."""
    match = _ENHANCED.match(reply)
    return ".".join(match.groups()) if match else ""


def is_account_problem(code: int, reply: str) -> bool:
    """Quota or authentication trouble: the whole campaign must pause, nobody has failed."""
    if code in AUTH_CODES:
        return True
    lowered = reply.lower()
    return code >= 400 and (enhanced_status(reply) == "5.2.0" or any(w in lowered for w in _QUOTA_WORDS))


def classify(stage: str, code: int, reply: str) -> Delivery:
    """Outcome of a non-success reply at `stage` (connect, mail, rcpt, data, end-of-data)."""
    microsoft_pause = _microsoft_pause(stage, code, reply)
    if microsoft_pause is not None:
        return microsoft_pause
    if code == 421:
        return Delivery(Outcome.DEFERRED, code, reply, stage, connection_error=True)
    if is_account_problem(code, reply):
        return Delivery(Outcome.PAUSE, code, reply, stage)
    if 400 <= code < 500 or (stage == "rcpt" and code == 552):
        return Delivery(Outcome.DEFERRED, code, reply, stage)
    if stage in ("connect", "ehlo", "mail"):
        return Delivery(Outcome.PAUSE, code, reply, stage)
    if stage == "rcpt":
        return Delivery(Outcome.FAILED, code, reply, stage, hard_bounce=_is_hard_bounce(code, reply))
    if code >= 500:
        return Delivery(Outcome.FAILED, code, reply, stage, hard_bounce=enhanced_status(reply).startswith("5.1."))
    return Delivery(Outcome.DEFERRED, code, reply, stage)


def _is_hard_bounce(code: int, reply: str) -> bool:
    """The address does not exist (5.1.x, or a bare 550/551/553 without a policy reason)."""
    status = enhanced_status(reply)
    if status:
        return status.startswith("5.1.")
    return code in HARD_BOUNCE_CODES


def _microsoft_pause(stage: str, code: int, reply: str) -> Delivery | None:
    """Microsoft 365's account-level refusals (see `microsoft.py`): pause with the explanation, fail nobody."""
    explanation = microsoft.explain(code, reply)
    if explanation is None:
        return None
    return Delivery(Outcome.PAUSE, code, f"{' '.join(reply.split())} -> {explanation}", stage)
