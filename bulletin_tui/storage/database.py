"""Opening the data directory: load, migrate, back up; the TinyDB handle the repositories share."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.table import Table

from .atomic import AtomicStorage, atomic_write_chunks, encode_chunks, load_json_file
from .backups import list_backups, make_backup, newest_good_backup
from .errors import DatabaseMissingError, NotWritableError, StorageCorruptError
from .generation import stamp_generation
from .keyfile import settle_key
from .lock import DataDirLock
from .migrations import migrate, stamp
from .permissions import tighten_data_dir

DB_NAME = "bulletin.json"


class KeyedTable(Table):
    """A table whose documents are keyed by our own string ids (slugs, normalised e-mails)."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> str:
        raise TypeError("documents in bulletin-tui tables are always stored under an explicit key")

    def _update_table(self, updater: Callable[[dict[Any, Any]], None]) -> None:
        """Every change is a write transaction: under the write lock, on the newest saved state."""
        storage = cast(AtomicStorage, self._storage)
        with storage.transaction():
            super()._update_table(updater)


class _TinyDB(TinyDB):
    table_class = KeyedTable


class Database:
    """The open database of one data directory. Use `Database.open()`; close it when done."""

    def __init__(self, path: Path, storage: AtomicStorage) -> None:
        self.path = path
        self.storage = storage
        self.read_only_reason = ""
        """Why this instance cannot write (asked to read only, the folder is not writable), or empty."""
        self.notices: list[str] = []
        """One-line notes for the operator about what opening changed (e.g. permissions tightened)."""
        self._db = _TinyDB(storage=lambda: storage)
        storage.on_reload.append(self._clear_caches)

    @classmethod
    def open(
        cls, data_dir: Path, *, create: bool = False, read_only: bool = False, fallback_read_only: bool = False,
        author: str = "",
    ) -> Database:
        """Open (or with `create`, start) the database in `data_dir`.

        Nothing is held open: every change takes the folder's write lock for its own transaction, so any number
        of processes can open one folder. A folder that cannot be written is refused with NotWritableError, or
        opened read-only when `fallback_read_only` is set. Opening read-only creates nothing, not even the folder,
        and migrates an older file in memory only. A missing or corrupt file raises an error naming it and the
        newest good backup; it is never replaced. `author` names this process in each save (who changed what)."""
        path = data_dir / DB_NAME
        lock: DataDirLock | None = None
        reason = "opened read-only" if read_only else ""
        if not read_only:
            lock, reason = cls._writable(data_dir, fallback_read_only)
            read_only = lock is None
        # personal data is private: any opening tightens a looser folder (best effort; a read-only one stays so)
        tightened = tighten_data_dir(data_dir) if data_dir.is_dir() else None
        if lock is None:
            data = cls._load(path, create=False, writable=False)
        else:
            with lock:  # a start, a migration or a new key is saved under the lock, like any other change
                _remove_stale_temporaries(data_dir)
                data = cls._load(path, create=create, writable=True)
        storage = AtomicStorage(path, data, read_only=read_only, lock=lock, author=author)
        storage.before_first_save = lambda: make_backup(path)
        database = cls(path, storage)
        database.read_only_reason = reason
        database.notices += [tightened] if tightened else []
        return database

    @staticmethod
    def _writable(data_dir: Path, fallback_read_only: bool) -> tuple[DataDirLock | None, str]:
        """The folder's write lock (not taken); or, with `fallback_read_only`, None and why it cannot be had."""
        lock = DataDirLock(data_dir)
        try:
            try:
                data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as exc:
                raise NotWritableError(f"cannot create {data_dir}: {exc.strerror or exc}") from None
            lock.check_writable()
        except NotWritableError as exc:
            if not fallback_read_only:
                raise
            return None, str(exc).partition(";")[0]
        return lock, ""

    @staticmethod
    def _load(path: Path, *, create: bool, writable: bool) -> dict[str, Any]:
        """The data, migrated forward; a migration (or a key fingerprint) is saved, after a backup, only by a
        writer (under the write lock): a reader migrates in memory only and writes nothing."""
        if not path.exists():
            backup = newest_good_backup(path)
            if backup is None and not list_backups(path) and create:
                data = stamp({})
                settle_key(path.parent, data, writable=True)
                _save_whole(path, data)
                return data
            if backup is None and not list_backups(path):
                folder = path.parent
                raise DatabaseMissingError(
                    f"no database in {folder} (bulletin-tui --data-dir {folder} demo, or --create)"
                )
            hint = f"; the newest good backup is {backup}{restore_hint(path, backup)}" if backup else ""
            raise DatabaseMissingError(f"no database at {path}{hint}; run with --create to start a new one")
        try:
            data, changed = migrate(load_json_file(path), str(path))
        except StorageCorruptError as exc:
            backup = newest_good_backup(path)
            hint = (f"; the newest good backup is {backup}{restore_hint(path, backup)}" if backup
                    else "; no good backup was found")
            raise StorageCorruptError(f"{exc}{hint}. The file was left as it is.") from None
        changed = settle_key(path.parent, data, writable=writable) or changed
        if changed and writable:
            make_backup(path)
            _save_whole(path, data)
        return data

    @property
    def read_only(self) -> bool:
        return self.storage.read_only

    @property
    def author(self) -> str:
        return self.storage.author

    @author.setter
    def author(self, value: str) -> None:
        self.storage.author = value

    def ensure_key(self) -> None:
        """`secret.key` was found missing after opening: refuse (KeyMismatchError) if keyed records depend on it;
        else, when writable, make a new one and record its fingerprint."""
        if self.read_only:
            settle_key(self.path.parent, self.storage.read(), writable=False)
            return
        with self.storage.transaction():
            data = self.storage.read()
            if settle_key(self.path.parent, data, writable=True):
                self.storage.write(data)

    def table(self, name: str) -> KeyedTable:
        return cast(KeyedTable, self._db.table(name))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is saved as one write, or (on error) not at all."""
        try:
            with self.storage.transaction():
                yield
        finally:
            self._clear_caches()

    def refresh(self) -> bool:
        """Re-read the file if another process saved since (True when it did)."""
        return self.storage.refresh()

    def changed_on_disk(self) -> bool:
        return self.storage.changed_on_disk()

    def _clear_caches(self) -> None:
        for table in self._db._tables.values():
            table.clear_cache()

    def close(self) -> None:
        """Nothing is held between transactions; kept so callers can say when they are done."""

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _save_whole(path: Path, data: dict[str, Any]) -> None:
    """Save a whole database (a start, a migration) with a generation, `_meta` first (`peek_generation`)."""
    stamp_generation(data, by=f"pid {os.getpid()}", at=datetime.now(UTC).astimezone().isoformat(timespec="seconds"))
    atomic_write_chunks(path, encode_chunks(data))


def _remove_stale_temporaries(data_dir: Path) -> None:
    """Temporary files of a save that crashed (their process is gone); another process's live save is kept."""
    for stale in data_dir.glob(f".{DB_NAME}.*.tmp"):
        pid = stale.name.removeprefix(f".{DB_NAME}.").removesuffix(".tmp")
        if not pid.isdigit() or not _alive(int(pid)):
            stale.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def restore_hint(path: Path, backup: Path) -> str:
    return f" (put it back with: bulletin-tui --data-dir {path.parent} restore {backup})"
