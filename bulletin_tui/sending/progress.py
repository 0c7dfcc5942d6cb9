"""What a campaign run reports: recipients, options, progress events and the final result."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..domain.text import normalise_email


@dataclass(frozen=True)
class Recipient:
    """One person in a campaign's audience snapshot."""

    email: str
    name: str = ""

    @property
    def key(self) -> str:
        return normalise_email(self.email)


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

    @property
    def done(self) -> int:
        return self.total - self.pending

    def line(self) -> str:
        """A plain one-line summary for logs and non-terminal output."""
        parts = [f"{self.counts.get(k, 0)} {k}" for k in ("sent", "failed", "deferred", "uncertain", "skipped")]
        eta = f", about {self.eta_seconds:.0f} s left" if self.eta_seconds else ""
        note = f" ({self.reason})" if self.reason else ""
        return f"{self.done}/{self.total}: {', '.join(parts)}, {self.rate:.1f}/s{eta} [{self.state}{note}]"


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
