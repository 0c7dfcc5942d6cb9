"""A TinyDB storage that keeps the data in memory and saves with write-temp, fsync, rename, fsync-dir."""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from .errors import ReadOnlyError, StorageCorruptError, StorageWriteError

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
    """The database as JSON in pieces of `rows_per_chunk` rows: the same document as `orjson.dumps(data)`,
    without a second copy of the whole file in memory while saving (62 MB less at 100,000 subscribers)."""
    yield b"{"
    for number, (name, table) in enumerate(data.items()):
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


def load_json_file(path: Path) -> dict[str, Any]:
    """Read and parse a database file, raising StorageCorruptError for anything that is not a JSON object."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StorageCorruptError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise StorageCorruptError(f"{path} is empty")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise StorageCorruptError(f"{path} is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise StorageCorruptError(f"{path} is not a bulletin-tui database (expected an object of tables)")
    return data


class AtomicStorage(Storage):
    """In-memory tables, saved whole and atomically; writes inside `transaction()` are saved once at the end."""

    def __init__(self, path: Path, data: dict[str, Any], *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._data = data
        self._depth = 0
        self._dirty = False
        self.saves = 0
        self.before_first_save: Callable[[], object] | None = None

    def read(self) -> dict[str, Any]:
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        if self.read_only:
            raise ReadOnlyError(f"{self.path.parent} is open read-only; nothing was changed")
        self._data = data
        if self._depth:
            self._dirty = True
            return
        self._save()

    def close(self) -> None:
        pass

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes into one save; on any error restore the state at the start of this (possibly nested)
        transaction: the last saved state for the outermost one, a savepoint for a nested one.

        A savepoint is a shallow copy of the table map: every write replaces a table's dict with a new one
        (TinyDB's `_update_table`) and rows are replaced, never changed in place, so the old dicts stay intact."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path.parent} is open read-only; nothing was changed")
        savepoint = dict(self._data) if self._depth else None
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if savepoint is not None:
                self._data.clear()
                self._data.update(savepoint)
            elif self._depth == 0:
                self._reload()
            raise
        self._depth -= 1
        if self._depth == 0 and self._dirty:
            self._save()

    def _save(self) -> None:
        if self.saves == 0 and self.before_first_save is not None:
            self.before_first_save()
        try:
            atomic_write_chunks(self.path, encode_chunks(self._data))
        except BaseException:  # memory goes back to what is on disk, whatever stopped the save
            self._reload()
            raise
        self._dirty = False
        self.saves += 1

    def _reload(self) -> None:
        self._data = load_json_file(self.path)
        self._dirty = False
