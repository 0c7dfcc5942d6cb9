"""The campaign run behind the send screen: its own thread and event loop, controlled from the UI thread."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from textual import on, work
from textual.screen import Screen

from ..sending.campaign import Campaign
from ..sending.progress import CampaignResult, Progress
from ..services.campaigns import send as send_service
from .errors import EXPECTED_ERRORS, one_line_cause
from .messages import BouncesToSuppress, CampaignFinished, CampaignProgressed, WorkerFailed

PROGRESS_INTERVAL = 0.1  # seconds between progress repaints at full speed


class CampaignRunner(Screen[None]):
    """Runs one bulletin campaign at a time off the UI thread; results and progress come back as messages.

    The sending thread only reads the store (audience, still-wanted checks); the one write it could cause (a hard
    bounce's suppression) is handed to the UI thread, so the database stays on one thread.
    """

    campaign: Campaign | None = None
    campaign_loop: asyncio.AbstractEventLoop | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending_bounces: deque[tuple[Any, Any, Any]] = deque()
        self._last_paint = 0.0

    @work(thread=True, exclusive=True, group="send", exit_on_error=False, description="Send")
    def run_campaign(self, issue: str, dl: str | list[str], **mode: bool) -> None:
        """Run the campaign on its own thread and event loop, so the UI stays responsive at full speed."""
        try:
            result = asyncio.run(self._send(issue, dl, mode))
        except (*EXPECTED_ERRORS, RuntimeError) as exc:
            self.post_message(WorkerFailed("Send", one_line_cause(exc)))
            return
        finally:
            self.campaign, self.campaign_loop = None, None
            self.post_message(BouncesToSuppress())
        self.post_message(CampaignFinished(send_service.campaign_id_for(issue, dl), issue, result))

    async def _send(self, issue: str, dl: str | list[str], mode: dict[str, bool]) -> CampaignResult:
        """Open (checks, one render, audience snapshot) and run; hard bounces are handed to the UI thread."""
        app: Any = self.app  # the BulletinApp: its context and transport factory
        campaign = send_service.bulletin_campaign(
            app.ctx, issue, dl, transport=app.make_transport(), on_progress=self._on_progress, **mode)
        suppress_bounce = campaign.on_hard_bounce
        if suppress_bounce is not None:
            campaign.on_hard_bounce = lambda recipient, delivery: self._queue_bounce(suppress_bounce, recipient,
                                                                                     delivery)
        self.campaign_loop, self.campaign = asyncio.get_running_loop(), campaign
        try:
            return await campaign.run()
        finally:
            await campaign.close()

    def _queue_bounce(self, hook: Any, recipient: Any, delivery: Any) -> None:
        """The database stays on the UI thread: suppressions are applied there (see `apply_bounces`)."""
        self.pending_bounces.append((hook, recipient, delivery))
        self.post_message(BouncesToSuppress())

    @on(BouncesToSuppress)
    def apply_bounces(self) -> None:
        while self.pending_bounces:
            hook, recipient, delivery = self.pending_bounces.popleft()
            hook(recipient, delivery)

    def control(self, command: Callable[[], None]) -> None:
        """Call pause/resume/cancel on the campaign's own event loop."""
        if self.campaign_loop is not None:
            self.campaign_loop.call_soon_threadsafe(command)

    async def stop_and_wait(self, timeout: float = 30.0) -> None:
        """Stop after the messages in flight and wait (without blocking the UI) for the thread to finish."""
        if self.campaign is not None:
            self.control(self.campaign.cancel)
            deadline = time.monotonic() + timeout
            while self.campaign is not None and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        self.apply_bounces()

    def _on_progress(self, progress: Progress) -> None:
        """Called by the runner on its thread; posts a repaint at most every PROGRESS_INTERVAL."""
        now = time.monotonic()
        if now - self._last_paint >= PROGRESS_INTERVAL or progress.pending == 0 or progress.state != "running":
            self._last_paint = now
            self.post_message(CampaignProgressed(progress))
