"""Bounce scoring, as Mailman does it: hard 1.0, soft 0.5, at most once a day, forgotten after a quiet week."""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum

from .base import Model


class Severity(StrEnum):
    HARD = "hard"
    SOFT = "soft"
    NONE = "none"


SCORES = {Severity.HARD: 1.0, Severity.SOFT: 0.5, Severity.NONE: 0.0}
STALE_AFTER = timedelta(days=7)
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
    """One person's running score (keyed by canonical address in the store)."""

    key: str
    score: float = 0.0
    hard: int = 0
    last_day: date | None = None
    last_severity: Severity = Severity.NONE

    def counted(self, day: date, found: Severity) -> BounceScore:
        """The score after a bounce of `found` severity on `day` (same day: only an upgrade counts)."""
        if found is Severity.NONE:
            return self
        if self.last_day is not None and day - self.last_day > STALE_AFTER:
            fresh = BounceScore(key=self.key)
            return fresh.counted(day, found)
        if self.last_day == day:
            if SCORES[found] <= SCORES[self.last_severity]:
                return self
            extra = SCORES[found] - SCORES[self.last_severity]
        else:
            extra = SCORES[found]
        return self.model_copy(update={
            "score": round(self.score + extra, 2), "hard": self.hard + (found is Severity.HARD),
            "last_day": day if self.last_day is None or day >= self.last_day else self.last_day,
            "last_severity": found,
        })

    def over_threshold(self, threshold: float = THRESHOLD_SCORE, hard_limit: int = THRESHOLD_HARD) -> bool:
        return self.score >= threshold or self.hard >= hard_limit
