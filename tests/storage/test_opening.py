"""Missing, corrupt and old databases: refused with a clear message, never overwritten; backups and migrations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from bulletin_tui.storage import Database, DatabaseMissingError, StorageCorruptError, backups, migrations
from bulletin_tui.storage.lock import DataDirLock
from bulletin_tui.storage.repositories import Store

GOOD = orjson.dumps({"_meta": {"schema": {"schema_version": 1}}, "t": {"a": {"v": 1}}})
CORRUPT = {
    "empty": b"",
    "truncated": GOOD[: len(GOOD) // 2],
    "trailing garbage": GOOD + b"}}garbage",
    "binary": bytes(range(256)) * 4,
    "not an object": b"[1, 2, 3]",
    "no schema version": b'{"t": {}}',
    "newer schema version": b'{"_meta": {"schema": {"schema_version": 99}}}',
    "bad schema version": b'{"_meta": {"schema": {"schema_version": "one"}}}',
}


@pytest.mark.parametrize("kind", list(CORRUPT))
def test_a_corrupt_file_is_refused_by_name_and_left_byte_identical(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "bulletin.json"
    path.write_bytes(CORRUPT[kind])
    with pytest.raises(StorageCorruptError) as caught:
        Database.open(tmp_path, create=True)
    assert str(path) in str(caught.value)
    assert "no good backup" in str(caught.value)
    assert path.read_bytes() == CORRUPT[kind]
    assert not DataDirLock(tmp_path).held_elsewhere(), "the lock was released on refusal"


def test_a_corrupt_file_names_the_newest_good_backup(tmp_path: Path) -> None:
    db = Database.open(tmp_path, create=True)
    db.table("t")._update_table(lambda t: t.update({"a": {"v": 1}}))
    db.table("t")._update_table(lambda t: t.update({"b": {"v": 2}}))
    db.close()
    (tmp_path / "bulletin.json").write_bytes(b"{oops")
    [newest] = backups.list_backups(tmp_path / "bulletin.json")[:1]
    with pytest.raises(StorageCorruptError, match=f"newest good backup is {newest}"):
        Database.open(tmp_path)


def test_a_missing_file_with_backups_is_refused_not_replaced(tmp_path: Path) -> None:
    db = Database.open(tmp_path, create=True)
    db.table("t")._update_table(lambda t: t.update({"a": {"v": 1}}))
    db.close()
    (tmp_path / "bulletin.json").unlink()
    with pytest.raises(DatabaseMissingError, match="newest good backup"):
        Database.open(tmp_path, create=True)
    assert not (tmp_path / "bulletin.json").exists()


def test_a_missing_file_without_create_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissingError, match="--create"):
        Database.open(tmp_path)
    assert not (tmp_path / "bulletin.json").exists()


def test_backups_are_taken_before_the_first_save_and_rotated(tmp_path: Path) -> None:
    path = tmp_path / "bulletin.json"
    for session in range(backups.KEEP + 3):
        with Database.open(tmp_path, create=True) as db:
            db.table("t")._update_table(lambda t, s=session: t.update({"s": {"v": s}}))
            db.table("t")._update_table(lambda t, s=session: t.update({"s2": {"v": s}}))
    kept = backups.list_backups(path)
    assert len(kept) == backups.KEEP
    newest = orjson.loads(kept[0].read_bytes())
    assert newest["t"]["s"]["v"] == backups.KEEP + 1, "the newest backup is the state before the last session"


def test_the_newest_backup_of_each_of_the_last_days_is_kept_beside_the_newest_few(tmp_path: Path) -> None:
    """Many short processes each back up before their first save: yesterday's state must survive a busy morning."""
    path = tmp_path / "bulletin.json"
    Database.open(tmp_path, create=True).close()
    start = datetime(2026, 11, 12, 8, 0, tzinfo=UTC)
    for day in range(10):
        for hour in range(3):
            backups.make_backup(path, now=start + timedelta(days=day, hours=hour))
    for minute in range(20):  # a busy morning of commands on the last day
        backups.make_backup(path, now=start + timedelta(days=10, minutes=minute))
    kept = [backups.backup_time(p) for p in backups.list_backups(path)]
    last = start + timedelta(days=10, minutes=19)
    newest = [last - timedelta(minutes=n) for n in range(backups.KEEP)]
    daily = [start + timedelta(days=day, hours=2) for day in range(9, 2, -1)]  # younger than DAILY days
    assert kept == newest + daily


def test_migrations_run_forward_and_keep_a_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bulletin.json").write_bytes(GOOD)

    def rename_table(data: dict) -> dict:
        data["renamed"] = data.pop("t")
        return data

    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.MIGRATIONS, 1, rename_table)
    with Database.open(tmp_path) as db:
        assert db.table("renamed")._read_table() == {"a": {"v": 1}}
    on_disk = orjson.loads((tmp_path / "bulletin.json").read_bytes())
    assert on_disk["_meta"]["schema"]["schema_version"] == 2
    [backup] = backups.list_backups(tmp_path / "bulletin.json")
    assert backup.read_bytes() == GOOD


def test_store_validates_models_before_writing(tmp_path: Path) -> None:
    with Store.open(tmp_path, create=True) as store, pytest.raises(TypeError):
        store.issues.put({"slug": "x"})  # type: ignore[arg-type]
