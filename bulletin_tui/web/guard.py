"""Every response's safety: strict Content-Security-Policy and friends, a request-size cap, a per-address rate
limit, and an access log that holds no tokens or addresses (only the route's shape)."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 16 * 1024
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                 b"frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"interest-cohort=()"),
]
access_log = logging.getLogger("bulletin_tui.web.access")


def _shape(path: str) -> str:
    """`/u/u1.abc...` -> `/u/{token}`: the log never holds a token, an address or a signed link."""
    parts = path.split("/")
    if len(parts) > 2 and parts[1] in ("u", "p", "confirm"):
        return f"/{parts[1]}/{{…}}"
    return path if len(path) <= 80 else path[:80] + "…"


class Guard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

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

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_seen[0] = message["status"]
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            await _plain(send_with_headers, 413, b"Request too large")
        elif state is not None and not state.limits.per_ip.allow(client):
            await _plain(send_with_headers, 429, b"Too many requests: please wait a minute")
        else:
            await self.app(scope, _capped(receive), send_with_headers)
        access_log.info("%s %s %s %.1fms", scope["method"], _shape(scope["path"]), status_seen[0],
                        (time.perf_counter() - started) * 1000)


def _capped(receive: Receive) -> Receive:
    seen = [0]

    async def wrapped() -> Message:
        message = await receive()
        if message["type"] == "http.request":
            seen[0] += len(message.get("body", b""))
            if seen[0] > MAX_BODY:
                raise ValueError("request body over the limit")
        return message

    return wrapped


async def _plain(send: Send, status: int, text: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": text})
