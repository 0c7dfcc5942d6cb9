"""A brand-new data folder: the only kind in which opening for writing starts a database by itself."""

from __future__ import annotations

from pathlib import Path

from ...storage.database import DB_NAME


def is_brand_new(data_dir: Path) -> bool:
    """No database and no backups (a folder that lost its database is never given an empty one unasked)."""
    return not (data_dir / DB_NAME).exists() and not (data_dir / "backups").exists()
