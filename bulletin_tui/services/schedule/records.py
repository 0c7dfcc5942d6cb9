"""A scheduled send as stored: what goes to whom and when, and where it stands (scheduled -> started -> done)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field, field_validator

from ...domain.base import Model
from ...domain.text import OneLine, Slug
from ...domain.times import short_local
from ...storage.collection import Collection
from ..context import AppContext

TABLE = "scheduled_sends"


class ScheduleState(StrEnum):
    SCHEDULED = "scheduled"
    """Waiting for its moment; cancellable."""
    STARTED = "started"
    """Claimed by a worker (its ledger guarantees once per recipient); a worker that was killed leaves it so and
    the next worker resumes it."""
    PAUSED = "paused"
    """The engine paused it (the daily budget, the server); tried again at `retry_at`."""
    DONE = "done"
    FAILED = "failed"
    """It could not start (checks failing at its moment, the issue or a list gone): nothing was sent."""
    CANCELLED = "cancelled"


WHEN_FORMAT = "%a %d %b %Y %H:%M"
"""How a send's moment is shown: `Fri 08 Jan 2027 09:00` (London)."""
OPEN_STATES = frozenset({ScheduleState.SCHEDULED, ScheduleState.STARTED, ScheduleState.PAUSED})


class ScheduledSend(Model):
    """One bulletin send to one or several lists (one campaign), at a moment."""

    id: Slug = Field(description="a number, in the order they were scheduled")
    issue: Slug
    lists: list[Slug] = Field(min_length=1)
    at: datetime = Field(description="when it goes (UTC; entered as Europe/London wall time)")
    campaign_id: OneLine
    scheduled_by: OneLine
    scheduled_at: datetime
    force: bool = Field(default=False, description="send even though pre-send checks fail, as send --force")
    include_already_sent: bool = False
    state: ScheduleState = ScheduleState.SCHEDULED
    worker: OneLine = Field(default="", description="the worker run that claimed it (pid and start)")
    pid: int | None = None
    started_at: datetime | None = None
    retry_at: datetime | None = None
    finished_at: datetime | None = None
    cancelled_by: OneLine = ""
    counts: dict[str, int] = Field(default_factory=dict, description="the campaign's recipients by state")
    note: OneLine = Field(default="", max_length=300, description="what happened last (counts and ids only)")

    @field_validator("lists")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES

    def when_text(self) -> str:
        """`Fri 08 Jan 2027 09:00` (London)."""
        return short_local(self.at, WHEN_FORMAT)

def scheduled_sends(ctx: AppContext) -> Collection[ScheduledSend]:
    return ctx.store.collection(TABLE, ScheduledSend, lambda s: s.id)
