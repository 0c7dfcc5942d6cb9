"""Rate limits kept in memory: per client address and per e-mail address, over sliding windows."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from dataclasses import dataclass, field


@dataclass
class Window:
    limit: int
    seconds: float
    hits: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one hit for `key`; False when it would pass the limit (then it is not counted)."""
        moment = time.monotonic() if now is None else now
        recent = self.hits[key]
        while recent and recent[0] <= moment - self.seconds:
            recent.popleft()
        if len(recent) >= self.limit:
            return False
        recent.append(moment)
        return True


PER_IP_PER_MINUTE = 6000


@dataclass
class RateLimits:
    per_ip: Window = field(default_factory=lambda: Window(PER_IP_PER_MINUTE, 60.0))
    """Requests per client address per minute (one-click POSTs come from mail providers' servers: generous)."""
    forms_per_ip: Window = field(default_factory=lambda: Window(20, 3600.0))
    """Sign-up and registration forms sent per client address per hour."""
    confirmations_per_address: Window = field(default_factory=lambda: Window(3, 3600.0))
    """Confirmation e-mails per e-mail address per hour."""
