"""A real Radicale CalDAV server on loopback, started by the tests (no auth, tmp storage)."""

from __future__ import annotations

import base64
import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

USER = "kcst"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Radicale:
    """Start, talk to (MKCALENDAR, PUT, GET) and stop one Radicale process."""

    def __init__(self, storage: Path, attempts: int = 3) -> None:
        for attempt in range(attempts):  # the free port may be taken between probing and binding
            self.port = free_port()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "radicale", "--storage-filesystem-folder", str(storage),
                 "--auth-type", "none", "--server-hosts", f"127.0.0.1:{self.port}", "--logging-level", "warning"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
            try:
                self._wait_until_up()
                return
            except RuntimeError:
                self.stop()
                if attempt == attempts - 1:
                    raise

    def _wait_until_up(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"radicale exited: {self.process.stderr.read().decode()[-500:]}")  # type: ignore[union-attr]
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("radicale did not start")

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Authorization": "Basic " + base64.b64encode(f"{USER}:x".encode()).decode()}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def make_calendar(self, name: str) -> str:
        path = f"/{USER}/{name}/"
        status, body = self.request("MKCALENDAR", path)
        assert status == 201, body
        return path

    def put(self, path: str, data: bytes) -> int:
        return self.request("PUT", path, data, "text/calendar; charset=utf-8")[0]

    def get(self, path: str) -> bytes:
        status, body = self.request("GET", path)
        assert status == 200, body
        return body

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self.process.kill()
            self.process.wait()
