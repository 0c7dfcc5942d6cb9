"""Schema versions and the forward migrations between them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import StorageCorruptError
from .identity_migration import to_canonical_keys

Tables = dict[str, Any]

SCHEMA_VERSION = 2
META_TABLE = "_meta"
META_ID = "schema"

# MIGRATIONS[n] turns a version-n database into version n+1.
MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {
    1: to_canonical_keys,  # matching keys in the canonical form of an address (docs/identity.md)
}


def schema_version(data: Tables, path_label: str = "the database") -> int:
    meta = data.get(META_TABLE, {}).get(META_ID)
    if meta is None:
        return 0
    version = meta.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise StorageCorruptError(f"{path_label} has an invalid schema_version {version!r}")
    return version


def stamp(data: Tables, version: int = SCHEMA_VERSION) -> Tables:
    data.setdefault(META_TABLE, {})[META_ID] = {"schema_version": version}
    return data


def migrate(data: Tables, path_label: str) -> tuple[Tables, bool]:
    """Bring `data` up to SCHEMA_VERSION; returns (data, changed). Refuses data from a newer version."""
    version = schema_version(data, path_label)
    if version == 0:
        raise StorageCorruptError(f"{path_label} has no schema_version: not a bulletin-tui database")
    if version > SCHEMA_VERSION:
        raise StorageCorruptError(
            f"{path_label} has schema_version {version}, newer than this bulletin-tui understands "
            f"({SCHEMA_VERSION}); upgrade bulletin-tui"
        )
    changed = False
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        stamp(data, version)
        changed = True
    return data, changed
