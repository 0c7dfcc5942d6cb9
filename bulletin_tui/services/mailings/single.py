"""One message outside any campaign (a `[TEST]` send, the deliverability check): it leaves the way every message
does, through the installation's transport (OAuth2 included), and counts against the mailbox's shared budget like
every other message (a used-up allowance is a pause, never a send over it)."""

from __future__ import annotations

import asyncio

from ...sending.transport import Delivery, Outcome, Transport
from ..context import AppContext
from ..mailauth.wiring import transport_for
from .runs import rate_limiter

LONGEST_WAIT_S = 60.0


async def deliver_one(ctx: AppContext, to: str, message: bytes, *, sender: str = "",
                      transport: Transport | None = None) -> Delivery:
    """Send one message now (waiting up to a minute for the mailbox's pace); the transport is closed after."""
    chosen = transport or transport_for(ctx.settings, ctx.data_dir)
    limiter = None if chosen.name == "outbox" else rate_limiter(ctx)  # .eml files use none of the allowance
    try:
        wait = limiter.delay() if limiter is not None else 0.0
        if wait > LONGEST_WAIT_S:
            return Delivery(Outcome.PAUSE, reply=f"not sent: the mailbox's sending budget allows the next message "
                                                 f"in {wait / 60:.0f} min")
        if wait > 0:
            await asyncio.sleep(wait)
        if limiter is not None:
            limiter.record()
        return await chosen.deliver(sender or ctx.settings.sender.from_address, to, message)
    finally:
        await chosen.close()
        if limiter is not None:
            limiter.close()
