"""Transports deliver one message to one recipient and say what happened, as a value.

`OutboxTransport` writes `.eml` files (the default when no SMTP host is configured); `SmtpTransport` (in
`smtp.py`) talks to a real server. `make_transport(settings, data_dir)` picks one from the settings.
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from ..config import Settings
from ..locations import outbox_dir


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


class OutboxTransport:
    """Writes each message to `folder/NNNNNN-recipient.eml` (atomically: temp file, then rename)."""

    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._counter = len(list(folder.glob("*.eml")))

    async def deliver(self, sender: str, recipient: str, message: bytes, *,
                      before_data: BeforeData | None = None) -> Delivery:
        """Write the .eml; only an OS error (disk full, permissions) makes it other than sent."""
        if before_data is not None:
            await before_data()
        self._counter += 1
        name = f"{self._counter:06d}-{_UNSAFE.sub('_', recipient)[:80]}.eml"
        try:
            await asyncio.to_thread(self._write, self.folder / name, message)
        except OSError as exc:
            return Delivery(Outcome.PAUSE, reply=f"outbox {self.folder}: {exc.strerror or exc}", stage="write")
        return Delivery(Outcome.SENT, 250, f"written to {name}", stage="outbox")

    @staticmethod
    def _write(path: Path, message: bytes) -> None:
        temp = path.with_name(f".{uuid.uuid4().hex}.tmp")
        with open(temp, "wb") as handle:
            handle.write(message)
        os.replace(temp, path)

    async def close(self) -> None:
        return None


def make_transport(settings: Settings, data_dir: Path) -> Transport:
    """SMTP when a host is configured, else the outbox folder in the data dir."""
    if settings.smtp.host:
        from .smtp import SmtpTransport

        return SmtpTransport(settings.smtp, concurrency=settings.limits.concurrency)
    return OutboxTransport(outbox_dir(data_dir))
