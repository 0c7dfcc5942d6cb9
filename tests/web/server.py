"""`bulletin-tui serve` started for real (a subprocess running uvicorn) on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def running_server(data_dir: Path, log: Path, *extra: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    handle = open(log, "wb")  # noqa: SIM115 - kept open for the server's life
    process = subprocess.Popen(
        [sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), "serve", "--port", str(port), *extra],
        cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    server = Server(url, process, log)
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"{url}/sessions/", timeout=2):
                break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve did not start: {server.output()}") from None
            time.sleep(0.1)
    try:
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        handle.close()


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def confirmations_sent(data_dir: Path, within: float = 40) -> list[Path]:
    """Wait until every journalled sign-up/registration request has its confirmation settled by the writer
    (serve's applier sends them through the outbound pipeline within seconds); the outbox's messages."""
    from bulletin_tui.locations import confirmations_ledger
    from bulletin_tui.sending.ledger import FINAL_STATES, fold, read_records
    from bulletin_tui.storage.journal import all_entries

    deadline = time.monotonic() + within
    while True:
        wanted = {e["id"] for e in all_entries(data_dir) if e["kind"].endswith("_requested")}
        states, _ = fold(read_records(confirmations_ledger(data_dir)))
        if all(key in states and states[key].state in FINAL_STATES for key in wanted):
            return sorted((data_dir / "outbox").glob("*.eml"))
        if time.monotonic() > deadline:
            raise AssertionError(f"confirmations not sent within {within} s: {sorted(wanted - set(states))}")
        time.sleep(0.2)
