"""Sending limits per rolling minute and per rolling day, shared by every process and remembered across restarts.

Every message handed to the server is a line in the mailbox's send log (`budget.SendLog`, `ledgers/send-times.log`),
whoever sent it: a bulletin, a follow-up, session mail, a web confirmation. Before answering, `delay()`,
`daily_delay()` and `used_today` take in the lines other processes added, so two sends at once keep to the
per-minute pace and the rolling-24-hour count together.

Near a limit `delay()` *reserves*: when few places are left in a window (`RESERVE_WHEN_LEFT` or fewer) and it
answers 0, it has already logged this process's next message, under the log's lock, after reading everyone's
latest lines, so two processes cannot both take the last place. The `record()` that follows uses that reservation;
without one (plenty of room: senders that all go on still fit) `record()` logs the message under the lock then. A
reservation not used within `RESERVATION_TTL` seconds, or still held at `close()`, is withdrawn. `margin` widens
both windows by a second or so: a message counted now reaches the server a moment later, and a server that counts
its own rolling minute must never see one too many.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..domain.clock import Clock
from ..domain.times import LONDON
from .budget import SendLog

MINUTE = 60.0
DAY = 86_400.0
RESERVATION_TTL = 2.0
"""Seconds a reservation stays good; a message counted earlier than that would skew the windows."""
RESERVE_WHEN_LEFT = 8
"""With more places left than this in both windows, processes that all go on at once still fit (each logs its
message a millisecond after its check), so no reservation is written."""


class RateLimiter:
    """Says how long to wait before the next message (reserving it when it may go now) and records each one."""

    def __init__(self, clock: Clock, *, per_minute: int, per_day: int, log_path: Path | None = None,
                 mailbox: str = "", margin: float = 0.0) -> None:
        self.clock = clock
        self.per_minute = per_minute
        self.per_day = per_day
        self.log_path = log_path
        self.margin = margin
        self._log = SendLog(log_path, mailbox)
        self._reserved: float | None = None
        self._compacted = False
        self._refresh(self._now())

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def _refresh(self, now: float) -> None:
        self._log.refresh(now - DAY - self.margin)

    def delay(self) -> float:
        """Seconds until another message may go (0.0 when one may go now: then its place is reserved)."""
        if not (self.per_minute or self.per_day):
            return 0.0  # no limits: nothing to wait for (record() still logs each message for everyone else)
        now = self._now()
        if self._holding(now):
            return 0.0
        self._refresh(now)  # a look without the lock first: "not yet", or plenty of room
        wait = self._wait(now)
        if wait > 0 or self._places_left(now) > RESERVE_WHEN_LEFT:
            return max(0.0, wait)
        with self._log.locked():
            self._compact_once(now)
            self._refresh(now)
            self._give_back()
            wait = self._wait(now)
            if wait <= 0:
                self._reserved = self._log.add(now)
        return max(0.0, wait)

    def daily_delay(self) -> float:
        """Seconds until the rolling-day allowance frees a place (0.0 if it has room)."""
        now = self._now()
        if not self._holding(now):
            self._refresh(now)
        times = self._log.times
        if not self.per_day or len(times) < self.per_day or self._holding(now):
            return 0.0
        return max(0.0, times[-self.per_day] + DAY + self.margin - now)

    def record(self) -> None:
        """Count one message as sent now (using the reservation `delay()` made, if it is still good)."""
        now = self._now()
        if self._holding(now):
            self._reserved = None
            return
        with self._log.locked():
            self._compact_once(now)
            self._refresh(now)
            self._give_back()
            self._log.add(now)

    @property
    def used_today(self) -> int:
        """Messages this mailbox sent in the last 24 hours, from every process."""
        now = self._now()
        self._refresh(now)
        cutoff = now - DAY
        return sum(1 for t in self._log.times if t > cutoff)

    def today(self) -> BudgetToday:
        """The rolling day's budget as it stands now (for the send screen and `send`)."""
        used = self.used_today
        times = self._log.times
        return BudgetToday(self.per_day, used, self.clock.now(),
                           oldest=datetime.fromtimestamp(times[-used], UTC) if used else None)

    def close(self) -> None:
        """Withdraw an unused reservation; release the log."""
        if self._reserved is not None:
            with self._log.locked():
                self._refresh(self._now())
                self._give_back()
        self._log.close()

    # -- inside -------------------------------------------------------------------------------------------------
    def _holding(self, now: float) -> bool:
        return self._reserved is not None and now - self._reserved < RESERVATION_TTL

    def _give_back(self) -> None:
        """Withdraw a reservation that went stale (hold the lock)."""
        if self._reserved is not None:
            self._log.withdraw(self._reserved)
            self._reserved = None

    def _compact_once(self, now: float) -> None:
        if not self._compacted:
            self._compacted = True
            self._log.compact(now - DAY - self.margin)

    def _places_left(self, now: float) -> float:
        """Messages that may still go in the fuller of the two windows (infinite without limits)."""
        times, left = self._log.times, float("inf")
        for limit, window in ((self.per_minute, MINUTE), (self.per_day, DAY)):
            if limit:
                left = min(left, limit - (len(times) - bisect_right(times, now - window - self.margin)))
        return left

    def _wait(self, now: float) -> float:
        times = self._log.times
        waits = [0.0]
        for limit, window in ((self.per_minute, MINUTE), (self.per_day, DAY)):
            if limit and len(times) >= limit:
                waits.append(times[-limit] + window + self.margin - now)
        return max(waits)


@dataclass(frozen=True)
class BudgetToday:
    """The mailbox's rolling-24-hour budget at one moment: what is used, what is left, when the window frees."""

    per_day: int
    used: int
    now: datetime
    oldest: datetime | None = None
    """The oldest message still in the window (it leaves the window 24 hours after it was sent)."""

    @property
    def left(self) -> int | None:
        """Messages that may still go in this window; None when there is no daily limit."""
        return max(0, self.per_day - self.used) if self.per_day else None

    def frees_at(self) -> datetime:
        """When the window next gives a place back (after the places left now are used)."""
        return (self.oldest or self.now) + timedelta(days=1)

    def summary(self) -> str:
        """`budget left today: 8,760 of 9,000 (rolling 24 hours)`."""
        if self.left is None:
            return f"no daily limit ({self.used:,} sent in the last 24 hours)"
        return f"budget left today: {self.left:,} of {self.per_day:,} (rolling 24 hours)"

    def plan(self, to_send: int) -> str:
        """The summary, plus how a send of `to_send` fits: all now, or some now and the rest as the window frees."""
        left = self.left
        if left is None or to_send <= left:
            return self.summary().capitalize()
        when = clock_text(self.frees_at(), self.now)
        return (f"{self.summary().capitalize()}. {to_send:,} to send at {self.per_day:,} a day: {left:,} go now, "
                f"the rest from {when} as the window frees")


def clock_text(moment: datetime, now: datetime) -> str:
    """`14:05 today`, `14:05 tomorrow`, `14:05 on Tue 24 Nov` (UK time)."""
    local, today = moment.astimezone(LONDON), now.astimezone(LONDON).date()
    days = (local.date() - today).days
    day = "today" if days == 0 else "tomorrow" if days == 1 else f"on {local:%a} {local.day} {local:%b}"
    return f"{local:%H:%M} {day}"
