"""The few `flock` moves every lock of the data folder makes (the write lock, a campaign's run lock, the worker's
lock): take it without waiting, ask whether another process holds it, give it back."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path


def try_lock(fd: int, *, shared: bool = False) -> bool:
    """Take the lock on `fd` if nobody else holds it (True), without waiting."""
    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def held_elsewhere(path: Path, *, shared: bool = False) -> bool | None:
    """Does another process hold the lock on `path` now? (asked by taking it for a moment; a missing file: no;
    a file this process may not open: None, it cannot be told)"""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    except OSError:
        return None
    try:
        if not try_lock(fd, shared=shared):
            return True
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def unlock_and_close(fd: int) -> None:
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
