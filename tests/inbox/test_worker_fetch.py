"""The worker fetches the team mailbox (a real Dovecot) when [imap] is set: each message applied once and filed,
one line in `logs/worker.log` with counts only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.inbox.records import inbox_messages

from .conftest import TeamMailbox, deliver_corpus

ROOT = Path(__file__).resolve().parents[2]


def worker_once(data: Path, env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data), "worker", "--once"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def test_the_worker_fetches_the_mailbox_once_per_message(inbox_ctx: AppContext, dovecot: TeamMailbox,
                                                         tmp_path: Path) -> None:
    names = ["register-me.eml", "general-enquiry.eml", "outlook-itip-declined.eml", "outlook-oof.eml"]
    deliver_corpus(dovecot, names)
    data = inbox_ctx.data_dir
    inbox_ctx.close()
    env = {**os.environ, "BULLETIN_CONFIG": str(tmp_path / "none.toml"), "BULLETIN_IMAP__HOST": "127.0.0.1",
           "BULLETIN_IMAP__PORT": str(dovecot.port), "BULLETIN_IMAP__SECURITY": "tls",
           "BULLETIN_IMAP__USERNAME": dovecot.user, "BULLETIN_IMAP__PASSWORD": dovecot.password,
           "BULLETIN_WORKER__INBOX_MINUTES": "20"}
    worker_once(data, env)
    deliver_corpus(dovecot, ["outlook-oof.eml"])  # the same message again (same Message-ID): filed, not re-applied
    worker_once(data, env)
    with open_context(inbox_ctx.settings, read_only=True) as ctx:
        recorded = inbox_messages(ctx).all()
    assert len(recorded) == len(names)
    client = dovecot.client()
    try:
        assert client.select("INBOX")[1] == [b"0"]  # everything filed
    finally:
        client.logout()
    lines = [line for line in (data / "logs" / "worker.log").read_text().splitlines() if " inbox " in line]
    assert len(lines) == 2 and "inbox ok: 4 message(s): " in lines[0] and "2 wait for review" in lines[0]
    assert "inbox ok: 1 message(s)" in lines[1]
    assert "@" not in "\n".join(lines)
    status = json.loads((data / "worker" / "status.json").read_text())
    assert status["jobs"]["inbox"]["enabled"] is True and status["jobs"]["inbox"]["next"]
