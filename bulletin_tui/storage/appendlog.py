"""Whole-line appends to an `O_APPEND` file, shared by the send ledger and the inbound journal.

A record is on disk whole or not at all: `append` loops on short writes (a nearly full disk writes part of a
buffer and reports how much), and when the whole payload cannot be written it cuts the file back to where the
record began and raises, so the caller can refuse the operation instead of acting on a record that is not there.
A torn tail left by a power cut (or by a cut-back that itself failed) is cut before the next record is written,
so a new record never starts in the middle of a line: opening a file does it, and so does the first append after
a failure.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import BinaryIO


class AppendError(OSError):
    """The record could not be written whole (full disk, quota, I/O error); nothing of it stays in the file."""


def cut_torn_tail(path: Path) -> int:
    """Truncate a half-written last line; returns how many bytes were cut (0 when the file ends cleanly)."""
    try:
        handle = open(path, "r+b")  # noqa: SIM115 - closed below, after the fsync
    except FileNotFoundError:
        return 0
    with handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return 0
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) == b"\n":
            return 0
        keep = _last_line_end(handle, size)
        handle.truncate(keep)
        os.fsync(handle.fileno())
        return size - keep


def _last_line_end(handle: BinaryIO, size: int, block: int = 65536) -> int:
    """The offset just after the last newline, reading backwards in blocks (never the whole file)."""
    position = size
    while position > 0:
        start = max(0, position - block)
        handle.seek(start)
        chunk = handle.read(position - start)
        found = chunk.rfind(b"\n")
        if found >= 0:
            return start + found + 1
        position = start
    return 0


class AppendFile:
    """An append-only file of whole lines, opened 0600 in a 0700 folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        cut_torn_tail(path)
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._torn = False

    def append(self, payload: bytes, *, sync: bool = False) -> None:
        """Write `payload` (whole lines) completely (and, with `sync`, fsync it), or leave the file as it was and
        raise `AppendError`."""
        if self._torn:
            cut_torn_tail(self.path)
            self._torn = False
        start = os.fstat(self.fd).st_size
        view = memoryview(payload)
        try:
            while view:
                written = os.write(self.fd, view)
                if written <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                view = view[written:]
            if sync:
                os.fsync(self.fd)
        except OSError as exc:
            self._cut_back(start)
            raise AppendError(exc.errno, f"{self.path.name}: the record was not written ({exc.strerror})") from exc

    def _cut_back(self, start: int) -> None:
        try:
            os.ftruncate(self.fd, start)
        except OSError:
            self._torn = True  # cut before the next record instead

    def reopen(self) -> None:
        """Point at the file again after it was atomically replaced (redaction, compaction)."""
        if self.fd >= 0:
            os.close(self.fd)
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
