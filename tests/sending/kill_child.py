"""Child process for the crash tests: run a campaign from an existing ledger; optionally SIGKILL itself.

    python -m tests.sending.kill_child PORT LEDGER KILL_AFTER_SENT
KILL_AFTER_SENT = 0 runs to the end (the parent may kill this process from the server side instead).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bulletin_tui.sending.ledger import Ledger
from bulletin_tui.sending.progress import Progress

from .helpers import campaign


async def main(port: int, ledger_path: Path, kill_after_sent: int) -> None:
    def on_progress(progress: Progress) -> None:
        if kill_after_sent and progress.counts.get("sent", 0) >= kill_after_sent:
            os.kill(os.getpid(), signal.SIGKILL)  # right after the record of that 250 was written

    runner = campaign(Ledger(ledger_path), port, on_progress=on_progress, options={"concurrency": 1})
    await runner.run()
    await runner.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])))
