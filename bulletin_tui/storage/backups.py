"""Rotated backups: before the first save of a session, the current file is hard-linked into backups/.

The installation key goes with it (`<backup>.key`, 0600): a database restored without its key would lose every
suppression and erasure."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .atomic import load_json_file
from .errors import StorageCorruptError
from .keyfile import key_file

KEEP = 5
DAILY = 7
"""Besides the newest KEEP, the newest backup of each of the last DAILY days is kept: many short processes (CLI
commands, the web face's applier, the worker) each back up before their first save, and would otherwise push
yesterday's state out within minutes."""
MAX_AGE = timedelta(days=30)


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def list_backups(db_path: Path) -> list[Path]:
    """Backups, newest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.json"), reverse=True)


def newest_good_backup(db_path: Path) -> Path | None:
    for candidate in list_backups(db_path):
        try:
            load_json_file(candidate)
        except StorageCorruptError:
            continue
        return candidate
    return None


def make_backup(db_path: Path, now: datetime | None = None) -> Path | None:
    """Keep the current file as a backup (a hard link: the database is only ever replaced, never rewritten)."""
    if not db_path.exists():
        return None
    now = now or datetime.now(UTC)
    folder = backup_dir(db_path)
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / f"{db_path.stem}-{now:%Y%m%dT%H%M%S%fZ}.json"
    _keep(db_path, target)
    key = key_file(db_path.parent)
    if key.exists():
        _keep(key, target.with_suffix(".key"))
    prune(db_path, now)
    return target


def _keep(source: Path, target: Path) -> None:
    """A hard link (both files are only ever replaced, never rewritten), else a copy; mode 0600 either way."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
        os.chmod(target, 0o600)


def prune(db_path: Path, now: datetime) -> list[Path]:
    """Keep the newest KEEP backups and the newest of each of the last DAILY days, none older than MAX_AGE.
    Returns the removed paths."""
    removed, days_kept = [], set()
    for index, path in enumerate(list_backups(db_path)):  # newest first
        made = backup_time(path)
        day_kept = made.date() in days_kept or made < now - timedelta(days=DAILY)
        days_kept.add(made.date())
        if (index >= KEEP and day_kept) or made < now - MAX_AGE:
            path.unlink(missing_ok=True)
            path.with_suffix(".key").unlink(missing_ok=True)
            removed.append(path)
    return removed


def backup_time(path: Path) -> datetime:
    stamp = path.stem.rpartition("-")[2]
    return datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)


def backup_expiry(path: Path) -> datetime:
    """The latest moment this backup can still exist (it may go sooner when newer backups push it out)."""
    return backup_time(path) + MAX_AGE
