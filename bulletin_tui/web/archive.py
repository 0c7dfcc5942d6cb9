"""What `serve --archive` may publish: a folder `bulletin publish` wrote, never a data folder, one inside it, or one
holding it (the key, the database, the journal or a token cache would be served to anyone)."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from ..services.mailauth.cache import CACHE_NAME
from ..storage.database import DB_NAME
from ..storage.journal import JOURNAL_DIR, JOURNAL_NAME
from ..storage.keyfile import KEY_NAME
from ..storage.lock import LOCK_NAME

MAX_ENTRIES = 20_000
"""The archive is walked this far; a bigger folder is refused (a published site is a few hundred files)."""
DATA_FILES = (DB_NAME, KEY_NAME, LOCK_NAME, CACHE_NAME, JOURNAL_NAME, "*.lock", "*.key", f"{KEY_NAME}.*",
              f"{Path(DB_NAME).stem}-*.json")
"""Names only a data folder holds: the database and its backups, the key (and backed-up keys), the writer lock,
the journal, the Microsoft 365 token cache."""
DATA_FOLDERS = (JOURNAL_DIR, "ledgers")


def archive_refusal(archive: Path, data_dir: Path) -> str | None:
    """Why `archive` must not be served (one line), or None when it holds no sign of a data folder."""
    folder, data = Path(os.path.realpath(archive)), Path(os.path.realpath(data_dir))
    if folder == data or data in folder.parents:
        return (f"--archive {archive} is the data folder {data_dir} or inside it; serve the folder "
                "`bulletin publish` wrote")
    if folder in data.parents:
        return f"--archive {archive} holds the data folder {data_dir}; serve the folder `bulletin publish` wrote"
    return _data_folder_sign(folder, archive)


def _data_folder_sign(folder: Path, shown: Path) -> str | None:
    """Walk `folder` (symlinks not followed, at most MAX_ENTRIES entries) for a file or folder of a data folder."""
    pending, seen = [folder], 0
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:  # unreadable: StaticFiles cannot serve it either
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_ENTRIES:
                return (f"--archive {shown} holds over {MAX_ENTRIES:,} files and folders; serve the folder "
                        "`bulletin publish` wrote")
            is_folder = entry.is_dir(follow_symlinks=False)
            if _looks_like_data(entry.name, is_folder):
                found = Path(entry.path).relative_to(folder)
                return (f"--archive {shown} holds {found}{'/' if is_folder else ''}, which belongs in a data "
                        "folder; serve the folder `bulletin publish` wrote")
            if is_folder:
                pending.append(Path(entry.path))
    return None


def _looks_like_data(name: str, is_folder: bool) -> bool:
    if is_folder:
        return name in DATA_FOLDERS
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in DATA_FILES)
