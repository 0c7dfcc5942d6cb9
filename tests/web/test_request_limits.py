"""Bodies and heads that do not play fair, sent over raw sockets to the real server: an oversized chunked body is a
413 and a trickled one a 408 (both with the security headers, no traceback), a head that never ends is cut off, a
small chunked body still reaches the page, and control characters in a path cannot forge access-log lines."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.storage.journal import all_entries

from .conftest import PEOPLE, token_for
from .raw_http import chunked, connect, exchange, head, read_all
from .server import Server, running_server

READ_TIMEOUT = 2.0
SECURITY = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options")


@pytest.fixture
def quick_server(web_data: Path, tmp_path: Path) -> Iterator[Server]:
    with running_server(web_data, tmp_path / "serve.log", "--read-timeout", str(READ_TIMEOUT)) as running:
        yield running


def logged(server: Server, needle: str, within: float = 5.0) -> str:
    """The server's log once `needle` is in it (the access line is written just after the answer)."""
    deadline = time.monotonic() + within
    while needle not in (output := server.output()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return output


def test_a_chunked_body_over_16_kb_is_413_with_the_security_headers(quick_server: Server) -> None:
    form = b"email=" + b"a" * 20_000
    answer = exchange(quick_server.url, head("POST", "/subscribe", "Transfer-Encoding: chunked",
                                             "Content-Type: application/x-www-form-urlencoded") + chunked(form))
    assert answer.status == 413 and b"too large" in answer.body
    assert all(name in answer.headers for name in SECURITY)
    output = logged(quick_server, "POST /subscribe 413")
    assert "POST /subscribe 413" in output and "Traceback" not in output


def test_a_small_chunked_body_still_reaches_the_page(quick_server: Server, web_data: Path, settings: Settings) -> None:
    token = token_for(web_data, settings, PEOPLE[0])
    answer = exchange(quick_server.url, head("POST", f"/u/{token}", "Transfer-Encoding: chunked",
                                             "Content-Type: application/x-www-form-urlencoded")
                      + chunked(b"List-Unsubscribe=One-Click", size=7))
    assert answer.status == 200
    assert [entry["token"] for entry in all_entries(web_data) if entry["kind"] == "unsubscribe"] == [token]


def test_a_body_that_trickles_in_is_408_after_the_read_timeout(quick_server: Server) -> None:
    answer = exchange(quick_server.url, head("POST", "/subscribe", "Content-Length: 100",
                                             "Content-Type: application/x-www-form-urlencoded"),
                      pause_after=b"email=a%40b")  # 11 of the 100 bytes promised, then nothing
    assert answer.status == 408 and all(name in answer.headers for name in SECURITY)
    assert READ_TIMEOUT - 0.2 < answer.seconds < READ_TIMEOUT + 3
    assert "Traceback" not in logged(quick_server, "POST /subscribe 408")


def test_a_head_that_never_ends_is_closed_after_the_read_timeout(quick_server: Server) -> None:
    started = time.monotonic()
    with connect(quick_server.url) as sock:
        sock.sendall(b"GET /sessions/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # the head's end never comes
        assert read_all(sock) == b""  # closed without an answer
    assert READ_TIMEOUT - 0.2 < time.monotonic() - started < READ_TIMEOUT + 3


def test_control_characters_in_the_path_are_escaped_in_the_access_log(quick_server: Server) -> None:
    forged = "/x%00y%0A2027-01-01%2000:00:00,000%20GET%20/admin%20200%201.0ms%0D%1B[2J"
    assert exchange(quick_server.url, head("GET", forged)).status == 404
    output = logged(quick_server, "GET /x")
    line = next(line for line in output.splitlines() if "GET /x" in line)
    assert re.search(r" 404 [0-9.]+ms$", line)  # the whole request stays on its one line
    assert "/x\\x00y\\n2027-01-01 00:00:00,000 GET /admin 200 1.0ms\\r\\x1b[2J 404" in line
    assert "\x00" not in output and "\x1b" not in output and "\r" not in output
    assert not any(text.startswith("2027-01-01") for text in output.splitlines())
