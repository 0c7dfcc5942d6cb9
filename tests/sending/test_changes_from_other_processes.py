"""A send takes hours; other officers keep working meanwhile (#24). An unsubscribe, a suppression and an erasure
made by other processes while a CLI send runs stop the next message to those people."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.domain.identity import canonical_email
from bulletin_tui.services.context import open_context
from tests.conftest import DEMO_ISSUE

from .smtp_server import threaded_server

ROOT = Path(__file__).resolve().parents[2]


def cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.slow
def test_an_unsubscribe_a_suppression_and_an_erasure_elsewhere_stop_a_running_send(tmp_path: Path) -> None:
    data = tmp_path / "data"
    cli(data, "demo")
    with open_context(Settings(data_dir=data), read_only=True) as ctx:
        members = sorted(canonical_email(p.email) for p in ctx.store.subscribers if p.is_subscribed("e-bulletin"))
    leaver, suppressed, erased = members[-3:]  # sent to last (the queue is in key order)
    with threaded_server() as smtp:
        smtp.script.end_delay = 0.02  # one connection, 20 ms a message: several seconds for the list
        sender = subprocess.Popen(
            [sys.executable, "-m", "bulletin_tui", "--data-dir", str(data), "send", DEMO_ISSUE, "--list",
             "e-bulletin", "--force", "--rate-per-minute", "0", "--concurrency", "1", "--smtp-host", "127.0.0.1",
             "--smtp-port", str(smtp.port), "--smtp-security", "none"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        while len(smtp.messages) < 3 and sender.poll() is None:
            time.sleep(0.05)
        cli(data, "subscribers", "unsubscribe", leaver, "--list", "e-bulletin")
        cli(data, "subscribers", "suppress", suppressed)
        cli(data, "subscribers", "erase", erased, "--yes")
        assert sender.poll() is None, "the changes were made while the send ran"
        output = sender.communicate(timeout=180)[0].decode()
    assert sender.returncode == 0, output
    received = smtp.handler.by_recipient()
    assert not {leaver, suppressed, erased} & set(received), output
    assert len(received) == len(members) - 3
