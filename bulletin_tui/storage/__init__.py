"""Durable storage: atomic TinyDB file, short write transactions, backups, migrations, repositories."""

from .database import Database
from .errors import (
    DatabaseMissingError,
    LockedError,
    NotWritableError,
    ReadOnlyError,
    StorageCorruptError,
    StorageError,
    StorageWriteError,
)

__all__ = [
    "Database",
    "DatabaseMissingError",
    "LockedError",
    "NotWritableError",
    "ReadOnlyError",
    "StorageCorruptError",
    "StorageError",
    "StorageWriteError",
]
