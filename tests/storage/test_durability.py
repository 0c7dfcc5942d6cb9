"""A crash, a full disk or a second writer never corrupts or silently changes the database."""

from __future__ import annotations

import errno
import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from bulletin_tui.storage import Database, StorageWriteError
from bulletin_tui.storage.atomic import encode_chunks, load_json_file
from tests.storage.kill_child import payload

CHILD = Path(__file__).with_name("kill_child.py")


def _read_state(data_dir: Path) -> tuple[int, dict]:
    data = load_json_file(data_dir / "bulletin.json")
    return data.get("counter", {}).get("c", {"n": 0})["n"], data.get("rows", {})


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_the_state_before_or_after_the_interrupted_save(tmp_path: Path) -> None:
    rng = random.Random(7)
    data_dir = tmp_path / "data"
    kills = interrupted_mid_run = 0
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    while kills < 100:
        before, _ = _read_state(data_dir) if (data_dir / "bulletin.json").exists() else (0, {})
        child = subprocess.Popen([sys.executable, str(CHILD), str(data_dir)], stdout=subprocess.PIPE, env=env)
        assert child.stdout is not None
        confirmed = before
        first = child.stdout.readline()  # wait until it has saved at least once, then kill it at random
        confirmed = int(first)
        deadline = time.monotonic() + rng.uniform(0.0, 0.25)
        while time.monotonic() < deadline:
            ready, _, _ = select.select([child.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if ready:
                confirmed = int(child.stdout.readline())
        child.send_signal(signal.SIGKILL)
        child.wait()
        for line in child.stdout.read().split():
            confirmed = int(line)
        kills += 1
        after, rows = _read_state(data_dir)
        assert after in (confirmed, confirmed + 1), f"kill {kills}: saved {confirmed}, found {after}"
        interrupted_mid_run += after == confirmed + 1
        assert rows == orjson.loads(orjson.dumps(payload(after))), f"kill {kills}: rows do not match state {after}"
    print(f"{kills} kills, {interrupted_mid_run} found the interrupted save completed")
    with Database.open(data_dir) as db:  # it still opens, and the writer clears temp files left by kills
        assert db.table("counter")._read_table()["c"]["n"] == after
    assert not list(data_dir.glob(".*.tmp"))


def test_disk_full_half_way_raises_a_typed_error_and_leaves_the_file_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database.open(tmp_path, create=True)
    db.table("t")._update_table(lambda t: t.update({"a": {"v": 1}}))
    original = (tmp_path / "bulletin.json").read_bytes()
    real_write = os.write
    calls = {"n": 0}

    def write_then_fill_up(fd: int, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", write_then_fill_up)
    with pytest.raises(StorageWriteError, match="No space left"):
        db.table("t")._update_table(lambda t: t.update({"b": {"v": "x" * 10_000}}))
    monkeypatch.undo()
    assert (tmp_path / "bulletin.json").read_bytes() == original
    assert not list(tmp_path.glob(".*.tmp"))
    assert db.table("t")._read_table() == {"a": {"v": 1}}, "memory rolled back to what is on disk"
    db.close()


def test_a_failed_transaction_changes_nothing_on_disk_or_in_memory(tmp_path: Path) -> None:
    db = Database.open(tmp_path, create=True)
    db.table("t")._update_table(lambda t: t.update({"a": {"v": 1}}))
    saves = db.storage.saves
    with pytest.raises(RuntimeError), db.transaction():
        db.table("t")._update_table(lambda t: t.update({"b": {"v": 2}}))
        db.table("u")._update_table(lambda t: t.update({"c": {"v": 3}}))
        raise RuntimeError("half-way")
    assert db.storage.saves == saves
    assert db.table("t")._read_table() == {"a": {"v": 1}}
    assert db.table("u")._read_table() == {}
    with db.transaction():
        db.table("t")._update_table(lambda t: t.update({"b": {"v": 2}}))
        db.table("u")._update_table(lambda t: t.update({"c": {"v": 3}}))
    assert db.storage.saves == saves + 1, "a transaction is one write"
    db.close()


@pytest.mark.parametrize("rows_per_chunk", [1, 2, 3, 2_000])
def test_the_chunked_save_writes_exactly_the_document_orjson_would(rows_per_chunk: int) -> None:
    data = {"_meta": {"schema_version": 1}, "empty": {}, "people": {f"p{n}": {"name": f"Tést {n}", "n": n,
                                                                              "tags": ["a", "£"]} for n in range(7)}}
    assert b"".join(encode_chunks(data, rows_per_chunk)) == orjson.dumps(data)
    assert b"".join(encode_chunks({})) == b"{}"


def test_a_value_that_cannot_be_saved_leaves_no_temporary_file_and_the_old_file(tmp_path: Path) -> None:
    db = Database.open(tmp_path, create=True)
    db.table("t")._update_table(lambda t: t.update({"a": {"v": 1}}))
    original = (tmp_path / "bulletin.json").read_bytes()
    with pytest.raises(TypeError):
        db.table("t")._update_table(lambda t: t.update({"b": {"v": object()}}))
    assert (tmp_path / "bulletin.json").read_bytes() == original
    assert db.table("t")._read_table() == {"a": {"v": 1}}
    assert not list(tmp_path.glob(".*.tmp"))
    db.close()
