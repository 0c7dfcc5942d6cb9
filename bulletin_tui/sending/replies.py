"""Turn an SMTP reply (code, text, the stage it came at) into an outcome for one recipient.

Classification is a chain: each classifier in `CLASSIFIERS` may answer (a `Delivery`) or pass (None); the
built-in rules (`classify_generic`) come last and always answer. A provider-specific module (for example
Microsoft 365's explanations) plugs in with `add_classifier(fn)`, which puts it ahead of the generic rules.

Microsoft 365's limits come first: `432 4.3.2` (the mailbox has too many connections open) is a deferral marked
`too_many_connections`, so the transport uses fewer and retries; a used-up sending quota (`554 5.2.0 ...
SubmissionQuotaExceededException`, `5.2.2 Submission quota exceeded`) pauses the run until the rolling 24 hours
allow more. Neither fails or suppresses anyone.

Suppression (a hard bounce) is only for a reply that says *this recipient* does not exist or cannot receive:
the enhanced codes in `RECIPIENT_SPECIFIC`. A 5xx without an enhanced code fails the recipient for this campaign
but does not suppress; policy codes (5.7.x) never suppress. Whether a refusal is really the server's problem
(the same reply for everyone) is decided by the campaign runner (`refusals.py`), not here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import microsoft
from .transport import Delivery, Outcome

Classifier = Callable[[str, int, str], Delivery | None]
_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")
AUTH_CODES = {530, 534, 535, 538}
RECIPIENT_SPECIFIC = {"5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10", "5.2.1"}
"""Bad mailbox, bad domain, bad syntax, mailbox moved, no such recipient (null MX / M365), mailbox disabled."""
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


def is_hard_bounce(code: int, reply: str) -> bool:
    """A permanent reply that is about this recipient (5.1.1 no such user, 5.2.1 disabled, ...): may suppress."""
    return code >= 500 and enhanced_status(reply) in RECIPIENT_SPECIFIC


def classify_generic(stage: str, code: int, reply: str) -> Delivery:
    """The built-in rules; the last classifier in the chain."""
    if code == 421:
        return Delivery(Outcome.DEFERRED, code, reply, stage, connection_error=True)
    if is_account_problem(code, reply):
        return Delivery(Outcome.PAUSE, code, reply, stage)
    if 400 <= code < 500 or (stage == "rcpt" and code == 552):
        return Delivery(Outcome.DEFERRED, code, reply, stage)
    if stage in ("connect", "ehlo", "mail"):
        return Delivery(Outcome.PAUSE, code, reply, stage)
    if code >= 500:
        return Delivery(Outcome.FAILED, code, reply, stage, hard_bounce=is_hard_bounce(code, reply))
    return Delivery(Outcome.DEFERRED, code, reply, stage)


def _microsoft_pause(stage: str, code: int, reply: str) -> Delivery | None:
    """Microsoft 365's account-level refusals (see `microsoft.py`): pause with the explanation, fail nobody."""
    explanation = microsoft.explain(code, reply)
    if explanation is None:
        return None
    return Delivery(Outcome.PAUSE, code, f"{' '.join(reply.split())} -> {explanation}", stage)


_CONNECTION_LIMIT = re.compile(r"sender thread limit exceeded|concurrent connections? limit exceeded", re.I)
_RECIPIENT_THROTTLED = re.compile(r"recipient thread limit exceeded", re.I)
_SENDING_QUOTA = re.compile(r"QuotaExceeded|submission quota exceeded|MessageRateLimitExceeded|"
                            r"RecipientRateLimitExceeded|daily limit for message recipients", re.I)
MAILBOX_QUOTA_REASON = (
    "the mailbox's sending quota is used up (Microsoft 365 counts 10,000 recipients in any rolling 24 hours, "
    "staff's own mail included); nobody failed: the run resumes when the rolling window allows")
TENANT_QUOTA_REASON = (
    "the organisation's daily limit for external recipients is used up (Microsoft 365's tenant external recipient "
    "rate limit); nobody failed: the run resumes when the rolling 24-hour window allows")
ONMICROSOFT_REASON = (
    "mail from an onmicrosoft.com address is capped at 100 external recipients a day: send from the council's "
    "own domain (sender.from_address, smtp.username)")
_TENANT_CODES = {"5.7.232": TENANT_QUOTA_REASON, "5.7.233": TENANT_QUOTA_REASON, "5.7.236": ONMICROSOFT_REASON}


def _too_many_connections(stage: str, code: int, reply: str) -> Delivery | None:
    """`432 4.3.2`: more connections to the mailbox than the server allows (Microsoft 365: 3). Use fewer, retry."""
    if not 400 <= code < 500:
        return None
    if _RECIPIENT_THROTTLED.search(reply):  # the recipient's mailbox is busy, not our connections: later
        return Delivery(Outcome.DEFERRED, code, reply, stage)
    if (code == 432 and enhanced_status(reply) == "4.3.2") or _CONNECTION_LIMIT.search(reply):
        return Delivery(Outcome.DEFERRED, code, reply, stage, connection_error=True, too_many_connections=True)
    return None


def _sending_quota(stage: str, code: int, reply: str) -> Delivery | None:
    """The mailbox's (or tenant's) sending quota is used up: pause until the rolling window allows more."""
    if code < 400:
        return None
    reason = _TENANT_CODES.get(enhanced_status(reply)) or (MAILBOX_QUOTA_REASON if _SENDING_QUOTA.search(reply)
                                                           else None)
    if reason is None:
        return None
    return Delivery(Outcome.PAUSE, code, f"{' '.join(reply.split())} -> {reason}", stage)


def _recipient_mailbox_full(stage: str, code: int, reply: str) -> Delivery | None:
    """x.2.2 is the recipient's mailbox being full (RFC 3463), not the sender's quota: retry that person later."""
    if code >= 400 and enhanced_status(reply)[1:] == ".2.2" and "submission" not in reply.lower():
        return Delivery(Outcome.DEFERRED, code, reply, stage)
    return None


CLASSIFIERS: list[Classifier] = [_too_many_connections, _sending_quota, _recipient_mailbox_full]
"""Provider-specific classifiers, tried in order before `classify_generic`."""


def add_classifier(classifier: Classifier) -> None:
    """Plug in a classifier ahead of the generic rules (idempotent)."""
    if classifier not in CLASSIFIERS:
        CLASSIFIERS.append(classifier)


def classify(stage: str, code: int, reply: str) -> Delivery:
    """Outcome of a non-success reply at `stage` (connect, mail, rcpt, data, end-of-data)."""
    for classifier in CLASSIFIERS:
        found = classifier(stage, code, reply)
        if found is not None:
            return found
    return classify_generic(stage, code, reply)


add_classifier(_microsoft_pause)
