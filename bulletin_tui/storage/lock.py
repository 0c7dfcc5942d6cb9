"""The data folder's write lock: an exclusive `flock` held only while one change is applied and saved.

Many processes (several apps, CLI commands, the web face's applier, the worker) work on one data folder at once;
each takes the lock for the milliseconds of one write transaction, re-reads the database if another saved since,
applies its change and saves. The holder writes who it is inside, for a waiter that gives up to name."""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson

from .errors import LockedError, NotWritableError
from .flock import held_elsewhere, try_lock, unlock_and_close

LOCK_NAME = "bulletin.lock"
WAIT_S = 30.0
"""How long a writer waits for another's transaction before giving up (a transaction takes milliseconds)."""


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    since: str

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host} since {self.since}"


class DataDirLock:
    """Taken by `acquire()` for one transaction, given back by `release()` (or by the process dying)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_NAME
        self._fd: int | None = None
        self.waited_s = 0.0
        """How long the last `acquire()` waited for other writers."""

    def check_writable(self) -> None:
        """Raise NotWritableError when the lock file cannot be opened for writing (a read-only folder)."""
        os.close(self._open())

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:  # a read-only folder or lock file: say so, nothing was changed
            raise NotWritableError(
                f"{self.path.parent} is not writable ({exc.strerror or exc}: {self.path.name}); nothing was "
                "changed. Commands that only read still work."
            ) from None

    def acquire(self, wait_s: float = WAIT_S) -> None:
        """Take the lock, waiting up to `wait_s` for the writer holding it (LockedError naming it after that)."""
        fd = self._open()
        started = time.perf_counter()
        pause = 0.0005
        while not try_lock(fd):
            if time.perf_counter() - started >= wait_s:
                os.close(fd)
                holder = self.holder()
                who = holder.describe() if holder else "another process"
                raise LockedError(f"{self.path.parent} is busy: {who} has held its write lock for more "
                                  f"than {wait_s:.0f} s; nothing was changed") from None
            time.sleep(pause)
            pause = min(pause * 2, 0.01)
        self.waited_s = time.perf_counter() - started
        since = datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
        info = orjson.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": since})
        os.pwrite(fd, info.ljust(128), 0)  # fixed width: no truncate needed, and never a mix of two holders
        self._fd = fd

    def holder(self) -> LockHolder | None:
        """Who holds (or last held) the lock, as they wrote it (None if unknown)."""
        try:
            info = orjson.loads(self.path.read_bytes().strip())
            return LockHolder(pid=int(info["pid"]), host=str(info["host"]), since=str(info["since"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def held_elsewhere(self) -> bool:
        """True while another process is in a write transaction (asked without taking the lock for long)."""
        return bool(held_elsewhere(self.path))

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            unlock_and_close(self._fd)
            self._fd = None

    def __enter__(self) -> DataDirLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
