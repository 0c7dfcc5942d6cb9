"""Bounce scoring per campaign: hard 1.0, soft 0.5, at most once per campaign sent to the person, forgotten when a
campaign sent to them in between did not bounce. Mailman counts per day and forgets after a quiet week, a rule for
lists that post daily: on a monthly bulletin every bounce would be forgotten and a dead address never suppressed
(docs/bounces.md)."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from .base import Model


class Severity(StrEnum):
    HARD = "hard"
    SOFT = "soft"
    NONE = "none"


SCORES = {Severity.HARD: 1.0, Severity.SOFT: 0.5, Severity.NONE: 0.0}
THRESHOLD_SCORE = 5.0
THRESHOLD_HARD = 2

_HARD_STATUSES = ("5.1.", "5.2.1", "5.4.4")  # address gone, mailbox disabled, no such domain (host not found)
_HARD_WORDS = ("mailbox unavailable", "user unknown", "unknown user", "no such user", "does not exist",
               "recipientnotfound", "no mailbox here", "address rejected: user unknown", "no such recipient",
               "invalid recipient", "unrouteable address", "mailbox not found")
_EXCHANGE_NO_SUCH_RECIPIENT = "as(201806281)"
"""Exchange Online's 5.4.1 for a recipient its directory does not have (Directory-Based Edge Blocking): how most
public-sector partners on Microsoft 365 reject a dead address."""
_STATUS_IN_TEXT = re.compile(r"\b([45])\.(\d{1,3})\.(\d{1,3})\b")


def severity(status: str, diagnostic: str = "") -> Severity:
    """Hard: the address is gone (5.1.x, 5.2.1, 5.4.4 no such domain, Exchange's 5.4.1 AS(201806281), or a generic
    5.0.0 whose diagnostic says so: a specific code in it, or "user unknown" words). Soft: it may come back (4.x.x,
    5.2.2 full, other 5.4.x routing, 5.3.x system). Policy refusals (5.7.x) are the sender's problem, never the
    recipient's."""
    lowered = diagnostic.lower()
    if not status or status.endswith(".0.0"):  # generic: a specific code in the server's words decides
        specific = next((m.group(0) for m in _STATUS_IN_TEXT.finditer(diagnostic)
                         if not m.group(0).endswith(".0.0") and m.group(1) == (status or "5")[0]), "")
        status = specific or status
    if status.startswith("5.7."):
        return Severity.NONE
    if status.startswith(_HARD_STATUSES) or (status.startswith("5.4.1") and _EXCHANGE_NO_SUCH_RECIPIENT in lowered):
        return Severity.HARD
    if status.startswith(("4.", "5.2.", "5.3.", "5.4.", "5.5.", "5.6.")):
        return Severity.SOFT
    if (not status or status.startswith("5.")) and any(word in lowered for word in _HARD_WORDS):
        return Severity.HARD
    return Severity.SOFT if status.startswith("5.") or not status else Severity.NONE


class BounceScore(Model):
    """One person's running score over the campaigns that bounced for them in a row (keyed by canonical address)."""

    key: str
    score: float = 0.0
    hard: int = 0
    last_day: date | None = None
    last_severity: Severity = Severity.NONE
    last_campaign: str = ""
    """The campaign the last counted bounce was for ('' in scores kept before scoring was per campaign)."""

    def counted(self, campaign: str, day: date, found: Severity, *, delivered_since: bool = False) -> BounceScore:
        """The score after a bounce of `found` severity for `campaign`, reported on `day`. The same campaign again
        counts only as an upgrade (soft then hard); `delivered_since`, a campaign sent to them after the last one
        that bounced and not bounced itself, starts the count afresh."""
        if found is Severity.NONE:
            return self
        if delivered_since and campaign != self.last_campaign:
            return BounceScore(key=self.key).counted(campaign, day, found)
        if campaign == self.last_campaign:
            if SCORES[found] <= SCORES[self.last_severity]:
                return self
            extra = SCORES[found] - SCORES[self.last_severity]
        else:
            extra = SCORES[found]
        return self.model_copy(update={
            "score": round(self.score + extra, 2), "hard": self.hard + (found is Severity.HARD),
            "last_day": day if self.last_day is None or day >= self.last_day else self.last_day,
            "last_severity": found, "last_campaign": campaign,
        })

    def over_threshold(self, threshold: float = THRESHOLD_SCORE, hard_limit: int = THRESHOLD_HARD) -> bool:
        return self.score >= threshold or self.hard >= hard_limit
