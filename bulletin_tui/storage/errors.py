"""Typed storage failures; each message names the file involved."""

from __future__ import annotations

from typing import Any


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
    """This instance opened the data read-only (asked to, or the folder is not writable)."""


class LockedError(StorageError):
    """Another process held the data folder's write lock for longer than a writer waits."""


class StaleWriteError(StorageError):
    """A whole-database write was made from data another process has changed since; nothing was saved."""


class EditConflictError(StorageError):
    """A record being edited was changed (or removed) by someone else since the edit began; nothing was saved.

    `fields` names what they changed (compared with what the edit began from); `by` and `at` say who and when,
    when the change was noted (empty for an import or a change long ago)."""

    def __init__(self, table: str, key: str, original: dict[str, Any] | None, theirs: dict[str, Any] | None,
                 by: str = "", at: str = "") -> None:
        self.table, self.key, self.original, self.theirs, self.by, self.at = table, key, original, theirs, by, at
        before, after = original or {}, theirs or {}
        self.fields = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
        super().__init__(self.describe())

    @property
    def removed(self) -> bool:
        return self.theirs is None

    def describe(self) -> str:
        who = f"{self.by} " if self.by else "someone else "
        when = f" at {self.at}" if self.at else ""
        what = "removed it" if self.removed else f"changed {', '.join(self.fields) or 'it'}"
        return f"{who}{what}{when}, while you were editing; nothing of yours was saved yet"


class OutputRefusedError(StorageError):
    """A file or folder the user named for output lies inside the data folder; nothing was written."""


class KeyMismatchError(StorageError):
    """`secret.key` is missing or differs from the key the database's keyed records were made with."""


class NotWritableError(StorageError):
    """The data folder (or a file in it) cannot be written: permissions, a read-only mount."""
