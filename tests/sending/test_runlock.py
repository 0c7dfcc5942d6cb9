"""One process sends a campaign at a time (#24): the run lock beside its ledger."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bulletin_tui.sending.runlock import CampaignBusyError, RunLock, running_elsewhere

HOLD = ("import sys,time; from pathlib import Path; from bulletin_tui.sending.runlock import RunLock; "
        "RunLock.take(Path(sys.argv[1]), 'campaign x'); print('held', flush=True); time.sleep(60)")


def test_a_second_run_is_refused_naming_who_and_a_killed_holder_frees_it(tmp_path: Path) -> None:
    ledger = tmp_path / "ledgers" / "x.jsonl"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(ledger)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        found = running_elsewhere(ledger)
        assert found is not None and found.pid == holder.pid
        with pytest.raises(CampaignBusyError, match=rf"campaign x is being sent by .*pid {holder.pid} on "):
            RunLock.take(ledger, "campaign x")
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert running_elsewhere(ledger) is None
    RunLock.take(ledger).release()


def test_a_screen_watching_never_makes_a_start_fail(tmp_path: Path) -> None:
    """`running_elsewhere` takes the lock for a microsecond to ask; a start at that moment waits, not fails."""
    ledger = tmp_path / "x.jsonl"
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            running_elsewhere(ledger)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(300):
            RunLock.take(ledger).release()
            time.sleep(0.0005)
    finally:
        stop.set()
        watcher.join()
