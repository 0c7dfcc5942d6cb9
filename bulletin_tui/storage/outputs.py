"""Files a user names (exports, reports, rendered issues): never inside the data folder, always written atomically.

The one exception is the data folder's own `exports/` subfolder (the TUI's default export place, which erasure
scans): nothing of the project lives there, so an export can never replace the database, the key or a ledger.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .atomic import atomic_write_chunks
from .errors import OutputRefusedError, StorageWriteError

EXPORTS = "exports"


def _resolved(path: Path) -> Path:
    """The absolute path with symlinks and `..` resolved (also for a file or folder that does not exist yet)."""
    return Path(os.path.realpath(path.expanduser()))


def _named(given: Path, resolved: Path) -> str:
    return str(given) if str(given) == str(resolved) else f"{given} (that is {resolved})"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_file(target: Path, data_dir: Path) -> Path:
    """Refuse a file target inside the data folder (except under its `exports/`); returns the resolved path."""
    resolved, data = _resolved(target), _resolved(data_dir)
    if _inside(resolved, data) and not _inside(resolved.parent, data / EXPORTS):
        raise OutputRefusedError(f"{_named(target, resolved)} is inside the data folder {data_dir}; write it "
                                 f"somewhere else (or into {data_dir / EXPORTS}/)")
    return resolved


def check_output_folder(folder: Path, data_dir: Path) -> Path:
    """Refuse a folder that is the data folder or inside it (except under its `exports/`)."""
    resolved, data = _resolved(folder), _resolved(data_dir)
    if _inside(resolved, data) and not _inside(resolved, data / EXPORTS):
        raise OutputRefusedError(f"{_named(folder, resolved)} is the data folder {data_dir} or inside it; write it "
                                 "somewhere else "
                                 f"(or into {data_dir / EXPORTS}/)")
    return resolved


def make_folder(folder: Path, data_dir: Path) -> Path:
    """Create an output folder; inside the data folder's `exports/`, every level it creates is private (0700)."""
    resolved = check_output_folder(folder, data_dir)
    if not _inside(resolved, _resolved(data_dir) / EXPORTS):
        resolved.mkdir(parents=True, exist_ok=True)
        return resolved
    missing = [level for level in (resolved, *resolved.parents) if not level.exists()]
    for level in reversed(missing):
        level.mkdir(mode=0o700, exist_ok=True)
    return resolved


def write_output(target: Path, payload: bytes | Iterable[bytes], data_dir: Path) -> Path:
    """Check `target`, then write it atomically (temp file in the same folder, fsync, rename; mode 0600)."""
    resolved = check_output_file(target, data_dir)
    if _inside(resolved.parent, _resolved(data_dir) / EXPORTS):
        make_folder(resolved.parent, data_dir)
    elif not resolved.parent.is_dir():
        raise StorageWriteError(f"cannot write {target}: the folder {target.parent} does not exist")
    atomic_write_chunks(resolved, [payload] if isinstance(payload, bytes) else payload)
    return resolved
