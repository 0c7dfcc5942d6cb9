"""One sending budget per mailbox, shared by every process that sends from a data folder (issue #23 item 2).

A mailbox's allowance (Microsoft 365: 30 messages a minute, 3 SMTP connections at once, 10,000 recipients in any
rolling 24 hours) is spent by every process together: CLI sends, the app, session mail, the web face's
confirmations. Two files in `ledgers/` keep them to it:

- **The send log** (`send-times.log`): one line per message handed to the server, `<epoch seconds> <mailbox>`,
  appended whole (`AppendFile`) while holding an flock on `send-times.lock`, and fsynced by a background thread
  (group commit: one fsync covers every line written since the one before, at most one every 50 ms, so a fast
  send never waits on the disk for it). A reader takes only the lines added since it last looked, and reads from
  the top again when the file was replaced (compacted) or cut back, so its windows are always the whole folder's.
  A line without a mailbox (an older version wrote those) counts for every mailbox; `<epoch> <mailbox> -`
  withdraws an unused reservation.
- **Connection slots** (`smtp-slot-1.lock` … `smtp-slot-N.lock`): a connection is opened only while its process
  holds an flock on one of them, and the flock goes when the connection closes, so together the processes never
  open more than N. The kernel drops a dead process's flocks, so a crash never leaks a slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import threading
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from pathlib import Path

from ..config import Settings
from ..storage.appendlog import AppendError, AppendFile
from ..storage.atomic import atomic_write_bytes
from ..storage.errors import StorageWriteError

LOG_NAME = "send-times.log"
ANY_MAILBOX = "*"
WITHDRAWN = "-"
SLOT_NAME = "smtp-slot-{}.lock"
WAITING_NAME = "smtp-slot-waiting.lock"
DEFAULT_MAX_CONNECTIONS = 3
SYNC_PAUSE = 0.05


def mailbox_key(host: str, username: str = "") -> str:
    """The sending mailbox a budget belongs to: `user@host` (lower case), or the host when nobody signs in."""
    raw = f"{username.strip()}@{host.strip()}" if username.strip() else host.strip()
    return "".join(c if c.isalnum() or c in "@._+-" else "_" for c in raw.lower()) or ANY_MAILBOX


class SendLog:
    """The send times of one mailbox, as every process logged them: `times`, sorted, in epoch seconds.

    Without a path it is this process's memory only (tests, a limiter nobody shares)."""

    def __init__(self, path: Path | None, mailbox: str = "") -> None:
        self.path, self.mailbox = path, mailbox or ANY_MAILBOX
        self.times: list[float] = []
        self._reader, self._inode, self._offset = -1, -1, 0
        self._writer: AppendFile | None = None
        self._writer_inode = -1
        self._lock_fd = -1
        self._syncer: _Syncer | None = None

    @property
    def shared(self) -> bool:
        return self.path is not None

    def refresh(self, cutoff: float) -> None:
        """Take in the lines added since the last look (by any process); forget times at or before `cutoff`."""
        if self.path is not None:
            self._read_new(self.path)
        old = bisect_right(self.times, cutoff)
        if old:
            del self.times[:old]

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the log's lock (other processes wait to add lines; reading needs no lock)."""
        if self.path is None:
            yield
            return
        if self._lock_fd < 0:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._lock_fd = os.open(self.path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)  # held for one append and one read: microseconds
        try:
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def add(self, at: float) -> float:
        """Log one message at `at` (hold `locked()`); returns the time as logged. If the line cannot be written
        (a full disk) this process still counts it."""
        logged = round(at, 3)
        if self._write(f"{logged:.3f} {self.mailbox}\n"):
            return logged
        insort(self.times, logged)
        return logged

    def withdraw(self, at: float) -> None:
        """Give back one reservation logged at `at` (hold `locked()`)."""
        if not self._write(f"{at:.3f} {self.mailbox} {WITHDRAWN}\n"):
            self._remove(at)

    def compact(self, cutoff: float) -> None:
        """Rewrite the log without lines older than `cutoff` once they are most of it (hold `locked()`)."""
        if self.path is None or not self.path.exists():
            return
        lines = self.path.read_bytes().splitlines(keepends=True)
        kept = [line for line in lines if _time_of(line) > cutoff and line.endswith(b"\n")]
        if len(lines) <= 2 * len(kept) + 1000:
            return
        with contextlib.suppress(StorageWriteError):  # a full disk: the log stays as it was
            atomic_write_bytes(self.path, b"".join(kept))

    def close(self) -> None:
        if self._syncer is not None:
            self._syncer.close()
            self._syncer = None
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        for fd in (self._reader, self._lock_fd):
            if fd >= 0:
                os.close(fd)
        self._reader = self._lock_fd = -1

    # -- the file ---------------------------------------------------------------------------------------------
    def _write(self, line: str) -> bool:
        """Append one whole line (True), or False when the log is memory only or the line could not be written.
        When everything before it was already read, the line is taken in at once (nobody else writes meanwhile:
        the lock is held), so the next look has nothing to read."""
        if self.path is None:
            return False
        data = line.encode("ascii")
        try:
            writer, info = self._current_writer(self.path)
            writer.append(data)
        except (AppendError, OSError):
            return False
        if info is not None and info.st_ino == self._inode and info.st_size == self._offset:
            self._offset += len(data)
            self._take(data)
        if self._syncer is None:
            self._syncer = _Syncer(self.path)
        self._syncer.wake()
        return True

    def _current_writer(self, path: Path) -> tuple[AppendFile, os.stat_result | None]:
        """The append handle, pointed at the file that is there now (a compaction replaces it), and that file's
        state before the write (None when it was just created)."""
        try:
            info: os.stat_result | None = os.stat(path)
        except FileNotFoundError:
            info = None
        if self._writer is None or info is None or info.st_ino != self._writer_inode:
            if self._writer is None:
                self._writer = AppendFile(path)
            else:
                self._writer.reopen()
            self._writer_inode = os.fstat(self._writer.fd).st_ino
            info = None if info is None or info.st_ino != self._writer_inode else info
        return self._writer, info

    def _read_new(self, path: Path) -> None:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return
        size = info.st_size
        if info.st_ino != self._inode or size < self._offset:  # replaced, or cut back (a torn tail): from the top
            self._open_reader(path)
            size = os.fstat(self._reader).st_size
        if size <= self._offset:
            return
        data = os.pread(self._reader, size - self._offset, self._offset)
        end = data.rfind(b"\n") + 1  # a line still being written is taken next time
        if end:
            self._take(data[:end])
            self._offset += end

    def _open_reader(self, path: Path) -> None:
        if self._reader >= 0:
            os.close(self._reader)
        self._reader = os.open(path, os.O_RDONLY)
        self._inode, self._offset = os.fstat(self._reader).st_ino, 0
        self.times.clear()

    def _take(self, data: bytes) -> None:
        for line in data.split(b"\n"):
            fields = line.split()
            if not fields or (len(fields) > 1 and fields[1].decode("ascii", "replace") not in (
                    self.mailbox, ANY_MAILBOX)):
                continue
            at = _time_of(line)
            if at <= 0:
                continue
            if len(fields) > 2 and fields[2] == WITHDRAWN.encode():
                self._remove(at)
            elif not self.times or at >= self.times[-1]:
                self.times.append(at)
            else:
                insort(self.times, at)

    def _remove(self, at: float) -> None:
        found = bisect_left(self.times, at)
        if found < len(self.times) and self.times[found] == at:
            del self.times[found]


