"""`serve` started as `running_server` does, with what it cannot give: root options before `serve` (`--config`),
and a function run in the child before it starts (a lower file limit)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .server import ROOT, Server, free_port


def cli(data_dir: Path, *args: str, root_args: Sequence[str] = (), env: dict[str, str] | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """One `bulletin-tui` command in a child process."""
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *root_args, *args],
                          cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=timeout)


@contextmanager
def serving(data_dir: Path, log: Path, *serve_args: str, root_args: Sequence[str] = (),
            env: dict[str, str] | None = None, before: Callable[[], None] | None = None) -> Iterator[Server]:
    port = free_port()
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *root_args, "serve", "--port",
             str(port), *serve_args],
            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=handle, stderr=subprocess.STDOUT, preexec_fn=before)
        server = Server(f"http://127.0.0.1:{port}", process, log)
        try:
            _wait_until_up(server)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{server.url}/sessions/", timeout=2):
                return
        except OSError:
            if server.process.poll() is not None:
                break
            time.sleep(0.1)
    raise RuntimeError(f"serve did not start: {server.output()}")


def wait_for(check: Callable[[], bool], within: float) -> bool:
    """True as soon as `check()` is, False after `within` seconds."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True
