"""Every response's safety: strict Content-Security-Policy and friends, a request-size cap and a body read timeout
(answered by the guard itself, with the same headers), a per-address rate limit, and an access log that holds no
tokens or addresses (only the route's shape, control characters escaped)."""

from __future__ import annotations

import asyncio
import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import Settings
from .render import page_html

MAX_BODY = 16 * 1024
BODY_TIMEOUT_S = 10.0
"""A request body must arrive whole within this many seconds of its head (408 otherwise)."""
CSP = (b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       b"base-uri 'none'")
ARCHIVE_CSP = CSP.replace(b"style-src 'self'", b"style-src 'self' 'unsafe-inline'")
"""The published archive's pages carry their styles inline (one file each, like the e-mail they mirror); still no
script of any kind."""
SECURITY_HEADERS = [
    (b"content-security-policy", CSP),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"interest-cohort=()"),
]
TOO_LARGE = (413, b"Request too large")
TOO_SLOW = (408, b"Request body too slow")
GONE = (0, b"")  # the client went away before its body arrived: nothing to answer
access_log = logging.getLogger("bulletin_tui.web.access")


def printable(text: str) -> str:
    """`text` with control characters (and the backslash) shown as escapes: one log line stays one line."""
    return "".join(char if char.isprintable() and char != "\\" else repr(char)[1:-1] for char in text)


def _shape(path: str) -> str:
    """`/u/u1.abc...` -> `/u/{…}`: the log never holds a token, an address or a signed link."""
    parts = path.split("/")
    if len(parts) > 2 and parts[1] in ("u", "p", "confirm"):
        return f"/{parts[1]}/{{…}}"
    return printable(path if len(path) <= 80 else path[:80] + "…")


class Guard:
    def __init__(self, app: ASGIApp, body_timeout: float = BODY_TIMEOUT_S) -> None:
        self.app = app
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = scope["app"].state.web if "app" in scope else None
        if state is not None:
            state.requests_seen += 1
        client = (scope.get("client") or ("unknown", 0))[0]
        status_seen = [0]
        headers = SECURITY_HEADERS
        if scope["path"].startswith("/bulletins/"):
            headers = [(b"content-security-policy", ARCHIVE_CSP), *SECURITY_HEADERS[1:]]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_seen[0] = message["status"]
                message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            await _plain(send_with_headers, *TOO_LARGE)
        elif state is not None and not state.limits.per_ip.allow(client):
            await _too_many(send_with_headers, state.settings)
        else:
            refusal, body = await read_body(receive, self.body_timeout)
            if refusal is None:
                await self.app(scope, replay(body, receive), send_with_headers)
            elif refusal is not GONE:
                await _plain(send_with_headers, *refusal)
        access_log.info("%s %s %s %.1fms", scope["method"], _shape(scope["path"]), status_seen[0],
                        (time.perf_counter() - started) * 1000)


async def read_body(receive: Receive, timeout: float) -> tuple[tuple[int, bytes] | None, bytes]:
    """The whole body (chunked or not), read before the app sees the request: (None, body), or a refusal when it
    grows past MAX_BODY, takes longer than `timeout` seconds, or the client leaves."""
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return GONE, b""
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > MAX_BODY:
                    return TOO_LARGE, b""
                chunks.append(chunk)
                if not message.get("more_body", False):
                    return None, b"".join(chunks)
    except TimeoutError:
        return TOO_SLOW, b""


def replay(body: bytes, receive: Receive) -> Receive:
    """The buffered body as one message, then the server's own `receive` (which reports a disconnect)."""
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed


async def _too_many(send: Send, settings: Settings) -> None:
    """429 as a page a person can read (its stylesheet may be refused too: it reads the same without)."""
    html = page_html(settings, "message.html.j2", title="Too many requests",
                     text="This address has made too many requests in the last minute. Please wait a minute, "
                          "then try again.")
    await send({"type": "http.response.start", "status": 429, "headers": [
        (b"content-type", b"text/html; charset=utf-8"), (b"retry-after", b"60"), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": html.encode()})


async def _plain(send: Send, status: int, text: bytes) -> None:
    """A short answer; a refused body is not read further, so the connection is closed after it."""
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    if status in (TOO_LARGE[0], TOO_SLOW[0]):
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text})
