"""One process sends a campaign at a time: an exclusive `flock` beside its ledger for the whole run.

Others (a second app, the worker, a CLI `send --resume`) are refused with the holder's name and can watch the
ledger for progress; the lock goes with its process, however that process ends."""

from __future__ import annotations

import contextlib
import getpass
import os
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson

from ..domain.errors import DomainError
from ..storage.flock import held_elsewhere, try_lock, unlock_and_close


class CampaignBusyError(DomainError):
    """Another process is sending this campaign; nothing was started here."""


@dataclass(frozen=True)
class RunHolder:
    pid: int
    host: str
    user: str
    since: str

    def describe(self) -> str:
        return f"{self.user} (pid {self.pid} on {self.host}) since {self.since}"


def lock_path(ledger_path: Path) -> Path:
    return ledger_path.with_name(f"{ledger_path.name}.run")


class RunLock:
    """Taken for one run of the campaign whose ledger is `ledger_path`."""

    def __init__(self, ledger_path: Path, label: str = "") -> None:
        self.ledger_path = ledger_path
        self.path = lock_path(ledger_path)
        self.label = label or ledger_path.stem
        self._fd: int | None = None

    @classmethod
    def take(cls, ledger_path: Path, label: str = "") -> RunLock:
        lock = cls(ledger_path, label)
        lock.acquire()
        return lock

    def acquire(self) -> None:
        """Take the lock (CampaignBusyError naming the holder when another process has it). A lock file that its
        last holder removed (a run that started nothing) is made afresh, so two processes never lock two files."""
        while True:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except FileNotFoundError:  # the folder went with a run that started nothing: make it again
                continue
            if not _flock_soon(fd):
                os.close(fd)
                holder = self.holder()
                who = holder.describe() if holder else "another process"
                raise CampaignBusyError(f"{self.label} is being sent by {who}; nothing was started here (its "
                                        "progress shows on the send screen and in `send status`)") from None
            if _same_file(fd, self.path):
                break
            os.close(fd)  # locked a file its holder had just removed: lock the one in place now
        since = datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
        info = orjson.dumps({"pid": os.getpid(), "host": socket.gethostname(), "user": getpass.getuser(),
                             "since": since})
        os.ftruncate(fd, 0)
        os.pwrite(fd, info, 0)
        self._fd = fd

    def holder(self) -> RunHolder | None:
        """Who runs (or last ran) the campaign, as they wrote it."""
        try:
            info = orjson.loads(self.path.read_bytes())
            return RunHolder(int(info["pid"]), str(info["host"]), str(info["user"]), str(info["since"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def release(self) -> None:
        """Give the lock back; a run that started nothing (no ledger) leaves no lock file and no empty folder."""
        if self._fd is None:
            return
        if not self.ledger_path.exists():
            with contextlib.suppress(OSError):
                self.path.unlink()
            with contextlib.suppress(OSError):
                self.path.parent.rmdir()  # only when empty
        unlock_and_close(self._fd)
        self._fd = None


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def _flock_soon(fd: int, tries: int = 20) -> bool:
    """Take the lock, allowing for a screen's `running_elsewhere` probe holding it for a microsecond."""
    for attempt in range(tries):
        if try_lock(fd):
            return True
        if attempt < tries - 1:
            time.sleep(0.005)
    return False


def running_elsewhere(ledger_path: Path) -> RunHolder | None:
    """Who is sending this campaign right now in another process (None when nobody is)."""
    if not held_elsewhere(lock_path(ledger_path)):
        return None
    return RunLock(ledger_path).holder() or RunHolder(0, "?", "?", "?")
