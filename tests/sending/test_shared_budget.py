"""Two processes sending at once from one data folder keep to one mailbox budget (issue #23 item 2), against a
stand-in that refuses a 4th connection with 432 4.3.2 and stamps each message: a CLI send and a second sender
(a campaign through the sending engine, as session mail and the web face's confirmations send). Then later
processes see their sends: the rolling-24-hour count is right across restarts, and `send` says before it starts
how much of the day's budget is left and when the rest can go.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DEMO_ISSUE, CliRun

from .limited_server import limited_server

ROOT = Path(__file__).resolve().parents[2]
PER_MINUTE, CONNECTIONS = 60, 3
pytestmark = pytest.mark.slow  # a little over a minute: the per-minute window has to roll once


def run(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_two_senders_keep_to_one_minute_three_connections_and_one_day(cli: CliRun, tmp_path: Path) -> None:
    cli("demo")
    data = str(cli.data_dir)
    env = {**os.environ, "BULLETIN_CONFIG": str(tmp_path / "none.toml"),
           "BULLETIN_LIMITS__MAX_CONNECTIONS": str(CONNECTIONS), "BULLETIN_LIMITS__RATE_PER_MINUTE": str(PER_MINUTE)}
    with limited_server(max_connections=CONNECTIONS, answer_after=0.1) as server:  # both senders' bursts overlap
        smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--smtp-security", "none"]
        started = time.monotonic()
        bulletin = run(["-m", "bulletin_tui", "--data-dir", data, "send", DEMO_ISSUE, "--list", "csis-invitations",
                        "--force", "--concurrency", "2", *smtp], env)
        while not server.handler.messages and time.monotonic() - started < 60:
            time.sleep(0.01)  # the second sender starts while the first holds its connections
        invites = run(["-m", "tests.sending.budget_sender", data, str(server.port), "45", "invites"], env)
        bulletin_out, bulletin_err = bulletin.communicate(timeout=300)
        invites_out, invites_err = invites.communicate(timeout=300)
        took = time.monotonic() - started

        assert bulletin.returncode == 0, bulletin_out + bulletin_err
        assert "Mailing complete (75 sent of 75)" in bulletin_out
        assert bulletin_out.startswith("Budget left today: 10,000 of 10,000 (rolling 24 hours)\n")  # said first
        assert invites.returncode == 0 and invites_out.strip() == "complete (45 sent of 45)", invites_err
        assert len(server.handler.messages) == 120 and server.refused == 0
        assert server.max_open == CONNECTIONS  # both wanted 2: together they never opened a 4th
        assert server.busiest_minute() <= PER_MINUTE
        assert took >= 60  # 120 messages at 60 a minute, between them
        print(f"two senders: {len(server.handler.messages)} messages in {took:.1f} s, at most "
              f"{server.max_open} connections at once, at most {server.busiest_minute()} in any 60 s")

        used = subprocess.run([sys.executable, "-m", "tests.sending.budget_sender", data, str(server.port),
                               "--used-today"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        assert used.stdout.strip() == "120"  # a third process sees both senders' messages

        env |= {"BULLETIN_LIMITS__RATE_PER_DAY": "150"}  # 30 left of the day's budget
        later = subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", data, "send", DEMO_ISSUE,
                                "--list", "dhr-webinars", "--force", "--rate-per-minute", "0", *smtp], cwd=ROOT,
                               env=env, capture_output=True, text=True, timeout=300, check=False)
        assert later.returncode == 4, later.stdout + later.stderr
        assert re.search(r"^Budget left today: 30 of 150 \(rolling 24 hours\)\. 53 to send at 150 a day: 30 go now, "
                         r"the rest from \d\d:\d\d tomorrow as the window frees$", later.stdout, re.M), later.stdout
        assert "Mailing paused: daily sending limit reached" in later.stdout  # 23 on both lists already had it
        assert len(server.handler.messages) == 150 and server.refused == 0
