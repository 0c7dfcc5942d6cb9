"""A second sender in a process of its own, as session mail or the web face's confirmations are: a campaign of
COUNT messages through the sending engine, with the data folder's mailbox budget (the shared send log and the
connection slots), beside a CLI send on the same folder.

    python -m tests.sending.budget_sender DATA_DIR PORT COUNT NAME    # prints "complete (45 sent of 45)"
    python -m tests.sending.budget_sender DATA_DIR PORT --used-today  # prints the mailbox's rolling-24-hour count
Limits come from the environment (BULLETIN_LIMITS__*), as for the CLI.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bulletin_tui.config import load_settings
from bulletin_tui.sending.progress import Recipient
from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.mailings.runs import open_campaign, rate_limiter


def context(data_dir: Path, port: int) -> AppContext:
    settings = load_settings(data_dir=data_dir, smtp={"host": "127.0.0.1", "port": port, "security": "none"})
    return open_context(settings, read_only=True)


def build(recipient: Recipient) -> bytes:
    return (f"From: team@kent.gov.uk\r\nTo: {recipient.email}\r\nSubject: Your invitation\r\n"
            f"Message-ID: <{recipient.key}@kent.gov.uk>\r\n\r\nSee you there.\r\n").encode()


async def send(ctx: AppContext, count: int, name: str) -> str:
    invitees = [Recipient(f"invitee{n:03d}@example.org", f"Invitee {n}") for n in range(count)]
    campaign = open_campaign(ctx, f"second/{name}", lambda: invitees, build, meta={"kind": "invites"})
    try:
        result = await campaign.run()
    finally:
        await campaign.close()
    counts = ", ".join(f"{v} {k}" for k, v in sorted(result.counts.items()))
    return f"{result.status.value} ({counts} of {result.total})"


def main(argv: list[str]) -> None:
    ctx = context(Path(argv[0]), int(argv[1]))
    try:
        if argv[2] == "--used-today":
            limiter = rate_limiter(ctx)
            print(limiter.used_today)
            limiter.close()
        else:
            print(asyncio.run(send(ctx, int(argv[2]), argv[3])))
    finally:
        ctx.close()


if __name__ == "__main__":
    main(sys.argv[1:])
