"""How long a campaign waits, why, and how long it will take: backoff after server trouble, the stall rule,
honest status lines and estimates (issue #11, item 18).

- After connection trouble the whole run backs off (doubling from `retry_base`, at most `retry_cap`), and the
  status says why: "server unreachable (connection refused), retrying in 60 s".
- An unreachable server does not use up anyone's retries; instead, when no message has been delivered for
  `stall_timeout` seconds the run pauses (exit 4) with the cause.
- Estimates add the waits that are known (backoff, rate limit, the next retry) to the time the remaining messages
  take at the measured rate or the rate limit, whichever is slower; they are never shown as "0 s".
All times come from the campaign's clock, so tests can move it.
"""

from __future__ import annotations

from .progress import RunOptions, duration_text
from .transport import Delivery


class Pacing:
    """Backoff, stall detection and estimates for one run."""

    def __init__(self, options: RunOptions, started: float) -> None:
        self.options = options
        self.started = started
        self.last_delivery = started
        self.backoff_until = 0.0
        self.reason = ""
        self.sent = 0
        self._waves = 0

    def delivered(self, now: float) -> None:
        """A message was accepted: the server is back."""
        self.sent += 1
        self.last_delivery = now
        self._waves = 0

    def trouble(self, delivery: Delivery, now: float) -> str:
        """Connection trouble: back off the whole run; returns a pause reason once nothing got through for long."""
        self.reason = delivery.reply if delivery.unreachable else f"server trouble: {delivery.summary}"
        if now >= self.backoff_until:  # one step per wave of failures, however many connections saw it
            pause = min(self.options.retry_base * 2 ** min(self._waves, 10), self.options.retry_cap)
            self._waves += 1
            deadline = self.last_delivery + self.options.stall_timeout  # never sleep past the stall rule
            self.backoff_until = now + pause if now + pause <= deadline else max(deadline, now + min(pause, 1.0))
        stalled = now - self.last_delivery
        if delivery.unreachable and stalled >= self.options.stall_timeout:
            return f"no message delivered for {duration_text(stalled)}: {delivery.reply}; resume when it is back"
        return ""

    def backoff(self, now: float) -> float:
        return max(0.0, self.backoff_until - now)

    def wait_text(self, wait: float, now: float) -> str:
        """Why the run is waiting and for how long."""
        if self.backoff(now) >= wait and self.reason:
            return f"{self.reason}, retrying in {duration_text(wait)}"
        return f"rate limit, next message in {duration_text(wait)}"

    def rate(self, now: float) -> float:
        """Messages per second delivered in this run."""
        return self.sent / max(now - self.started, 1e-6)

    def eta(self, remaining: int, now: float, *, known_wait: float, per_minute: int) -> float | None:
        """Seconds until the remaining messages are done, known waits included; None if nothing is known."""
        if remaining <= 0:
            return None
        rate = self.rate(now)
        at_rate = remaining / rate if self.sent and rate > 0 else 0.0
        paced = remaining * 60.0 / per_minute if per_minute else 0.0
        estimate = known_wait + max(at_rate, paced)
        return estimate if estimate > 0 else None
