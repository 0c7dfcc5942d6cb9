"""The database's backups as the terminal app offers them: which there are (newest first, with when each was made
and until when it is kept), and putting one back (`bulletin-tui restore`), after which this process re-reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ...storage.backups import backup_expiry, backup_time, list_backups
from ...storage.database import DB_NAME
from ...storage.restore import Restored, restore_backup
from ..context import AppContext


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: datetime
    kept_until: datetime
    size: int


def backups(ctx: AppContext) -> list[Backup]:
    """The data folder's backups, newest first."""
    return [Backup(path, backup_time(path), backup_expiry(path), path.stat().st_size)
            for path in list_backups(ctx.data_dir / DB_NAME) if path.is_file()]


def restore(ctx: AppContext, backup: Path) -> Restored:
    """Put the backup back (the current database and key are kept as a backup first, under the write lock), then
    re-read it here; other processes re-read before their next change."""
    restored = restore_backup(ctx.data_dir, backup)
    ctx.store.refresh()
    return restored
