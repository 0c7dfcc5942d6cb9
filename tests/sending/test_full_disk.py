"""A full disk under the send ledger (a real 64 KB tmpfs), then a SIGKILL during the resume: the CLI stops before
DATA with a clear reason instead of a traceback, and across every run nobody receives the bulletin twice (#22.2)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bulletin_tui.locations import ledger_dir
from tests.conftest import DEMO_ISSUE
from tests.small_disk import grow, small_disk

from .smtp_server import threaded_server

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def send(data: Path, port: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "bulletin_tui", "--data-dir", str(data), "send", DEMO_ISSUE, "--list", "e-bulletin",
            "--rate-per-minute", "0", "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-security", "none",
            *extra]


def test_a_full_disk_then_a_kill_never_sends_anyone_twice(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data), "demo"], cwd=ROOT,
                          capture_output=True, check=False).returncode == 0
    with small_disk(ledger_dir(data), "64k") as disk, threaded_server() as smtp:
        first = subprocess.run(send(data, smtp.port, "--force"), cwd=ROOT, capture_output=True, text=True,
                               timeout=300, check=False)
        assert first.returncode == 4, first.stdout + first.stderr  # paused, with the reason
        assert "send ledger could not be written" in first.stdout + first.stderr
        assert "Traceback" not in first.stdout + first.stderr
        stopped_at = len(smtp.messages)
        assert 0 < stopped_at < 240
        grow(disk, "4m")
        resumed = subprocess.Popen(send(data, smtp.port, "--resume"), cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        while len(smtp.messages) < stopped_at + 40 and resumed.poll() is None:
            time.sleep(0.01)
        resumed.send_signal(signal.SIGKILL)
        resumed.wait(30)
        last = subprocess.run(send(data, smtp.port, "--resume"), cwd=ROOT, capture_output=True, text=True,
                              timeout=300, check=False)
        assert "Traceback" not in last.stdout + last.stderr
        counts = smtp.handler.by_recipient()
    assert set(counts.values()) == {1}, {k: v for k, v in counts.items() if v > 1}
    assert len(counts) >= 238  # at most the one or two in flight at the kill are uncertain and not resent
