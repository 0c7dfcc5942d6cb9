"""Issue #11 item 5: `bulletin-tui restore BACKUP` puts a backup (and its key) back, keeping the current file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin_tui.storage.backups import list_backups
from bulletin_tui.storage.repositories import Store
from bulletin_tui.storage.restore import restore_backup


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir.parent / "none.toml")}
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    assert run(folder, "demo").returncode == 0
    assert run(folder, "subscribers", "add", "new.person@example.org", "--name", "New").returncode == 0
    return folder


def test_the_corrupt_database_message_names_the_command_that_puts_the_backup_back(data: Path) -> None:
    key = (data / "secret.key").read_bytes()
    (data / "bulletin.json").write_bytes(b'{"subscribers": {"half')
    (data / "secret.key").unlink()
    refused = run(data, "subscribers", "lists")
    newest = list_backups(data / "bulletin.json")[0]
    command = f"bulletin-tui --data-dir {data} restore {newest}"
    assert refused.returncode == 1 and f"(put it back with: {command})" in refused.stderr
    restored = run(data, *command.split()[3:])
    assert restored.returncode == 0, restored.stderr
    assert f"Restored {newest} to {data} with its key" in restored.stdout
    assert (data / "bulletin.json").read_bytes() == newest.read_bytes() and (data / "secret.key").read_bytes() == key
    kept = list_backups(data / "bulletin.json")[0]
    assert kept.read_bytes() == b'{"subscribers": {"half' and f"kept as {kept}" in restored.stdout
    listed = run(data, "subscribers", "list")
    assert listed.returncode == 0 and "new.person@example.org" not in listed.stdout  # the state before the add
    assert "240 subscribers" in listed.stderr


def test_a_backup_can_be_named_by_its_file_name(data: Path) -> None:
    oldest = list_backups(data / "bulletin.json")[-1]
    assert run(data, "restore", oldest.name).returncode == 0
    assert (data / "bulletin.json").read_bytes() == oldest.read_bytes()


def test_a_process_that_has_the_folder_open_works_on_the_restored_state_not_over_it(data: Path) -> None:
    """Restore takes the write lock like any change; an app left open re-reads before its next write."""
    open_app = Store.open(data)
    backup = list_backups(data / "bulletin.json")[0]
    restore_backup(data, backup)
    assert open_app.changed_on_disk()
    with open_app.transaction():
        assert "new.person@example.org" not in open_app.subscribers, "the write began on the restored state"
        open_app.lists.put(open_app.lists.all()[0])
    reopened = Store.open(data, read_only=True)
    assert "new.person@example.org" not in reopened.subscribers


def test_a_corrupt_or_missing_backup_is_refused_and_nothing_changes(data: Path, tmp_path: Path) -> None:
    before, backups = (data / "bulletin.json").read_bytes(), list_backups(data / "bulletin.json")
    (tmp_path / "bad.json").write_bytes(b"[1, 2]")
    bad = run(data, "restore", str(tmp_path / "bad.json"))
    assert bad.returncode == 1 and "not a bulletin-tui database" in bad.stderr and "nothing was restored" in bad.stderr
    missing = run(data, "restore", "nope.json")
    assert missing.returncode == 1 and "no backup nope.json" in missing.stderr
    assert (data / "bulletin.json").read_bytes() == before and list_backups(data / "bulletin.json") == backups
