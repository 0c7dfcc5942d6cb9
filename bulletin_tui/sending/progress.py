"""What a campaign run reports: recipients, options, progress events and the final result."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from ..domain.text import normalise_email


@dataclass(frozen=True)
class Recipient:
    """One message of a campaign's snapshot: to whom, and under which key. A bulletin is keyed by the address
    (one message each); a campaign of separate messages (confirmations) keys each message by its own `id`."""

    email: str
    name: str = ""
    id: str = ""

    @property
    def key(self) -> str:
        return self.id or normalise_email(self.email)


class RunStatus(StrEnum):
    COMPLETE = "complete"
    PAUSED = "paused"
    STOPPED = "stopped"


EXIT_COMPLETE = 0
EXIT_COMPLETE_WITH_PROBLEMS = 3
EXIT_PAUSED = 4
EXIT_STOPPED = 5


@dataclass
class RunOptions:
    concurrency: int = 2
    max_retries: int = 5
    """Temporary refusals per recipient before it is left `deferred` (retry-failed picks it up)."""
    max_consecutive_errors: int = 5
    retry_base: float = 30.0
    """Seconds before the first retry of a deferred recipient; doubled each time."""
    retry_cap: float = 1800.0
    max_rate_wait: float = 300.0
    """A rate-limit wait longer than this (the daily allowance) pauses the campaign instead of sleeping."""
    same_refusal_streak: int = 5
    """The same refusal for this many recipients in a row (or most of the first 20) pauses; 0 turns it off."""
    stall_timeout: float = 600.0
    """Pause when the server has been unreachable and nothing was delivered for this many seconds."""


@dataclass
class Progress:
    """One progress event: counts so far, speed, estimate, and what just happened."""

    total: int
    counts: dict[str, int]
    pending: int
    rate: float
    eta_seconds: float | None
    state: str
    reason: str = ""
    last_email: str = ""
    last_state: str = ""
    last_key: str = ""

    @property
    def done(self) -> int:
        return max(0, self.total - self.pending)

    @property
    def eta_text(self) -> str:
        """'about 7 s left', 'about 6 min left'; '' when unknown. Rounded up, so never '0 s'."""
        return f"about {duration_text(self.eta_seconds)} left" if self.eta_seconds and self.eta_seconds > 0 else ""

    def line(self) -> str:
        """A plain one-line summary for logs and non-terminal output."""
        parts = [f"{self.counts.get(k, 0)} {k}" for k in ("sent", "failed", "deferred", "uncertain", "skipped")]
        eta = f", {self.eta_text}" if self.eta_text else ""
        note = f" ({self.reason})" if self.reason else ""
        return f"{self.done}/{self.total}: {', '.join(parts)}, {self.rate:.1f}/s{eta} [{self.state}{note}]"

    def terminal_line(self, width: int) -> str:
        """The progress for a terminal `width` columns wide, never wider than `width - 1` (a line that reaches
        the last column wraps on many terminals, so every update would add a line): a bar when there is room,
        the state, the counts that are not zero, why it paused, the speed and estimate; what does not fit is cut
        with `…`."""
        parts = [f"{self.done}/{self.total} {self.state}"]  # what matters most first: the end is what gets cut
        parts += [f"{self.counts[k]} {k}" for k in ("sent", "failed", "deferred", "uncertain", "skipped")
                  if self.counts.get(k)]
        parts += [*([self.reason] if self.reason else []), f"{self.rate:.1f}/s",
                  *([self.eta_text] if self.eta_text else [])]
        text = " · ".join(parts)
        room = width - 1
        bar_width = min(30, room - len(text) - 3)
        if bar_width >= 10:
            filled = int(bar_width * self.done / self.total) if self.total else bar_width
            text = f"[{'#' * filled}{'.' * (bar_width - filled)}] {text}"
        return text if len(text) <= room else text[: max(room - 1, 0)] + "…"


@dataclass
class CampaignResult:
    status: RunStatus
    reason: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0

    @property
    def problems(self) -> int:
        """Recipients who did not get the message and were not deliberately skipped."""
        return sum(self.counts.get(k, 0) for k in ("failed", "uncertain", "deferred"))

    @property
    def exit_code(self) -> int:
        if self.status is RunStatus.PAUSED:
            return EXIT_PAUSED
        if self.status is RunStatus.STOPPED:
            return EXIT_STOPPED
        return EXIT_COMPLETE_WITH_PROBLEMS if self.problems else EXIT_COMPLETE


def duration_text(seconds: float) -> str:
    """A wait or an estimate for people: '7 s', '6 min', '2.5 h' (rounded up: never '0 s')."""
    if seconds < 120:
        return f"{max(1, math.ceil(seconds))} s"
    if seconds < 7200:
        return f"{math.ceil(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"
