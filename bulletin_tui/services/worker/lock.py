"""One worker per data folder: an exclusive `flock` on `worker/worker.lock` for the worker's whole life (it goes
with its process, however that ends). A second worker is refused, naming the first."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import orjson

from ...domain.errors import DomainError
from ...storage.flock import try_lock, unlock_and_close
from .status import LOCK_NAME, worker_dir


class WorkerBusyError(DomainError):
    """Another worker runs for this data folder."""


class WorkerLock:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = worker_dir(data_dir) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self, since: str, *, attempts: int = 10, pause: float = 0.2) -> None:
        """Take the lock (a moment's probe by `status --worker` is waited out), or WorkerBusyError naming the pid."""
        worker_dir(self.data_dir, create=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        for attempt in range(attempts):
            if try_lock(fd):
                break
            if attempt == attempts - 1:
                os.close(fd)
                raise WorkerBusyError(f"a worker already runs for {self.data_dir}: {self._holder()}; one "
                                      "worker per data folder") from None
            time.sleep(pause)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "since": since}
        os.ftruncate(fd, 0)
        os.pwrite(fd, orjson.dumps(info), 0)
        self._fd = fd

    def _holder(self) -> str:
        try:
            info = orjson.loads(self.path.read_bytes())
            return f"pid {int(info['pid'])} on {info['host']} since {info['since']}"
        except (OSError, ValueError, KeyError, TypeError):
            return "a process that did not say who it is"

    def release(self) -> None:
        if self._fd is not None:
            unlock_and_close(self._fd)
            self._fd = None
