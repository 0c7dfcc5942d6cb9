"""One writer per data directory: an exclusive `flock`, with the holder written inside for others to read."""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson

from .errors import LockedError, NotWritableError

LOCK_NAME = "bulletin.lock"


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    since: str

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host} since {self.since}"


class DataDirLock:
    """Held for the life of a writing instance; released by `release()` or by the process dying."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:  # a read-only folder or lock file: say so, nothing was changed
            raise NotWritableError(
                f"{self.path.parent} is not writable ({exc.strerror or exc}: {self.path.name}); nothing was "
                "changed. Commands that only read still work."
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            holder = self.holder()
            who = holder.describe() if holder else "another process"
            raise LockedError(f"{self.path.parent} is in use by bulletin-tui ({who})") from None
        since = datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
        info = {"pid": os.getpid(), "host": socket.gethostname(), "since": since}
        os.ftruncate(fd, 0)
        os.pwrite(fd, orjson.dumps(info), 0)
        self._fd = fd

    def holder(self) -> LockHolder | None:
        """Who holds the lock, as they wrote it (None if unknown)."""
        try:
            info = orjson.loads(self.path.read_bytes())
            return LockHolder(pid=int(info["pid"]), host=str(info["host"]), since=str(info["since"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def held_elsewhere(self) -> bool:
        """True while another process holds the lock (asked without taking it for long)."""
        if not self.path.exists():
            return False
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        finally:
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        os.close(self._fd)
        self._fd = None
