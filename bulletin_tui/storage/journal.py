"""The inbound journal: requests accepted by the web face, appended and fsynced *before* the answer, applied later
by `serve`'s applier or any process that writes (see docs/web.md).

One JSON object per line: {"id": idempotency id, "at": ISO time, "kind": ..., ...}. Appends are whole or nothing
(`appendlog`): a record that cannot be written whole (a full disk) is cut back and the request is refused, and a
torn tail (power cut mid-write) is cut before the next record. Lines are checked by shape when read: one that is
not a journal entry is set aside (`bad`), never applied and never fatal. `GroupCommitter` lets many concurrent
requests share one fsync. The file is rewritten (compaction, erasure) only under `journal.lock`, which appends take
too; a writer that finds the file replaced reopens it, and a `JournalTail` starts again from the top.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from .appendlog import AppendFile
from .atomic import atomic_write_chunks, fsync_dir

JOURNAL_DIR = "inbound"
JOURNAL_NAME = "journal.jsonl"
LOCK_NAME = "journal.lock"
QUARANTINE_NAME = "quarantined.jsonl"
MAX_LINE = 64 * 1024

_STR, _LIST, _DICT = str, list, dict
SHAPES: dict[str, dict[str, type]] = {
    "unsubscribe": {"token": _STR},
    "preferences": {"token": _STR, "leave_tokens": _LIST},
    "signup_requested": {"request": _DICT},
    "registration_requested": {"request": _DICT},
    "signup_confirmed": {"request": _DICT},
    "registration_confirmed": {"request": _DICT},
}
"""The fields each kind must carry (besides id, at and kind), with their types."""
_REQUEST_FIELDS = {"signup_confirmed": ("email", "lists"), "registration_confirmed": ("email", "session")}


def journal_path(data_dir: Path) -> Path:
    return data_dir / JOURNAL_DIR / JOURNAL_NAME


def entry_problem(entry: Any) -> str | None:
    """What makes a parsed line not a journal entry, or None when its shape is right."""
    if not isinstance(entry, dict):
        return "not an object"
    for name in ("id", "at", "kind"):
        if not isinstance(entry.get(name), str) or not entry[name]:
            return f'"{name}" missing or not text'
    try:
        entry_time(entry["at"])
    except ValueError:
        return '"at" is not an ISO 8601 time'
    shape = SHAPES.get(entry["kind"])
    if shape is None:
        return f'unknown kind "{entry["kind"][:40]}"'
    for name, kind in shape.items():
        if not isinstance(entry.get(name), kind):
            return f'"{name}" missing or not {kind.__name__}'
    if entry["kind"] == "preferences" and not all(isinstance(t, str) for t in entry["leave_tokens"]):
        return '"leave_tokens" holds something that is not text'
    request = entry.get("request", {})
    for name in _REQUEST_FIELDS.get(entry["kind"], ()):
        if not request.get(name):
            return f'"request.{name}" missing'
    return None


def entry_time(text: str) -> datetime:
    """An entry's time, aware (a time written without its zone is UTC); ValueError if not ISO 8601."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class Bad:
    """A line set aside: where it was, why, and its text (for quarantine)."""

    offset: int
    problem: str
    line: bytes


@dataclass
class Read:
    entries: list[dict[str, Any]] = field(default_factory=list)
    bad: list[Bad] = field(default_factory=list)
    end: int = 0


def read_journal(path: Path, offset: int = 0) -> Read:
    """Whole, well-formed entries from byte `offset` on, the lines set aside, and the offset after the last
    whole line (a torn tail is left for the next read)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            data = handle.read()
    except FileNotFoundError:
        return Read(end=offset)
    stop = data.rfind(b"\n") + 1
    result, position = Read(end=offset + stop), offset
    for line in data[:stop].split(b"\n")[:-1]:
        at, position = position, position + len(line) + 1
        if not line.strip():
            continue
        try:
            entry = orjson.loads(line) if len(line) <= MAX_LINE else None
            problem = entry_problem(entry) if entry is not None else "longer than 64 KB"
        except orjson.JSONDecodeError:
            entry, problem = None, "not JSON (a line torn by a crash?)"
        if problem is None:
            result.entries.append(entry)  # type: ignore[arg-type]
        else:
            result.bad.append(Bad(at, problem, line[:MAX_LINE]))
    return result


def read_entries(path: Path, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Whole, well-formed entries from byte `offset` on, and the offset after the last whole line."""
    read = read_journal(path, offset)
    return read.entries, read.end


