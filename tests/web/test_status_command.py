"""`bulletin-tui status` through the CLI: the data folder, its last save and who made it, the journal's size and
what is pending in it, the applier's last run and the worker (text and --json)."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import orjson

from bulletin_tui.config import Settings
from bulletin_tui.services.context import open_context
from bulletin_tui.storage.atomic import atomic_write_bytes
from bulletin_tui.storage.journal import Journal
from bulletin_tui.web.applier import ApplierOutcome, status_path

from .launch import cli

NO_CONFIG = {"BULLETIN_CONFIG": "/nonexistent/bulletin-tui.toml"}


def journal(data_dir: Path, *kinds: str) -> None:
    entries = [{"id": f"entry-{n}", "at": "2026-11-22T10:00:00+00:00", "kind": kind, "token": f"u1.t{n}",
                "request": {"email": "a@example.org", "lists": ["e-bulletin"]}} for n, kind in enumerate(kinds)]
    Journal(data_dir).write(entries)


def test_a_quiet_folder(web_data: Path) -> None:
    result = cli(web_data, "status", env=NO_CONFIG)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Data folder: {web_data}" and lines[1].startswith("Last save: #")
    assert lines[2:] == [
        f"Journal: {web_data / 'inbound' / 'journal.jsonl'} (0 bytes), 0 pending",
        "Applier: has not run (serve applies the journal; so does any command that changes something)",
        "Worker: no worker running (start one: bulletin-tui worker)",
    ]


def test_pending_requests_and_who_saved_last(web_data: Path, settings: Settings) -> None:
    journal(web_data, "unsubscribe", "signup_requested", "unsubscribe")  # a request: its confirmation to queue
    with open_context(settings, role="terminal app") as ctx:
        first = ctx.store.lists.all()[0]
        ctx.store.lists.put(first.model_copy(update={"description": "changed here"}))  # a save by this process
        result = cli(web_data, "status", "--json", env=NO_CONFIG)
        text = cli(web_data, "status", env=NO_CONFIG).stdout
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    size = (web_data / "inbound" / "journal.jsonl").stat().st_size
    assert found["journal"] == {"path": str(web_data / "inbound" / "journal.jsonl"), "bytes": size, "pending": 3}
    who = f"{getpass.getuser()} (terminal app)"
    assert found["last_save"]["by"] == who and found["last_save"]["number"] > 1
    assert found["database"] is True and found["applier"] is None and found["worker"] is None
    assert f"Last save: #{found['last_save']['number']} by {who} at " in text
    assert ", 3 pending" in text


def test_a_failed_applier_is_flagged(web_data: Path) -> None:
    failed = ApplierOutcome(at="2026-11-22T10:05:00+00:00", exit_code=1, message="bulletin-tui: the disk is full")
    status_path(web_data).parent.mkdir(mode=0o700, exist_ok=True)
    atomic_write_bytes(status_path(web_data), orjson.dumps(failed.as_json()))
    result = cli(web_data, "status", env=NO_CONFIG)
    assert result.returncode == 1
    assert ("Applier: FAILED at 2026-11-22T10:05:00+00:00 (exit 1): bulletin-tui: the disk is full"
            in result.stdout.splitlines())
    as_json = json.loads(cli(web_data, "status", "--json", env=NO_CONFIG).stdout)
    assert as_json["applier"] == {"at": failed.at, "ok": False, "exit_code": 1, "message": failed.message}


def test_an_ok_run_after_it(web_data: Path) -> None:
    done = ApplierOutcome(at="2026-11-22T10:06:00+00:00", exit_code=0)
    status_path(web_data).parent.mkdir(mode=0o700, exist_ok=True)
    atomic_write_bytes(status_path(web_data), orjson.dumps(done.as_json()))
    result = cli(web_data, "status", env=NO_CONFIG)
    assert result.returncode == 0 and "Applier: last run 2026-11-22T10:06:00+00:00: ok" in result.stdout
