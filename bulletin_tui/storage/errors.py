"""Typed storage failures; each message names the file involved."""

from __future__ import annotations


class StorageError(RuntimeError):
    """Base of every storage failure."""


class StorageWriteError(StorageError):
    """A save failed (disk full, permissions); the file on disk is unchanged."""


class StorageCorruptError(StorageError):
    """The database file cannot be read as a bulletin-tui database."""


class RecordInvalidError(StorageCorruptError):
    """One stored record does not have the shape or values its model needs (a hand edit, a damaged file)."""


class DatabaseMissingError(StorageError):
    """There is no database file where one was expected."""


class ReadOnlyError(StorageError):
    """This instance opened the data read-only (another instance holds the lock)."""


class LockedError(StorageError):
    """Another instance holds the data directory's lock."""


class OutputRefusedError(StorageError):
    """A file or folder the user named for output lies inside the data folder; nothing was written."""


class KeyMismatchError(StorageError):
    """`secret.key` is missing or differs from the key the database's keyed records were made with."""


class NotWritableError(StorageError):
    """The data folder (or a file in it) cannot be written: permissions, a read-only mount."""