def _time_of(line: bytes) -> float:
    fields = line.split(maxsplit=1)
    try:
        return float(fields[0]) if fields else 0.0
    except ValueError:
        return 0.0


class _Syncer:
    """fsyncs the log from a background thread after each wake(): one fsync covers every line written before it,
    and there is at most one every SYNC_PAUSE seconds (a power cut can lose the last moment's lines, never more)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._wanted = threading.Condition()
        self._dirty = self._closing = False
        self._thread = threading.Thread(target=self._run, name="send-log-fsync", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        with self._wanted:
            self._dirty = True
            self._wanted.notify()

    def close(self) -> None:
        with self._wanted:
            self._closing = True
            self._wanted.notify()
        self._thread.join(10)

    def _run(self) -> None:
        while True:
            with self._wanted:
                while not (self._dirty or self._closing):
                    self._wanted.wait()
                dirty, closing, self._dirty = self._dirty, self._closing, False
            if dirty:
                self._sync()
            if closing:
                return
            with self._wanted:  # the ledger's own fsyncs come first: at most one of these every SYNC_PAUSE
                self._wanted.wait_for(lambda: self._closing, timeout=SYNC_PAUSE)

    def _sync(self) -> None:
        """Any descriptor of the file flushes its data; this one always names the file there now."""
        with contextlib.suppress(OSError):
            fd = os.open(self.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


class SlotLease:
    """One of the mailbox's connection slots, held until `release()`."""

    def __init__(self, slots: ConnectionSlots, number: int, fd: int) -> None:
        self.slots, self.number, self.fd = slots, number, fd

    def release(self) -> None:
        if self.fd >= 0:
            self.slots.held.discard(self.number)
            os.close(self.fd)  # closing the only descriptor drops the flock
            self.fd = -1


class ConnectionSlots:
    """At most `count` SMTP connections at once across the processes of one data folder (flocks on lock files)."""

    def __init__(self, folder: Path, count: int = DEFAULT_MAX_CONNECTIONS) -> None:
        self.folder, self.count = folder, max(1, count)
        self.held: set[int] = set()

    def try_take(self) -> SlotLease | None:
        """A free slot now, or None when every slot is held (by this process or another)."""
        for number in range(1, self.count + 1):
            if number in self.held:
                continue
            fd = self._open(SLOT_NAME.format(number))
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            self.held.add(number)
            return SlotLease(self, number, fd)
        return None

    async def take(self, patience: float) -> SlotLease | None:
        """A free slot, waiting up to `patience` seconds (polling; the event loop keeps running). While it waits,
        `others_waiting()` is true in every process, so one holding several slots gives one up."""
        loop = asyncio.get_running_loop()
        deadline, pause = loop.time() + patience, 0.02
        waiting = self._open(WAITING_NAME)
        try:
            fcntl.flock(waiting, fcntl.LOCK_SH)
            while True:
                lease = self.try_take()
                if lease is not None or loop.time() >= deadline:
                    return lease
                await asyncio.sleep(min(pause, max(0.0, deadline - loop.time())))
                pause = min(pause * 2, 0.25)
        finally:
            os.close(waiting)

    def others_waiting(self) -> bool:
        """Is a process (holding no slot) waiting for one?"""
        probe = self._open(WAITING_NAME)
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(probe)
        return False

    def _open(self, name: str) -> int:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return os.open(self.folder / name, os.O_RDWR | os.O_CREAT, 0o600)


def connection_slots(settings: Settings, data_dir: Path) -> ConnectionSlots | None:
    """The mailbox's connection slots in the data folder: `[limits] max_connections` (0 = no limit: None)."""
    count = getattr(settings.limits, "max_connections", DEFAULT_MAX_CONNECTIONS)
    return ConnectionSlots(data_dir / "ledgers", count) if count else None


def send_log_path(data_dir: Path) -> Path:
    return data_dir / "ledgers" / LOG_NAME
