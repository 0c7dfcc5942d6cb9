"""The OAuth2 token cache: MSAL's serialisable cache in a 0600 file of its own in the data folder.

It holds access and refresh tokens, so it is never the database, never logged and never exported; it is written
atomically (temp file, fsync, rename) and refused if anyone but the owner may read it.
"""

from __future__ import annotations

import os
import stat
import uuid
from pathlib import Path

import msal

from ...domain.errors import DomainError

CACHE_NAME = "oauth-token-cache.json"


def cache_path(data_dir: Path) -> Path:
    """Where the token cache of this data folder lives."""
    return data_dir / CACHE_NAME


class TokenCacheFile:
    """An MSAL token cache loaded from, and saved back to, one private file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cache = msal.SerializableTokenCache()
        if path.exists():
            _refuse_if_shared(path)
            self.cache.deserialize(path.read_text(encoding="utf-8"))

    def save(self) -> None:
        """Write the cache if MSAL changed it (a new, refreshed or removed token)."""
        if self.cache.has_state_changed:
            write_private(self.path, self.cache.serialize().encode("utf-8"))
            self.cache.has_state_changed = False

    def forget(self) -> bool:
        """Delete the file (sign out); True if there was one."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True


def write_private(path: Path, payload: bytes) -> None:
    """Atomically replace `path` with `payload`, readable by the owner only (0600) from the first byte."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _refuse_if_shared(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise DomainError(f"{path} is readable by others (mode {mode:04o}); run: chmod 600 {path}")


def forget_tokens(data_dir: Path) -> Path | None:
    """Remove the token cache of this data folder; the file removed, or None when none was cached."""
    path = cache_path(data_dir)
    if not path.exists():
        return None
    path.unlink()
    return path
