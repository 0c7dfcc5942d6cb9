"""The per-installation secret: 32 random bytes in a 0600 file in the data dir, never in the database."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from ...domain.errors import DomainError
from ...storage.keyfile import KEY_NAME
from ...storage.readmodel import ReadContext

SECRET_NAME = KEY_NAME
_cache: dict[Path, bytes] = {}


def secret_path(ctx: ReadContext) -> Path:
    return ctx.data_dir / SECRET_NAME


def installation_secret(ctx: ReadContext) -> bytes:
    """The secret (created when the data folder is opened for writing, whose database records its fingerprint;
    made here only for a read-only look at a database that holds nothing keyed); refused if readable by others."""
    path = secret_path(ctx)
    cached = _cache.get(path)
    if cached is not None and path.exists():
        return cached
    if not path.exists():
        if ctx.store.read_only:  # a reader creates nothing; a writing command makes the key
            raise DomainError(f"{path} does not exist yet and {ctx.data_dir} is open read-only; nothing was changed")
        ctx.store.db.ensure_key()  # refuses if keyed records depend on the missing key
        _create(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise DomainError(f"{path} is readable by others (mode {mode:04o}); run: chmod 600 {path}")
    raw = path.read_text(encoding="ascii").strip()
    try:
        value = bytes.fromhex(raw)
    except ValueError:
        raise DomainError(f"{path} is not a bulletin-tui secret (expected 64 hex digits)") from None
    if len(value) < 32:
        raise DomainError(f"{path} is too short (expected 64 hex digits)")
    _cache[path] = value
    return value


def derived_key(ctx: ReadContext, purpose: str) -> bytes:
    """A separate key per purpose (tokens, suppression), so one use never reveals another."""
    return hmac.new(installation_secret(ctx), purpose.encode(), hashlib.sha256).digest()


def _create(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    try:
        os.write(fd, secrets.token_hex(32).encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
