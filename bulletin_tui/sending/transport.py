"""Transports deliver one message to one recipient and say what happened, as a value.

`OutboxTransport` writes `.eml` files (the default when no SMTP host is configured); `SmtpTransport` (in
`smtp.py`) talks to a real server. `factory.make_transport(settings, data_dir)` picks one from the settings.
"""

from __future__ import annotations

import asyncio
import errno
import os
import re
import threading
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from ..storage.atomic import fsync_dir


class Outcome(StrEnum):
    SENT = "sent"
    DEFERRED = "deferred"
    FAILED = "failed"
    PAUSE = "pause"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class Delivery:
    """What happened to one message: the outcome, the server's reply, and whether it bounced hard."""

    outcome: Outcome
    code: int | None = None
    reply: str = ""
    stage: str = ""
    hard_bounce: bool = False
    connection_error: bool = False
    unreachable: bool = False
    """No connection could be made (refused, timed out, no such host): the server's problem, not the person's."""
    too_many_connections: bool = False
    """The mailbox has more connections open than the server allows (432 4.3.2): use fewer, then retry."""

    @property
    def summary(self) -> str:
        """`550 5.1.1 no such user (rcpt)` style one-liner for ledgers and progress lines."""
        code = f"{self.code} " if self.code is not None else ""
        stage = f" ({self.stage})" if self.stage else ""
        return f"{code}{self.reply}{stage}".strip()


BeforeData = Callable[[], Awaitable[None]]
"""Awaited right before the message data is handed over (the campaign's ledger commit)."""


class Transport(Protocol):
    """Something that delivers message bytes to one recipient."""

    name: str

    async def deliver(self, sender: str, recipient: str, message: bytes, *,
                      before_data: BeforeData | None = None) -> Delivery:
        """Send one message; never raises for a per-recipient problem."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


_UNSAFE = re.compile(r"[^A-Za-z0-9._@+-]")


SEQUENCE_NAME = ".sequence"
_NUMBER = re.compile(r"^(\d+)-")


class OutboxTransport:
    """Writes each message to `folder/NNNNNN-recipient.eml`, mode 0600, complete or not at all.

    Numbers are never reused: the last one is kept in `folder/.sequence` (and the highest file present counts
    too), so a file removed by an erasure never frees its name; an existing file is never overwritten.
    """

    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._counter = max(self._stored_sequence(), self._highest_present())
        self._lock = threading.Lock()

    async def deliver(self, sender: str, recipient: str, message: bytes, *,
                      before_data: BeforeData | None = None) -> Delivery:
        """Write the .eml; only an OS error (disk full, permissions) makes it other than sent."""
        if before_data is not None:
            await before_data()
        try:
            name = await asyncio.to_thread(self._write_new, _UNSAFE.sub("_", recipient)[:80], message)
        except OSError as exc:
            return Delivery(Outcome.PAUSE, reply=f"outbox {self.folder}: {exc.strerror or exc}", stage="write")
        return Delivery(Outcome.SENT, 250, f"written to {name}", stage="outbox")

    def _write_new(self, label: str, message: bytes) -> str:
        """Write the message under the next unused number; returns the file name."""
        temp = self.folder / f".{uuid.uuid4().hex}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(message)
                handle.flush()
                os.fsync(handle.fileno())  # the ledger says "sent" once this returns: the file must outlive a crash
            with self._lock:
                while True:
                    self._counter += 1
                    name = f"{self._counter:06d}-{label}.eml"
                    try:
                        _link_new(temp, self.folder / name, message)
                    except FileExistsError:
                        continue
                    self._store_sequence()
                    fsync_dir(self.folder)  # the new name survives a power cut too
                    return name
        finally:
            temp.unlink(missing_ok=True)

    def _stored_sequence(self) -> int:
        try:
            return int((self.folder / SEQUENCE_NAME).read_text(encoding="ascii").strip() or 0)
        except (OSError, ValueError):
            return 0

    def _highest_present(self) -> int:
        numbers = (_NUMBER.match(entry.name) for entry in os.scandir(self.folder) if entry.name.endswith(".eml"))
        return max((int(found.group(1)) for found in numbers if found), default=0)

    def _store_sequence(self) -> None:
        fd = os.open(self.folder / SEQUENCE_NAME, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.pwrite(fd, f"{self._counter:012d}\n".encode("ascii"), 0)
        finally:
            os.close(fd)

    async def close(self) -> None:
        return None


def _link_new(temp: Path, path: Path, message: bytes) -> None:
    """Give the written temp file its final name; fails rather than replace an existing file."""
    try:
        os.link(temp, path)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):  # no hard links on this file system
            raise
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(message)
            handle.flush()
            os.fsync(handle.fileno())
