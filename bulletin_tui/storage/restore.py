"""Putting a backup back: under the write lock (other processes re-read before their next change), atomically,
keeping the current file (and key) as a backup first.

It works without opening the current database, which may be the corrupt file being replaced."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .atomic import atomic_write_bytes, load_json_file
from .backups import backup_dir, make_backup
from .database import DB_NAME
from .errors import StorageCorruptError, StorageError
from .keyfile import key_file
from .lock import DataDirLock
from .migrations import migrate


@dataclass(frozen=True)
class Restored:
    """What `restore_backup` did: the backup put back, where the replaced file was kept, whether the key came too."""

    backup: Path
    kept: Path | None
    key_restored: bool


def find_backup(data_dir: Path, name: Path) -> Path:
    """The backup as given, or by its name inside the data folder's backups/."""
    for candidate in (name, backup_dir(data_dir / DB_NAME) / name.name):
        if candidate.is_file():
            return candidate
    raise StorageError(f"no backup {name} (nor {backup_dir(data_dir / DB_NAME) / name.name}); "
                       f"the backups are in {backup_dir(data_dir / DB_NAME)}")


def restore_backup(data_dir: Path, name: Path) -> Restored:
    """Replace the database with the backup (and `secret.key` with the backup's key when it has one)."""
    backup = find_backup(data_dir, name)
    payload = backup.read_bytes()
    try:
        migrate(load_json_file(backup), str(backup))  # readable and of a schema this version understands
    except StorageCorruptError as exc:
        raise StorageCorruptError(f"{exc}; nothing was restored") from None
    key_copy = backup.with_suffix(".key")
    key_payload = key_copy.read_bytes() if key_copy.is_file() else None
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = DataDirLock(data_dir)
    lock.acquire()
    try:
        kept = make_backup(data_dir / DB_NAME)  # may prune the backup itself: its bytes are already read
        if key_payload is not None:
            atomic_write_bytes(key_file(data_dir), key_payload)
        atomic_write_bytes(data_dir / DB_NAME, payload)
    finally:
        lock.release()
    return Restored(backup=backup, kept=kept, key_restored=key_payload is not None)
