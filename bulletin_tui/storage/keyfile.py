"""The installation key is data: the database records its fingerprint, and a missing or different key is refused.

Suppression digests, erasure markers and every unsubscribe link ever sent are keyed with `secret.key`. A new key
would silently re-admit suppressed and erased people, so when the database holds such records and the key is
missing or is not the one it was made with, opening stops with one line naming the key and the newest backup that
has it. The fingerprint is an HMAC of a fixed label under the key: it identifies the key and reveals nothing of it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any

from .atomic import fsync_dir
from .errors import KeyMismatchError

KEY_NAME = "secret.key"
META_TABLE, KEY_META_ID = "_meta", "key"
LABEL = b"bulletin-tui key fingerprint v1"
KEYED_TABLES = ("suppressions", "audit", "subscribers", "registrations")
"""Tables whose records depend on the key (suppression digests, erasure markers, unsubscribe tokens)."""


def key_file(data_dir: Path) -> Path:
    return data_dir / KEY_NAME


def read_key(path: Path) -> bytes | None:
    """The key's bytes, or None when the file is missing or unreadable as a key."""
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip()) or None
    except (OSError, ValueError):
        return None


def fingerprint(key: bytes) -> str:
    return hmac.new(key, LABEL, hashlib.sha256).hexdigest()[:32]


def create_key(path: Path) -> bytes:
    """A new random key in a 0600 file (never replacing one that exists); returns its bytes."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        text = secrets.token_hex(32)
        os.write(fd, text.encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_dir(path.parent)
    return bytes.fromhex(text)


def recorded_fingerprint(data: dict[str, Any]) -> str | None:
    found = data.get(META_TABLE, {}).get(KEY_META_ID, {}).get("fingerprint")
    return found if isinstance(found, str) else None


def depends_on_key(data: dict[str, Any]) -> bool:
    return any(data.get(table) for table in KEYED_TABLES)


def settle_key(data_dir: Path, data: dict[str, Any], *, writable: bool) -> bool:
    """Check the key against the database; record its fingerprint (creating the key for a database that has
    nothing keyed yet) when writable. Returns True when `data` changed and must be saved."""
    path, recorded = key_file(data_dir), recorded_fingerprint(data)
    key = read_key(path)
    if key is not None and recorded == fingerprint(key):
        return False
    lost = key is None or recorded is not None  # missing, or not the key this database was made with
    if lost and depends_on_key(data):
        raise KeyMismatchError(refusal(data_dir, path, recorded, key))
    if not writable:
        return False
    if key is None:
        if path.exists():  # unreadable as a key, and nothing depends on it: keep it aside, never delete it
            os.replace(path, path.with_name(f"{KEY_NAME}.unreadable"))
        key = create_key(path)
    data.setdefault(META_TABLE, {})[KEY_META_ID] = {"fingerprint": fingerprint(key)}
    return True


def refusal(data_dir: Path, path: Path, recorded: str | None, key: bytes | None) -> str:
    """The one-line refusal: what is wrong, why it matters, where the right key is."""
    problem = ("is not the key this database was made with, so it was not used" if key is not None else
               "cannot be read as a key, so no new key was made" if path.exists() else
               "is missing, so no new key was made")
    backup = newest_backup_with_key(data_dir, recorded)
    where = f"the newest backup that has it is {backup} (copy it back: cp -p {backup} {path})" if backup else (
        "no backup in backups/ has it")
    return f"{path} {problem} (the database's suppressions, erasures and unsubscribe links depend on it); {where}"


def newest_backup_with_key(data_dir: Path, recorded: str | None) -> Path | None:
    """The newest `backups/*.key` whose fingerprint is the recorded one (any key when none is recorded)."""
    for candidate in sorted((data_dir / "backups").glob("*.key"), reverse=True):
        key = read_key(candidate)
        if key is not None and (recorded is None or fingerprint(key) == recorded):
            return candidate
    return None
