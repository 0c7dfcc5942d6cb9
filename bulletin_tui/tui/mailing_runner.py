"""The mailing run behind the send screen: its own thread and event loop, controlled from the UI thread."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

from textual import work
from textual.screen import Screen

from ..sending.progress import Progress
from ..services.mailings import send as send_service
from ..services.mailings.handle import CampaignHandle, Write
from .containment import on
from .errors import EXPECTED_ERRORS, one_line_cause
from .messages import BouncesToSuppress, CampaignFinished, CampaignProgressed, WorkerFailed

PROGRESS_INTERVAL = 0.1  # seconds between progress repaints at full speed


class CampaignRunner(Screen[None]):
    """Runs one bulletin mailing at a time off the UI thread, through the mailings service's `CampaignHandle`
    (the same path as `bulletin-tui send`); results and progress come back as messages.

    The sending thread reads the store (audience, still-wanted checks; the store's lock makes that safe); the writes
    it causes (a hard bounce's suppression, the issue marked sent) are handed to the UI thread and applied there.
    """

    campaign: CampaignHandle | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending_writes: deque[Write] = deque()
        self._last_paint = 0.0

    @work(thread=True, exclusive=True, group="send", exit_on_error=False, description="Send")
    def run_campaign(self, issue: str, dl: str | list[str], **mode: bool) -> None:
        """Run the campaign on its own thread and event loop, so the UI stays responsive at full speed."""
        app: Any = self.app  # the BulletinApp: its context and transport factory
        handle = CampaignHandle(app.ctx, issue, dl, transport=app.make_transport(), on_progress=self._on_progress,
                                write_on_owner=self._queue_write, **mode)
        self.campaign = handle
        try:
            result = asyncio.run(handle.run())
        except (*EXPECTED_ERRORS, RuntimeError) as exc:
            self.post_message(WorkerFailed("Send", one_line_cause(exc)))
            return
        finally:
            self.campaign = None
            self.post_message(BouncesToSuppress())
        self.post_message(CampaignFinished(send_service.campaign_id_for(issue, dl), issue, result))

    def _queue_write(self, write: Write) -> None:
        """A write the send causes is applied on the UI thread (see `apply_bounces`), not on the sending thread."""
        self.pending_writes.append(write)
        self.post_message(BouncesToSuppress())

    @on(BouncesToSuppress)
    def apply_bounces(self) -> None:
        while self.pending_writes:
            self.pending_writes.popleft()()

    def toggle_pause(self) -> None:
        """Pause the running campaign after the messages in flight, or resume it; says which."""
        if self.campaign is None:
            return
        if self.campaign.paused:
            self.campaign.resume()
            self.notify("Resumed.")
        else:
            self.campaign.pause()
            self.notify("Pausing after the messages in flight…")

    async def stop_and_wait(self, timeout: float = 30.0) -> None:
        """Stop after the messages in flight and wait (without blocking the UI) for the thread to finish."""
        if self.campaign is not None:
            self.campaign.stop()
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
