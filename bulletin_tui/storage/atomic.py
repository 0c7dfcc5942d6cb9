"""A TinyDB storage that keeps the data in memory and saves with write-temp, fsync, rename, fsync-dir."""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from .errors import ReadOnlyError, StaleWriteError, StorageCorruptError, StorageWriteError
from .generation import ROWS_NOTED, change_key, generation_of, peek_generation, record_changes, stamp_generation
from .lock import DataDirLock
from .migrations import META_TABLE

ROWS_PER_CHUNK = 2_000


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Replace `path` with `payload` so that a crash leaves either the old or the new file, never a torn one."""
    atomic_write_chunks(path, [payload])


def atomic_write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """`atomic_write_bytes` for content produced piece by piece (never all in memory at once)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            for chunk in chunks:
                view = memoryview(chunk)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException as exc:  # nothing half-written stays behind, whatever stopped the chunks
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise StorageWriteError(f"could not save {path}: {exc.strerror or exc}; the file is unchanged") from exc
        raise
    fsync_dir(path.parent)


def encode_chunks(data: dict[str, dict[str, Any]], rows_per_chunk: int = ROWS_PER_CHUNK) -> Iterator[bytes]:
    """The database as JSON in pieces of `rows_per_chunk` rows: the document `orjson.dumps(data)` with `_meta`
    first, without a second copy of the whole file in memory while saving (62 MB less at 100,000 subscribers)."""
    yield b"{"
    first = [META_TABLE] if META_TABLE in data else []  # the generation, at the start, for `peek_generation`
    names = first + [name for name in data if name != META_TABLE]
    for number, (name, table) in enumerate((name, data[name]) for name in names):
        yield (b"," if number else b"") + orjson.dumps(name) + b":{"
        rows, separator = iter(table.items()), b""
        while chunk := dict(itertools.islice(rows, rows_per_chunk)):
            yield separator + orjson.dumps(chunk)[1:-1]
            separator = b","
        yield b"}"
    yield b"}"


def fsync_dir(directory: Path) -> None:
    """Make a rename durable by syncing the directory entry."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a database is parsed (or a screen rebuilt from it): at 50,000 subscribers
    the collector's full passes over the new rows made a re-read 2.4-2.6 times slower (measured by
    benchmarks/bench_contention.py); the rows hold no reference cycles, so reference counting frees them alike."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def load_json_file(path: Path) -> dict[str, Any]:
    """Read and parse a database file, raising StorageCorruptError for anything that is not a JSON object."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StorageCorruptError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise StorageCorruptError(f"{path} is empty")
    try:
        with collector_paused():
            data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise StorageCorruptError(f"{path} is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise StorageCorruptError(f"{path} is not a bulletin-tui database (expected an object of tables)")
    return data


class AtomicStorage(Storage):
    """In-memory tables, saved whole and atomically; writes inside `transaction()` are saved once at the end.

    The outermost transaction takes the data folder's write lock (`lock`), re-reads the file if another process
    saved since (its generation differs), runs, saves a new generation and gives the lock back: milliseconds.
    One thread at a time is inside a transaction (`_thread_lock`); reads never wait."""

    def __init__(self, path: Path, data: dict[str, Any], *, read_only: bool = False,
                 lock: DataDirLock | None = None, author: str = "") -> None:
        self.path = path
        self.read_only = read_only
        self.lock = lock
        self.author = author or f"pid {os.getpid()}"
        self._data = data
        self._depth = 0
        self._dirty = False
        self._noted: dict[str, bool] = {}
        self._thread_lock = threading.RLock()
        found = generation_of(data)
        self.generation = found.id if found else None
        self.saves = 0
        self.reloads = 0
        self.reloads_in_this_transaction = 0
        self.on_reload: list[Callable[[], object]] = []
        """Called (under the write lock, or from `refresh`) after the data was re-read from disk."""
        self.before_first_save: Callable[[], object] | None = None
        self.last_wait_s = 0.0
        """How long the last transaction waited for other writers' transactions."""

    def read(self) -> dict[str, Any]:
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        if self.read_only:
            raise ReadOnlyError(f"{self.path.parent} is open read-only; nothing was changed")
        if self._depth:
            self._data = data
            self._dirty = True
            return
        with self.transaction():  # `data` was made from what this process read: refuse it if that is stale
            if self.reloads_in_this_transaction:
                raise StaleWriteError(f"{self.path} was changed by another process meanwhile; nothing was "
                                      "changed here (try again)")
            self._data = data
            self._dirty = True

    def close(self) -> None:
        pass

    def note(self, table: str, keys: Collection[str], *, deleted: bool) -> None:
        """Records this transaction changes or deletes, for `_changes` (not noted one by one: bulk writes)."""
        if len(keys) <= ROWS_NOTED:
            self._noted.update((change_key(table, key), deleted) for key in keys)

    def changed_on_disk(self) -> bool:
        """Has another process saved since this one read or wrote the file? (a 256-byte read; no lock)"""
        return not self.path.exists() or peek_generation(self.path) != self.generation

    def refresh(self) -> bool:
        """Re-read the file if another process saved since; True when it did. Outside a transaction only."""
        with self._thread_lock:
            if self._depth or not self.changed_on_disk():
                return False
            self._reload()
            return True

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes into one save; on any error restore the state at the start of this (possibly nested)
        transaction: the last saved state for the outermost one, a savepoint for a nested one.

        A savepoint is a shallow copy of the table map: every write replaces a table's dict with a new one
        (TinyDB's `_update_table`) and rows are replaced, never changed in place, so the old dicts stay intact."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path.parent} is open read-only; nothing was changed")
        with self._thread_lock:
            if self._depth:
                with self._nested():
                    yield
                return
            self._begin()
            try:
                self._depth = 1
                try:
                    yield
                except BaseException:
                    self._depth = 0
                    self._noted.clear()
                    self._reload()
                    raise
                self._depth = 0
                if self._dirty:
                    self._save()
            finally:
                self._depth = 0
                if self.lock is not None:
                    self.lock.release()

    @contextlib.contextmanager
    def _nested(self) -> Iterator[None]:
        savepoint = dict(self._data)
        self._depth += 1
        try:
            yield
        except BaseException:
            self._data.clear()
            self._data.update(savepoint)
            raise
        finally:
            self._depth -= 1

    def _begin(self) -> None:
        """Take the write lock and catch up with any save made by another process since ours."""
        self.reloads_in_this_transaction = 0
        if self.lock is not None:
            self.lock.acquire()
            self.last_wait_s = self.lock.waited_s
        try:
            if self.changed_on_disk():
                self._reload()
                self.reloads_in_this_transaction = 1
        except BaseException:
            if self.lock is not None:
                self.lock.release()
            raise

    def _save(self) -> None:
        if self.saves == 0 and self.before_first_save is not None:
            self.before_first_save()
        made = stamp_generation(self._data, by=self.author,
                                at=datetime.now(UTC).astimezone().isoformat(timespec="seconds"))
        if self._noted:
            record_changes(self._data, self._noted, made)
        try:
            atomic_write_chunks(self.path, encode_chunks(self._data))
        except BaseException:  # memory goes back to what is on disk, whatever stopped the save
            self._noted.clear()
            self._reload()
            raise
        self.generation = made.id
        self._noted.clear()
        self._dirty = False
        self.saves += 1

    def _reload(self) -> None:
        self._data = load_json_file(self.path)
        found = generation_of(self._data)
        self.generation = found.id if found else None
        self._dirty = False
        self.reloads += 1
        for callback in self.on_reload:
            callback()
