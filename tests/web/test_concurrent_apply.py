"""Several appliers at once (serve's `web-apply`, a command, the worker) on one journal: each entry is applied
once, and writes made meanwhile by another process are all kept (issue #24, short write transactions)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from bulletin_tui.config import Settings
from bulletin_tui.domain.subscribers import ConsentAction
from bulletin_tui.services.web.journal_apply import applied_entries
from bulletin_tui.storage.journal import journal_path

from .conftest import PEOPLE, reopen, token_for
from .server import ROOT


def start(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_three_appliers_and_a_writing_command_at_once_apply_each_entry_once(web_data: Path,
                                                                            settings: Settings) -> None:
    tokens = [token_for(web_data, settings, person) for person in PEOPLE]
    entries = [{"id": f"one-click-{n}", "at": "2026-11-22T09:00:00+00:00", "kind": "unsubscribe", "token": token}
               for n, token in enumerate(tokens)]
    journal = journal_path(web_data)
    journal.parent.mkdir(mode=0o700, exist_ok=True)
    journal.write_bytes(b"".join(orjson.dumps(entry) + b"\n" for entry in entries))
    processes = [start(web_data, "web-apply") for _ in range(3)]
    processes += [start(web_data, "subscribers", "add", f"new{n}@example.org", "--list", "csis") for n in range(4)]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    with reopen(settings) as ctx:
        assert {e.id for e in applied_entries(ctx)} == {e["id"] for e in entries}
        for person in PEOPLE:
            found = ctx.store.subscribers.get(person)
            assert found is not None and not found.is_subscribed("e-bulletin")
            withdrawals = [c for c in found.consent if c.action is ConsentAction.WITHDRAWN]
            assert len(withdrawals) == 1, f"{person}: {withdrawals}"
        assert all(f"new{n}@example.org" in ctx.store.subscribers for n in range(4)), "no write was lost"