def all_entries(data_dir: Path) -> Iterator[dict[str, Any]]:
    yield from read_journal(journal_path(data_dir)).entries


@contextlib.contextmanager
def journal_lock(data_dir: Path) -> Iterator[None]:
    """Held around every append and every rewrite, by any process."""
    folder = data_dir / JOURNAL_DIR
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def rewrite(data_dir: Path, keep: Callable[[dict[str, Any]], bool], *, set_aside: bool = True) -> tuple[int, int]:
    """Rewrite the journal with only the entries `keep` accepts (atomically, under the journal lock); lines that
    are not entries go to `quarantined.jsonl` (0600) when `set_aside`, else are dropped. (entries dropped, lines
    set aside)."""
    path = journal_path(data_dir)
    with journal_lock(data_dir):
        read = read_journal(path)
        kept = [e for e in read.entries if keep(e)]
        if len(kept) == len(read.entries) and not read.bad:
            return 0, 0
        if read.bad and set_aside:
            quarantine = AppendFile(path.with_name(QUARANTINE_NAME))
            try:
                quarantine.append(b"".join(b.line + b"\n" for b in read.bad), sync=True)
            finally:
                quarantine.close()
        atomic_write_chunks(path, (orjson.dumps(e) + b"\n" for e in kept))
        fsync_dir(path.parent)
        return len(read.entries) - len(kept), len(read.bad)


@dataclass
class JournalTail:
    """Reads only what was appended since the last call (for checks made per message while sending); starts
    again from the top when the file was rewritten."""

    path: Path
    offset: int = 0
    generation: int = 0
    """Raised each time the file was found rewritten (and read again from the top)."""
    _inode: int = -1

    def refresh(self) -> list[dict[str, Any]]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return []
        if stat.st_ino != self._inode or stat.st_size < self.offset:
            self.generation += self._inode != -1
            self._inode, self.offset = stat.st_ino, 0
        if stat.st_size <= self.offset:
            return []
        fresh, self.offset = read_entries(self.path, self.offset)
        return fresh


class Journal:
    """Synchronous appends, each durable on return (used by tests and by the group committer's thread)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = journal_path(data_dir)
        with journal_lock(data_dir):
            self._file = AppendFile(self.path)
        self._lock = threading.Lock()

    def write(self, entries: list[dict[str, Any]]) -> None:
        """Append the entries and fsync once: all of them are on disk when this returns, or none is in the
        file and `AppendError` (an OSError) is raised."""
        payload = b"".join(orjson.dumps(e) + b"\n" for e in entries)
        with self._lock, journal_lock(self.data_dir):
            if _replaced(self.path, self._file.fd):
                self._file.reopen()
            self._file.append(payload, sync=True)

    def close(self) -> None:
        self._file.close()


def _replaced(path: Path, fd: int) -> bool:
    try:
        return path.stat().st_ino != os.fstat(fd).st_ino
    except FileNotFoundError:
        return True


class GroupCommitter:
    """Many requests, one fsync: each `append` waits until its entry is durable, sharing the write with every
    request that arrived meanwhile."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._waiting: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
        self._flushing = False

    async def append(self, entry: dict[str, Any]) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((entry, future))
        if not self._flushing:
            self._flushing = True
            asyncio.get_running_loop().create_task(self._flush())
        await future

    async def _flush(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    await asyncio.to_thread(self.journal.write, [entry for entry, _ in batch])
                except OSError as exc:
                    for _, future in batch:
                        future.set_exception(exc)
                    continue
                for _, future in batch:
                    future.set_result(None)
        finally:
            self._flushing = False
