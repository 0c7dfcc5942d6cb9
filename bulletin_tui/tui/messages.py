"""Messages that cross screens: past-tense facts the app and its screens react to."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ..sending.progress import CampaignResult, Progress


@dataclass
class DataChanged(Message):
    """Records were changed (by a form, an import, a send); screens showing them refresh."""

    what: str


@dataclass
class WorkerFailed(Message):
    """A worker raised; the one-line cause is shown instead of crashing the app."""

    action: str
    cause: str


@dataclass
class CampaignProgressed(Message):
    """The running campaign reported progress (counts, rate, ETA)."""

    progress: Progress


@dataclass
class CampaignFinished(Message):
    """A campaign run ended: complete, paused by the engine, or stopped by the operator."""

    campaign_id: str
    issue_slug: str
    result: CampaignResult


class BouncesToSuppress(Message):
    """The sending thread queued hard bounces; the UI thread applies the suppressions (one database thread)."""
