"""Connections that do not play fair. uvicorn's HTTP/1.1 protocol gets a deadline for each request head (uvicorn
has none): a connection that has not sent a whole request line and headers within the deadline of connecting, or
of its last answer, is closed, so idle or trickling connections cannot hold every file descriptor while a real
request waits to be accepted. And running out of descriptors is one log line a minute, not thousands a second."""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT_S = 10.0
ACCEPT_FAILED = "socket.accept() out of system resource"
OPEN_FILES_WANTED = 65_536
log = logging.getLogger("bulletin_tui.web.connections")


class HeadDeadlineProtocol(H11Protocol):
    head_timeout = HEAD_TIMEOUT_S

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the head arrived (or the connection failed)
            self._cancel_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state is h11.IDLE:  # kept alive, waiting for the next request's head
            self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def _await_head(self) -> None:
        self._cancel_deadline()
        if not self.transport.is_closing():
            self.head_deadline = self.loop.call_later(self.head_timeout, self._head_too_slow)

    def _cancel_deadline(self) -> None:
        if self.head_deadline is not None:
            self.head_deadline.cancel()
            self.head_deadline = None

    def _head_too_slow(self) -> None:
        self.head_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def with_head_timeout(seconds: float) -> type[HeadDeadlineProtocol]:
    """The protocol class for `uvicorn.run(http=...)` with its own deadline."""
    return type("HeadDeadlineProtocol", (HeadDeadlineProtocol,), {"head_timeout": seconds})


class AcceptErrors:
    """The event loop's exception handler: asyncio reports a failed accept (no file descriptor left) once for every
    queued connection, with a traceback, every second (2,048 a second under a flood); this says it once a minute,
    with how many there were, and leaves every other error to the default handler."""

    def __init__(self, every_s: float = 60.0) -> None:
        self.every_s = every_s
        self.last_said = -every_s
        self.since_said = 0

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") != ACCEPT_FAILED:
            loop.default_exception_handler(context)
            return
        self.since_said += 1
        now = time.monotonic()
        if now - self.last_said >= self.every_s:
            log.warning("%s (%s): new connections wait until idle ones are closed (%d failed accepts since "
                        "this was last said)", ACCEPT_FAILED, context.get("exception"), self.since_said)
            self.last_said, self.since_said = now, 0


def more_open_files() -> None:
    """Raise this process's soft limit on open files towards its hard limit (as many servers do): idle connections
    must then be very many before a real request has to wait."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = OPEN_FILES_WANTED if hard == resource.RLIM_INFINITY else min(hard, OPEN_FILES_WANTED)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
