"""One bulletin send as both faces drive it: run it on any event loop; pause, resume and stop it from any thread.
`send_bulletin` runs one to the end with no face watching (scripts and tests).

The one send path: the CLI or the terminal app -> `CampaignHandle` -> the campaign runner (`sending.mailing`) ->
transport and ledger. The handle opens the campaign (checks, one render, audience snapshot), runs it, closes it and
records the outcome; the face only supplies a progress callback and, if the store belongs to another thread (the
TUI), a `write_on_owner` that hands each database write (a hard bounce's suppression, the issue marked sent) to it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from ...sending.mailing import Campaign, ProgressHook
from ...sending.progress import CampaignResult, Recipient
from ...sending.transport import Delivery, Transport
from ..context import AppContext
from .send import ListChoice, bulletin_campaign, record_outcome

Write = Callable[[], None]
WriteHook = Callable[[Write], None]


def write_now(write: Write) -> None:
    """The store belongs to the sending thread itself (the CLI): write at once."""
    write()


class CampaignHandle:
    """Start with `await run()`; `pause()`, `resume()` and `stop()` are safe from any thread, even before `run()`."""

    def __init__(
        self, ctx: AppContext, issue_slug: str, list_slug: ListChoice = None, *, transport: Transport | None = None,
        on_progress: ProgressHook | None = None, write_on_owner: WriteHook = write_now, **options: Any,
    ) -> None:
        self.ctx, self.issue_slug, self.list_slug = ctx, issue_slug, list_slug
        self._transport, self._on_progress, self._write = transport, on_progress, write_on_owner
        self._options = options
        self._lock = threading.Lock()
        self._campaign: Campaign | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._paused = self._stopped = False
        self.campaign_id = ""
        """The campaign's id (its ledger's name), once `run()` has opened it."""

    @property
    def paused(self) -> bool:
        """Paused by the operator (the engine's own pauses end the run instead)."""
        return self._paused

    @property
    def running(self) -> bool:
        return self._campaign is not None

    async def run(self) -> CampaignResult:
        """Open the campaign, send until done, paused by the engine or stopped; the issue is marked sent if done."""
        campaign = self._open()
        suppress = campaign.on_hard_bounce
        if suppress is not None:
            campaign.on_hard_bounce = lambda recipient, delivery: self._bounced(suppress, recipient, delivery)
        self.campaign_id = campaign.ledger.path.stem
        with self._lock:
            self._campaign, self._loop = campaign, asyncio.get_running_loop()
            if self._paused:
                campaign.pause()
            if self._stopped:
                campaign.cancel()
        try:
            result = await campaign.run()
        finally:
            with self._lock:
                self._campaign, self._loop = None, None
            await campaign.close()
        self._write(lambda: self._finished(result))
        return result

    def _open(self) -> Campaign:
        """The campaign to run: the bulletin's (a subclass opens another kind through the same handle)."""
        return bulletin_campaign(self.ctx, self.issue_slug, self.list_slug, transport=self._transport,
                                 on_progress=self._on_progress, **self._options)

    def _finished(self, result: CampaignResult) -> None:
        """After the run, on the store's thread: the issue is marked sent if the campaign completed."""
        record_outcome(self.ctx, self.issue_slug, result)

    def pause(self) -> None:
        """Finish the messages in flight, then hold until `resume()` or `stop()`."""
        self._paused = True
        self._call(Campaign.pause)

    def resume(self) -> None:
        self._paused = False
        self._call(Campaign.resume)

    def stop(self) -> None:
        """Stop after the messages in flight; the campaign can be resumed later."""
        self._stopped = True
        self._call(Campaign.cancel)

    def _call(self, command: Callable[[Campaign], None]) -> None:
        """Run a control command on the campaign's own event loop (it may be another thread's)."""
        with self._lock:
            if self._campaign is not None and self._loop is not None:
                self._loop.call_soon_threadsafe(command, self._campaign)

    def _bounced(self, suppress: Callable[[Recipient, Delivery], None], recipient: Recipient,
                 delivery: Delivery) -> None:
        self._write(lambda: suppress(recipient, delivery))


async def send_bulletin(ctx: AppContext, issue_slug: str, lists: ListChoice = None, **options: Any) -> (
    CampaignResult
):
    """Run (or resume) the bulletin campaign to one or several lists; the issue is marked sent once it completes."""
    return await CampaignHandle(ctx, issue_slug, lists, **options).run()
