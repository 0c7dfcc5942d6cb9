"""A real aiosmtpd server on 127.0.0.1 (port 0) whose answers can be scripted per recipient.

    async with running_server() as server:           # server.port, server.messages, server.script
        server.script.rcpt["bob@example.org"] = ["451 4.3.0 try later", "451 4.3.0 try later"]
        ...

Script entries are consumed one per attempt (later attempts get the normal answer):
- `greeting`: replies sent instead of 220 on new connections (e.g. "421 4.3.2 busy"), one per connection;
- `mail`: {n: reply} answered to MAIL FROM when n messages have been accepted so far;
- `rcpt`, `data`, `end`: {address: [reply, ...]} for RCPT, the DATA command, and the end of the data;
  a reply "drop" closes the connection instead of answering;
- `end_delay`: seconds to wait, after keeping the message, before answering the end of DATA;
- `on_message`: a callable run with each accepted message before the 250 is sent (e.g. to SIGKILL a client);
- `server.stop()` goes away mid-run: new connections are refused, open ones dropped.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import queue
import ssl
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    def parsed(self) -> EmailMessage:
        message = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        return message


@dataclass
class Script:
    greeting: list[str] = field(default_factory=list)
    mail: dict[int, str] = field(default_factory=dict)
    rcpt: dict[str, list[str]] = field(default_factory=dict)
    data: dict[str, list[str]] = field(default_factory=dict)
    end: dict[str, list[str]] = field(default_factory=dict)
    end_delay: float = 0.0
    on_message: Callable[[Received], Any] | None = None

    @staticmethod
    def take(table: dict[str, list[str]], key: str) -> str | None:
        replies = table.get(key)
        return replies.pop(0) if replies else None


class RecordingHandler:
    """Accepts mail, records it, and answers as the script says."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.messages: list[Received] = []
        self.commands: list[str] = []
        self.auth_seen: list[str] = []
        self.connections = 0

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        self.commands.append(f"MAIL {address}")
        reply = self.script.mail.pop(len(self.messages), None)
        if reply:
            return _answer(server, reply)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        self.commands.append(f"RCPT {address}")
        reply = self.script.take(self.script.rcpt, address)
        if reply:
            return _answer(server, reply)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        recipient = envelope.rcpt_tos[0] if envelope.rcpt_tos else ""
        reply = self.script.take(self.script.end, recipient)
        if reply:
            return _answer(server, reply)
        received = Received(str(envelope.mail_from), list(envelope.rcpt_tos), bytes(envelope.original_content or b""))
        self.messages.append(received)
        if self.script.on_message is not None:
            self.script.on_message(received)
        if self.script.end_delay:  # the message is kept (queued) even if the client gives up waiting
            await asyncio.sleep(self.script.end_delay)
        return "250 2.0.0 Ok: queued"

    def by_recipient(self) -> dict[str, int]:
        """How many messages each envelope recipient received."""
        counts: dict[str, int] = {}
        for message in self.messages:
            for rcpt in message.rcpt_tos:
                counts[rcpt] = counts.get(rcpt, 0) + 1
        return counts


def _answer(server: SMTP, reply: str) -> str:
    if reply == "drop":
        assert server.transport is not None
        server.transport.close()
        return "421 4.4.2 closing"
    return reply


class ScriptedSMTP(SMTP):
    """aiosmtpd's server with two extra fault points: the greeting and the DATA command."""

    line_length_limit = 16_384  # AUTH XOAUTH2 carries a bearer token (Exchange's run to 2-3 KB)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.command_size_limits["AUTH"] = self.line_length_limit

    async def _handle_client(self) -> None:
        handler: RecordingHandler = self.event_handler
        handler.connections += 1
        if handler.script.greeting:
            await self.push(handler.script.greeting.pop(0))
            assert self.transport is not None
            self.transport.close()
            return
        await super()._handle_client()

    async def smtp_DATA(self, arg: str) -> None:
        handler: RecordingHandler = self.event_handler
        recipient = self.envelope.rcpt_tos[0] if self.envelope and self.envelope.rcpt_tos else ""
        reply = handler.script.take(handler.script.data, recipient)
        if reply == "drop":
            assert self.transport is not None
            self.transport.close()
            return
        if reply:
            await self.push(reply)
            return
        await super().smtp_DATA(arg)

    async def smtp_AUTH(self, arg: str) -> None:
        handler: RecordingHandler = self.event_handler
        handler.auth_seen.append(arg)
        await super().smtp_AUTH(arg)


@dataclass
class RunningServer:
    host: str
    port: int
    handler: RecordingHandler
    server: asyncio.Server | None = None
    sessions: list[SMTP] = field(default_factory=list)

    def stop(self) -> None:
        """Go away mid-run: stop listening (new connections are refused) and drop every open connection."""
        if self.server is not None:
            self.server.close()
        for session in self.sessions:
            if session.transport is not None:
                session.transport.close()

    @property
    def script(self) -> Script:
        return self.handler.script

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages


@asynccontextmanager
async def running_server(
    *,
    tls_context: ssl.SSLContext | None = None,
    implicit_tls: bool = False,
    require_starttls: bool = False,
    authenticator: Callable[..., Any] | None = None,
    auth_require_tls: bool = True,
    smtputf8: bool = True,
    handler: RecordingHandler | None = None,
) -> AsyncIterator[RunningServer]:
    """An aiosmtpd server in this event loop on 127.0.0.1, port chosen by the OS (a handler subclass may add
    `auth_MECHANISM` methods, e.g. XOAUTH2)."""
    handler = handler or RecordingHandler(Script())
    loop = asyncio.get_running_loop()
    starttls_context = None if implicit_tls else tls_context

    def factory() -> ScriptedSMTP:
        session = ScriptedSMTP(
            handler,
            hostname="sink.test",
            tls_context=starttls_context,
            require_starttls=require_starttls,
            authenticator=authenticator,
            auth_require_tls=auth_require_tls,
            enable_SMTPUTF8=smtputf8,
        )
        running.sessions.append(session)
        return session

    running = RunningServer("127.0.0.1", 0, handler)
    server = await loop.create_server(factory, "127.0.0.1", 0, ssl=tls_context if implicit_tls else None)
    running.port, running.server = server.sockets[0].getsockname()[1], server
    try:
        yield running
    finally:
        server.close()
        await asyncio.wait_for(server.wait_closed(), 5)


@contextmanager
def threaded_server(**options: Any) -> Iterator[RunningServer]:
    """The same server on its own event loop in a thread, for code that runs `asyncio.run` itself (the CLI)."""
    started: queue.Queue[RunningServer] = queue.Queue()
    stop = threading.Event()

    async def serve() -> None:
        async with running_server(**options) as server:
            started.put(server)
            while not stop.is_set():
                await asyncio.sleep(0.02)

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    try:
        yield started.get(timeout=10)
    finally:
        stop.set()
        thread.join(10)
