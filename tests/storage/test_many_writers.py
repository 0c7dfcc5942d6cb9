"""Many processes on one data folder: short write transactions, each on the newest saved state (#24)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bulletin_tui.domain.bulletins import BulletinItem
from bulletin_tui.storage import Database, LockedError
from bulletin_tui.storage.atomic import load_json_file
from bulletin_tui.storage.errors import EditConflictError
from bulletin_tui.storage.generation import CHANGES_TABLE, change_key, peek_generation
from bulletin_tui.storage.lock import DataDirLock
from bulletin_tui.storage.repositories import Store

INCREMENT = """
import sys
from pathlib import Path
from bulletin_tui.storage import Database
db = Database.open(Path(sys.argv[1]), author=sys.argv[2])
table = db.table("t")
for n in range(int(sys.argv[3])):
    with db.transaction():  # a read-modify-write of one shared row, and a row of its own
        count = (table._read_table().get("counter") or {"n": 0})["n"]
        table._update_table(lambda t, c=count: t.update({"counter": {"n": c + 1}}))
        table._update_table(lambda t, n=n: t.update({f"{sys.argv[2]}-{n}": {"v": n}}))
"""


def put(db: Database, key: str, value: object) -> None:
    db.table("t")._update_table(lambda t: t.update({key: {"v": value}}))


def test_two_open_databases_both_write_and_neither_loses_the_other(tmp_path: Path) -> None:
    first = Database.open(tmp_path, create=True)
    second = Database.open(tmp_path)
    assert not first.read_only and not second.read_only, "nobody is refused for someone else being here"
    put(first, "a", 1)
    put(second, "b", 2)  # second re-reads first's save under the lock before applying its own change
    put(first, "c", 3)
    assert set(load_json_file(tmp_path / "bulletin.json")["t"]) == {"a", "b", "c"}
    assert second.table("t")._read_table().keys() == {"a", "b"}, "a reader sees a save only after refresh"
    assert second.refresh() and second.table("t")._read_table().keys() == {"a", "b", "c"}
    assert not second.refresh(), "nothing new: no re-read"


def test_four_processes_incrementing_one_counter_lose_no_update(tmp_path: Path) -> None:
    Database.open(tmp_path, create=True).close()
    children = [subprocess.Popen([sys.executable, "-c", INCREMENT, str(tmp_path), f"p{n}", "40"]) for n in range(4)]
    assert [child.wait(timeout=120) for child in children] == [0, 0, 0, 0]
    table = load_json_file(tmp_path / "bulletin.json")["t"]
    assert table["counter"] == {"n": 160}
    assert len(table) == 1 + 160


def test_threads_of_one_process_take_turns(tmp_path: Path) -> None:
    db = Database.open(tmp_path, create=True)

    def work(name: str) -> None:
        for n in range(30):
            with db.transaction():
                count = (db.table("t")._read_table().get("counter") or {"v": 0})["v"]
                put(db, "counter", count + 1)
                put(db, f"{name}{n}", n)

    threads = [threading.Thread(target=work, args=(name,)) for name in "xyz"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert load_json_file(tmp_path / "bulletin.json")["t"]["counter"] == {"v": 90}


def test_a_writer_waits_for_another_process_transaction_and_names_it_when_it_gives_up(tmp_path: Path) -> None:
    db = Database.open(tmp_path, create=True)
    code = ("import sys,time; from pathlib import Path; from bulletin_tui.storage.lock import DataDirLock; "
            "lock = DataDirLock(Path(sys.argv[1])); lock.acquire(); print('held', flush=True); "
            "time.sleep(float(sys.argv[2]))")
    child = subprocess.Popen([sys.executable, "-c", code, str(tmp_path), "0.6"], stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline().strip() == b"held"
    started = time.perf_counter()
    put(db, "after", 1)  # waits for the child's "transaction" to end, then saves
    assert time.perf_counter() - started > 0.3
    child.wait()
    stuck = subprocess.Popen([sys.executable, "-c", code, str(tmp_path), "60"], stdout=subprocess.PIPE)
    assert stuck.stdout is not None and stuck.stdout.readline().strip() == b"held"
    try:
        with pytest.raises(LockedError, match=rf"pid {stuck.pid} on .* has held its write lock"):
            DataDirLock(tmp_path).acquire(wait_s=0.2)
    finally:
        stuck.send_signal(signal.SIGKILL)
        stuck.wait()
    put(db, "after-kill", 1)  # a killed holder's lock is gone with it
    assert {"after", "after-kill"} <= set(load_json_file(tmp_path / "bulletin.json")["t"])


def test_a_crashed_transaction_leaves_no_lock_and_a_failed_one_saves_nothing(tmp_path: Path) -> None:
    db = Database.open(tmp_path, create=True)
    put(db, "a", 1)
    with pytest.raises(RuntimeError), db.transaction():
        put(db, "b", 2)
        raise RuntimeError("half-way")
    assert not DataDirLock(tmp_path).held_elsewhere()
    assert set(load_json_file(tmp_path / "bulletin.json")["t"]) == {"a"}
    assert set(db.table("t")._read_table()) == {"a"}


def test_each_save_stamps_a_generation_at_the_start_of_the_file(tmp_path: Path) -> None:
    db = Database.open(tmp_path, create=True)
    before = peek_generation(tmp_path / "bulletin.json")
    put(db, "a", 1)
    after = peek_generation(tmp_path / "bulletin.json")
    assert before and after and before != after == db.storage.generation
    raw = (tmp_path / "bulletin.json").read_bytes()
    assert raw.startswith(b'{"_meta":{"generation":{"number":')
    other = Database.open(tmp_path)
    assert not other.changed_on_disk()
    put(db, "b", 2)
    assert other.changed_on_disk()


def test_a_file_saved_before_generations_is_read_again_then_stamped(tmp_path: Path) -> None:
    (tmp_path / "bulletin.json").write_bytes(b'{"t":{"old":{"v":0}},"_meta":{"schema":{"schema_version":2}}}')
    db = Database.open(tmp_path)
    put(db, "new", 1)
    assert set(load_json_file(tmp_path / "bulletin.json")["t"]) == {"old", "new"}
    assert peek_generation(tmp_path / "bulletin.json") == db.storage.generation


def item(title: str) -> BulletinItem:
    return BulletinItem.model_validate({"id": "it-1", "category": "news", "title": title, "summary": "s",
                                        "link": "https://www.kent.gov.uk/", "created_at": "2026-11-22T10:00:00Z"})


def test_an_edit_over_someone_elses_save_is_refused_naming_who_what_and_when(tmp_path: Path) -> None:
    mine, theirs = Store.open(tmp_path, create=True, author="ann (terminal app)"), None
    mine.items.put(item("First title"))
    theirs = Store.open(tmp_path, author="bob (command line)")
    original = mine.items.row("it-1")  # the form opens on this
    theirs.items.put(item("Bob's title"))
    with pytest.raises(EditConflictError) as caught, mine.guarded(mine.items, "it-1", original):
        mine.items.put(item("Ann's title"))
    conflict = caught.value
    assert conflict.fields == ["title"] and conflict.by == "bob (command line)" and conflict.at
    assert conflict.theirs is not None and conflict.theirs["title"] == "Bob's title"
    assert "bob (command line) changed title at" in str(conflict)
    assert mine.items.get("it-1").title == "Bob's title", "nothing of mine was saved"
    with mine.guarded(mine.items, "it-1", conflict.theirs):  # "take theirs and edit again" then saves
        mine.items.put(item("Ann's title"))
    theirs.items.delete("it-1")
    with pytest.raises(EditConflictError, match="removed it"), mine.guarded(mine.items, "it-1", conflict.theirs):
        mine.items.put(item("Ann again"))


def test_the_change_log_holds_no_key_and_forgets_a_deleted_record(tmp_path: Path) -> None:
    store = Store.open(tmp_path, create=True, author="ann")
    store.items.put(item("x"))
    changes = load_json_file(tmp_path / "bulletin.json")[CHANGES_TABLE]
    assert changes[change_key("items", "it-1")]["by"] == "ann"
    assert "it-1" not in str(changes), "keys (which may be addresses) are hashed"
    store.items.delete("it-1")
    assert change_key("items", "it-1") not in load_json_file(tmp_path / "bulletin.json")[CHANGES_TABLE]


def test_a_crashed_save_temporary_is_removed_but_a_live_one_is_kept(tmp_path: Path) -> None:
    Database.open(tmp_path, create=True).close()
    dead = tmp_path / ".bulletin.json.999999999.tmp"
    live = tmp_path / f".bulletin.json.{os.getpid()}.tmp"
    dead.write_bytes(b"{")
    live.write_bytes(b"{")
    Database.open(tmp_path).close()
    assert not dead.exists() and live.exists()
