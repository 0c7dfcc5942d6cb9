"""A stand-in for a mailbox with Microsoft 365's limits, on 127.0.0.1: it counts the connections open at once and
refuses MAIL FROM on any connection beyond `max_connections` with `432 4.3.2` (as Exchange Online does), and it
stamps each accepted message so a test can count the most in any rolling minute.

    with limited_server(max_connections=3, answer_after=0.1) as server:  # .port .max_open .refused .busiest_minute()
        ...
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from .smtp_server import RecordingHandler, Script, ScriptedSMTP

TOO_MANY = "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded"


class LimitedHandler(RecordingHandler):
    """Records messages (with the time each was accepted) and the connections open at once."""

    def __init__(self, max_connections: int) -> None:
        super().__init__(Script())
        self.max_connections = max_connections
        self.open = self.max_open = self.refused = 0
        self.accepted_at: list[float] = []

    async def handle_MAIL(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          options: list[str]) -> str:
        if getattr(server, "over_limit", False):
            self.refused += 1
            return TOO_MANY
        return await super().handle_MAIL(server, session, envelope, address, options)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        if reply.startswith("250"):
            self.accepted_at.append(time.monotonic())  # when the sender hears it was accepted
        return reply


class LimitedSMTP(ScriptedSMTP):
    """One connection: counted while open; over the limit if more were open when it arrived."""

    over_limit = False

    def connection_made(self, transport: Any) -> None:
        handler: LimitedHandler = self.event_handler
        handler.open += 1
        handler.max_open = max(handler.max_open, handler.open)
        self.over_limit = handler.open > handler.max_connections
        super().connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self.event_handler.open -= 1
        super().connection_lost(exc)


@dataclass
class LimitedServer:
    port: int
    handler: LimitedHandler
    sessions: list[SMTP] = field(default_factory=list)

    @property
    def max_open(self) -> int:
        return self.handler.max_open

    @property
    def refused(self) -> int:
        return self.handler.refused

    def busiest_minute(self, window: float = 60.0) -> int:
        """The most messages accepted within any `window` seconds."""
        stamps, most, start = sorted(self.handler.accepted_at), 0, 0
        for end, stamp in enumerate(stamps):
            while stamp - stamps[start] >= window:
                start += 1
            most = max(most, end - start + 1)
        return most


async def _serve(max_connections: int, answer_after: float, started: queue.Queue[LimitedServer],
                 stop: threading.Event) -> None:
    handler = LimitedHandler(max_connections)
    handler.script.end_delay = answer_after
    loop = asyncio.get_running_loop()
    running = LimitedServer(0, handler)

    def factory() -> LimitedSMTP:
        session = LimitedSMTP(handler, hostname="mailbox.test", enable_SMTPUTF8=True)
        running.sessions.append(session)
        return session

    server = await loop.create_server(factory, "127.0.0.1", 0)
    running.port = server.sockets[0].getsockname()[1]
    started.put(running)
    try:
        while not stop.is_set():
            await asyncio.sleep(0.02)
    finally:
        server.close()
        await asyncio.wait_for(server.wait_closed(), 5)


@contextmanager
def limited_server(max_connections: int = 3, answer_after: float = 0.0) -> Iterator[LimitedServer]:
    """The stand-in on its own event loop in a thread (the senders are other processes, or asyncio.run); each
    message is answered `answer_after` seconds after it was kept (a real server takes a while)."""
    started: queue.Queue[LimitedServer] = queue.Queue()
    stop = threading.Event()
    serve = _serve(max_connections, answer_after, started, stop)
    thread = threading.Thread(target=asyncio.run, args=(serve,), daemon=True)
    thread.start()
    try:
        yield started.get(timeout=10)
    finally:
        stop.set()
        thread.join(10)
