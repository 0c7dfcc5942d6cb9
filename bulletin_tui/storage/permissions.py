"""The data folder holds personal data: folders 0700, files 0600. Looser ones are tightened when it is opened."""

from __future__ import annotations

import os
import stat
from pathlib import Path

OPEN_TO_OTHERS = 0o077


def tighten_data_dir(data_dir: Path) -> str | None:
    """Take group and other access away from every folder in the data folder that has it, and from the files
    directly in such a folder (a file in a private folder is out of others' reach; checking only folders keeps
    opening fast with tens of thousands of outbox files). Symlinks are left alone.

    Returns one line saying what was changed, or None when everything was already private.
    A file or folder that cannot be changed (not ours, read-only media) is left as it is."""
    was = _mode(data_dir)
    changed = 0
    for root, _folders, files in os.walk(data_dir):
        if _tighten(Path(root)):
            changed += 1 + sum(_tighten(Path(root) / name) for name in files)
    if not changed:
        return None
    if was & OPEN_TO_OTHERS:
        return (f"the data folder {data_dir} was open to others (mode {was:04o}); made it private (folders 0700, "
                "files 0600)")
    return (f"{changed} file(s) or folder(s) in the data folder {data_dir} were open to others; made them "
            "private (folders 0700, files 0600)")


def _mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.lstat().st_mode)
    except OSError:
        return 0


def _tighten(path: Path) -> int:
    """1 when `path` was open to group or others and is now private, else 0."""
    try:
        info = path.lstat()
    except OSError:
        return 0
    mode = stat.S_IMODE(info.st_mode)
    if stat.S_ISLNK(info.st_mode) or not mode & OPEN_TO_OTHERS:
        return 0
    try:
        os.chmod(path, mode & ~OPEN_TO_OTHERS)
    except OSError:
        return 0
    return 1
