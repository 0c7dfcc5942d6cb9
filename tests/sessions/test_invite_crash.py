"""SIGKILL during `sessions send-invites` behaves like a bulletin send (#23): the process is killed from the
server's side while the 20th invite's end of data waits for its reply; the next run leaves that one uncertain
(it arrived: never sent twice) and sends the rest. Nobody is missing, nobody gets two."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sending.smtp_server import threaded_server

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = [f"crash{n:02d}@example.org" for n in range(40)]
pytestmark = pytest.mark.slow


def test_a_kill_mid_invites_then_a_rerun_sends_everyone_once(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    cli("sessions", "add", "s1", "--title", "T", "--start", "2027-05-06 12:30", "--end", "13:30")
    for address in PEOPLE:
        cli("sessions", "register", "s1", address, "--no-send")
    with threaded_server() as server:
        env = {**os.environ, "BULLETIN_SMTP__HOST": "127.0.0.1", "BULLETIN_SMTP__PORT": str(server.port),
               "BULLETIN_SMTP__SECURITY": "none", "BULLETIN_LIMITS__RATE_PER_MINUTE": "0"}
        command = [sys.executable, "-m", "bulletin_tui", "--data-dir", str(cli.data_dir), "sessions", "send-invites"]
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def kill_at_the_twentieth(received: object) -> None:
            if len(server.messages) == 19:  # this one is kept; its 250 never reaches the sender
                os.kill(child.pid, signal.SIGKILL)

        server.script.on_message = kill_at_the_twentieth
        server.script.end_delay = 0.3
        assert child.wait(60) == -signal.SIGKILL
        server.script.on_message, server.script.end_delay = None, 0.0
        rerun = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
        counts = server.handler.by_recipient()
    assert rerun.stdout.count(" uncertain") == 1, rerun.stdout + rerun.stderr  # shown, not resent
    assert sorted(counts) == PEOPLE and set(counts.values()) == {1}
