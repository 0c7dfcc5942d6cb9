"""HTTP/1.1 over a plain socket, for what urllib will not send: chunked or trickled bodies, idle connections,
control characters in the path."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


def connect(url: str, timeout: float = 15.0) -> socket.socket:
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1"  # loopback only
    return socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)


def read_all(sock: socket.socket) -> bytes:
    """Everything until the server closes (or the socket's timeout passes)."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return received


def parse(raw: bytes, seconds: float = 0.0) -> Answer:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith("HTTP/1.1 "), raw[:200]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Answer(int(lines[0].split()[1]), headers, body, seconds)


def exchange(url: str, request: bytes, *, pause_after: bytes = b"", timeout: float = 15.0) -> Answer:
    """Send `request` (then `pause_after`, if any, with nothing more), read the answer until the server closes."""
    started = time.monotonic()
    with connect(url, timeout) as sock:
        sock.sendall(request + pause_after)
        return parse(read_all(sock), time.monotonic() - started)


def chunked(body: bytes, size: int = 4096) -> bytes:
    pieces = [body[start:start + size] for start in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def head(method: str, path: str, *extra: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *extra]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()
