"""Sending limits per rolling minute and per rolling day, remembered across restarts.

Every message handed to the server is one line (epoch seconds) in `send-times.log` next to the ledgers, so a
restarted campaign, or another campaign the same day, still counts against the provider's daily allowance.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from pathlib import Path

from ..domain.clock import Clock
from ..storage.appendlog import AppendError, AppendFile

MINUTE = 60.0
DAY = 86_400.0


class RateLimiter:
    """Says how long to wait before the next message, and records each message sent."""

    def __init__(self, clock: Clock, *, per_minute: int, per_day: int, log_path: Path | None = None) -> None:
        self.clock = clock
        self.per_minute = per_minute
        self.per_day = per_day
        self.log_path = log_path
        self._times: deque[float] = deque()
        self._file: AppendFile | None = None
        if log_path is not None:
            self._load(log_path)

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def _load(self, path: Path) -> None:
        cutoff = self._now() - DAY
        lines = path.read_text().split() if path.exists() else []
        kept = sorted(t for t in (_number(line) for line in lines) if t is not None and t > cutoff)
        self._times.extend(kept)
        if len(lines) > 2 * len(kept) + 1000:
            temp = path.with_suffix(".tmp")
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write("".join(f"{t:.3f}\n" for t in kept))
            os.replace(temp, path)
        self._file = AppendFile(path)

    def delay(self) -> float:
        """Seconds until another message may go (0.0 when one may go now)."""
        now = self._now()
        while self._times and self._times[0] <= now - DAY:
            self._times.popleft()
        waits = [0.0]
        for limit, window in ((self.per_minute, MINUTE), (self.per_day, DAY)):
            if limit and len(self._times) >= limit:
                waits.append(self._times[-limit] + window - now)
        return max(waits)

    def daily_delay(self) -> float:
        """Seconds until the rolling-day allowance frees a slot (0.0 if it has room)."""
        if not self.per_day or len(self._times) < self.per_day:
            return 0.0
        return max(0.0, self._times[-self.per_day] + DAY - self._now())

    def record(self) -> None:
        """Count one message as sent now."""
        now = self._now()
        self._times.append(now)
        if self._file is not None:
            with contextlib.suppress(AppendError):  # a full disk: this run still counts it; the ledger stops the run
                self._file.append(f"{now:.3f}\n".encode())

    @property
    def used_today(self) -> int:
        cutoff = self._now() - DAY
        return sum(1 for t in self._times if t > cutoff)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
