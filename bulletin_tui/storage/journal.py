"""The inbound journal: requests accepted by the web face, appended and fsynced *before* the answer, applied later
by whoever holds the writer lock (see docs/WEB.md).

One JSON object per line: {"id": idempotency id, "at": ISO time, "kind": ..., ...}. Lines are written whole with
one `os.write` to an O_APPEND file; a torn last line (power cut mid-write) is ignored, as in the send ledger.
`GroupCommitter` lets many concurrent requests share one fsync.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

JOURNAL_DIR = "inbound"
JOURNAL_NAME = "journal.jsonl"


def journal_path(data_dir: Path) -> Path:
    return data_dir / JOURNAL_DIR / JOURNAL_NAME


def _open_for_append(path: Path) -> int:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)


def read_entries(path: Path, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Whole entries from byte `offset` on, and the offset after the last whole line."""
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            data = handle.read()
    except FileNotFoundError:
        return [], offset
    end = data.rfind(b"\n") + 1
    entries = []
    for line in data[:end].split(b"\n"):
        if line.strip():
            try:
                entries.append(orjson.loads(line))
            except orjson.JSONDecodeError:
                continue  # a line torn by a crash, followed by later appends: never applied, never fatal
    return entries, offset + end


def all_entries(data_dir: Path) -> Iterator[dict[str, Any]]:
    yield from read_entries(journal_path(data_dir))[0]


@dataclass
class JournalTail:
    """Reads only what was appended since the last call (for checks made per message while sending)."""

    path: Path
    offset: int = 0
    entries: list[dict[str, Any]] = field(default_factory=list)

    def refresh(self) -> list[dict[str, Any]]:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return []
        if size <= self.offset:
            return []
        fresh, self.offset = read_entries(self.path, self.offset)
        self.entries += fresh
        return fresh


class Journal:
    """Synchronous appends, each durable on return (used by tests and by the group committer's thread)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = journal_path(data_dir)
        self._fd = _open_for_append(self.path)
        self._lock = threading.Lock()

    def write(self, entries: list[dict[str, Any]]) -> None:
        """Append the entries and fsync once: they are on disk when this returns."""
        payload = b"".join(orjson.dumps(e) + b"\n" for e in entries)
        with self._lock:
            os.write(self._fd, payload)
            os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)


class GroupCommitter:
    """Many requests, one fsync: each `append` waits until its entry is durable, sharing the write with every
    request that arrived meanwhile."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._waiting: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
        self._flushing = False
        self.flushes = 0

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
                self.flushes += 1
                for _, future in batch:
                    future.set_result(None)
        finally:
            self._flushing = False
