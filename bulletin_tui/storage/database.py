"""Opening the data directory: lock, load, migrate, back up; the TinyDB handle the repositories share."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import orjson
from tinydb import TinyDB
from tinydb.table import Table

from .atomic import AtomicStorage, atomic_write_bytes, load_json_file
from .backups import list_backups, make_backup, newest_good_backup
from .errors import DatabaseMissingError, LockedError, NotWritableError, StorageCorruptError
from .keyfile import settle_key
from .lock import DataDirLock, LockHolder
from .migrations import migrate, stamp
from .permissions import tighten_data_dir

DB_NAME = "bulletin.json"


class KeyedTable(Table):
    """A table whose documents are keyed by our own string ids (slugs, normalised e-mails)."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> str:
        raise TypeError("documents in bulletin-tui tables are always stored under an explicit key")


class _TinyDB(TinyDB):
    table_class = KeyedTable


class Database:
    """The open database of one data directory. Use `Database.open()`; close it when done."""

    def __init__(self, path: Path, storage: AtomicStorage, lock: DataDirLock | None, holder: LockHolder | None):
        self.path = path
        self.storage = storage
        self.lock = lock
        self.locked_by = holder
        self.read_only_reason = ""
        """Why this instance cannot write (another holds the lock, the folder is not writable), or empty."""
        self.notices: list[str] = []
        """One-line notes for the operator about what opening changed (e.g. permissions tightened)."""
        self._db = _TinyDB(storage=lambda: storage)

    @classmethod
    def open(
        cls, data_dir: Path, *, create: bool = False, read_only: bool = False, fallback_read_only: bool = False
    ) -> Database:
        """Open (or with `create`, start) the database in `data_dir`.

        A second writer is refused with LockedError, or opened read-only when `fallback_read_only` is set (also
        when the folder is not writable). Opening read-only creates nothing, not even the folder, and migrates
        an older file in memory only. A missing or corrupt file raises an error naming it and the newest good
        backup; it is never replaced.
        """
        path = data_dir / DB_NAME
        lock: DataDirLock | None = None
        holder: LockHolder | None = None
        reason = "opened read-only" if read_only else ""
        if not read_only:
            lock, holder, reason = cls._lock(data_dir, fallback_read_only)
            read_only = lock is None
        # personal data is private: any opening tightens a looser folder (best effort; a read-only one stays so)
        tightened = tighten_data_dir(data_dir) if data_dir.is_dir() else None
        if lock is not None:
            for stale in data_dir.glob(f".{DB_NAME}.*.tmp"):  # left by a crash mid-save; never read
                stale.unlink(missing_ok=True)
        try:
            data = cls._load(path, create=create and not read_only, writable=not read_only)
        except Exception:
            if lock:
                lock.release()
            raise
        storage = AtomicStorage(path, data, read_only=read_only)
        storage.before_first_save = lambda: make_backup(path)
        database = cls(path, storage, lock, holder)
        database.read_only_reason = reason
        database.notices += [tightened] if tightened else []
        return database

    @staticmethod
    def _lock(data_dir: Path, fallback_read_only: bool) -> tuple[DataDirLock | None, LockHolder | None, str]:
        """The writer's lock; or, with `fallback_read_only`, None, who holds it and why it cannot be had."""
        try:
            data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise NotWritableError(f"cannot create {data_dir}: {exc.strerror or exc}") from None
        lock = DataDirLock(data_dir)
        try:
            lock.acquire()
        except LockedError as exc:
            if not fallback_read_only:
                raise
            return None, DataDirLock(data_dir).holder(), str(exc)
        except NotWritableError as exc:
            if not fallback_read_only:
                raise
            return None, None, str(exc).partition(";")[0]
        return lock, None, ""

    @staticmethod
    def _load(path: Path, *, create: bool, writable: bool) -> dict[str, Any]:
        """The data, migrated forward; a migration (or a key fingerprint) is saved, after a backup, only by a
        writer: a reader migrates in memory only, holds no lock and writes nothing."""
        if not path.exists():
            backup = newest_good_backup(path)
            if backup is None and not list_backups(path) and create:
                data = stamp({})
                settle_key(path.parent, data, writable=True)
                atomic_write_bytes(path, orjson.dumps(data))
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
            atomic_write_bytes(path, orjson.dumps(data))
        return data

    @property
    def read_only(self) -> bool:
        return self.storage.read_only

    def ensure_key(self) -> None:
        """`secret.key` was found missing after opening: refuse (KeyMismatchError) if keyed records depend on it;
        else, when writable, make a new one and record its fingerprint."""
        data = self.storage.read()
        if settle_key(self.path.parent, data, writable=not self.read_only):
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
            for table in self._db._tables.values():
                table.clear_cache()

    def close(self) -> None:
        if self.lock:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def restore_hint(path: Path, backup: Path) -> str:
    return f" (put it back with: bulletin-tui --data-dir {path.parent} restore {backup})"
