"""150 idle connections against a server allowed 128 open files: they fill every descriptor (the server cannot
accept more), and a normal request still gets its answer once the head deadline has closed them."""

from __future__ import annotations

import re
import resource
import socket
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .launch import serving
from .raw_http import connect
from .server import Server, running_server

FILE_LIMIT = 128
IDLE = 150
READ_TIMEOUT = 2.0


@contextmanager
def limited_server(data_dir: Path, log: Path, hard_limit: int = FILE_LIMIT) -> Iterator[Server]:
    """`serve` in a child limited to FILE_LIMIT open files (at most `hard_limit`)."""

    def few_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (FILE_LIMIT, hard_limit))

    with serving(data_dir, log, "--read-timeout", str(READ_TIMEOUT), before=few_files) as server:
        yield server


def timed_get(url: str, timeout: float) -> tuple[int, float]:
    started = time.monotonic()
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, time.monotonic() - started


def test_a_request_is_answered_while_150_idle_connections_hold_every_file(web_data: Path, tmp_path: Path) -> None:
    with limited_server(web_data, tmp_path / "serve.log") as server, ExitStack() as stack:
        idle = [stack.enter_context(connect(server.url)) for _ in range(IDLE)]
        time.sleep(0.5)
        status, seconds = timed_get(f"{server.url}/sessions/", timeout=READ_TIMEOUT + 10)
        assert status == 200 and seconds < READ_TIMEOUT + 5
        assert "out of system resource" in server.output()  # the limit was reached: the request had to wait
        assert sum(map(closed_by_server, idle)) > FILE_LIMIT // 2  # the idle ones were cut off, never answered


def closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(0.01)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_a_kept_alive_connection_that_goes_quiet_is_closed_too(web_data: Path, tmp_path: Path) -> None:
    with running_server(web_data, tmp_path / "serve.log", "--read-timeout", str(READ_TIMEOUT)) as server, \
            connect(server.url) as sock:
        sock.sendall(b"GET /sessions/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /sessions/ HTTP/1.1\r\n")  # the next request's head, never finished
        started = time.monotonic()
        while sock.recv(65536):
            pass
        assert time.monotonic() - started < READ_TIMEOUT + 3


def test_serve_raises_its_soft_file_limit_to_the_hard_one(web_data: Path, tmp_path: Path) -> None:
    with limited_server(web_data, tmp_path / "serve.log", hard_limit=4096) as server:
        limits = Path(f"/proc/{server.process.pid}/limits").read_text()
        assert re.search(r"Max open files\s+4096\s+4096", limits)
        with ExitStack() as stack:
            for _ in range(IDLE):
                stack.enter_context(connect(server.url))
            assert timed_get(f"{server.url}/sessions/", timeout=5)[0] == 200  # no wait at all
