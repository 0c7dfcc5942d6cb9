"""`serve` and the worker started as their unit files start them (tests/deploy/service.py says what is moved and
what is kept): they come up, answer, and stop on SIGTERM within the unit's TimeoutStopSec with an exit status
systemd counts as clean, leaving no process behind. Loopback addresses only."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from .service import VENV_BIN, Running, Sandbox, sandbox, service_user, started, wait_until_gone
from .units import CONFIG_EXAMPLE, SERVE_UNIT, WORKER_UNIT, Unit, parse_unit, seconds

CLEAN_EXIT = {0, -signal.SIGTERM}
"""What systemd counts as a clean stop: exit 0, or death by the SIGTERM it sent (uvicorn re-raises it once it has
shut down gracefully). The worker promises exit 0."""
STOP_WITHIN_S = 10.0


def worker_missing() -> bool:
    """True until `bulletin-tui worker` exists (#24, built alongside this test)."""
    found = subprocess.run([VENV_BIN, "worker", "--help"], capture_output=True, text=True, check=False)
    return found.returncode != 0 and "No such command" in found.stdout + found.stderr


@pytest.fixture
def box() -> Iterator[Sandbox]:
    with sandbox(service_user()) as made:
        env = made.environment(parse_unit(WORKER_UNIT), "demo-load")
        loaded = made.run([VENV_BIN, "--data-dir", str(made.data_dir), "demo"], env)
        assert loaded.returncode == 0, loaded.stderr
        yield made


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def on_port(port: int) -> object:
    """The unit's `--port 8080` moved to a free port (the only change to serve's command line)."""
    def adjust(argv: list[str]) -> list[str]:
        at = argv.index("--port")
        assert argv[at + 1] == "8080" and argv[argv.index("--host") + 1] == "127.0.0.1", argv
        return [*argv[:at + 1], str(port), *argv[at + 2:]]
    return adjust


def wait_for_answer(url: str, running: Running, within: float = 30) -> tuple[int, bytes]:
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            assert running.process.poll() is None, f"exited {running.process.returncode}: {running.output()}"
            assert time.monotonic() < deadline, f"no answer from {url}: {running.output()}"
            time.sleep(0.1)


def assert_stops_cleanly(running: Running, unit: Unit, clean: set[int]) -> None:
    limit = min(seconds(unit.value("TimeoutStopSec")), STOP_WITHIN_S)
    code, took = running.stop(timeout=limit)
    assert code in clean, f"exit {code} after SIGTERM: {running.output()}"
    assert took < limit
    assert wait_until_gone(running.marker, within=3) == [], "processes of the unit left running"


def assert_private(data_dir: Path) -> None:
    """UMask=0077 and the app's own modes: nothing in the data folder open to the group or others."""
    loose = [str(p) for p in [data_dir, *data_dir.rglob("*")] if p.lstat().st_mode & 0o077 and not p.is_symlink()]
    assert loose == []


def test_serve_runs_as_its_unit_answers_the_healthcheck_and_stops_on_sigterm(box: Sandbox) -> None:
    unit, port = parse_unit(SERVE_UNIT), free_loopback_port()
    with started(box, unit, on_port(port)) as running:  # type: ignore[arg-type]
        status, body = wait_for_answer(f"http://127.0.0.1:{port}/healthz", running)
        assert (status, body) == (200, b"ok")
        status, page = wait_for_answer(f"http://127.0.0.1:{port}/sessions/", running)
        assert status == 200 and b"<html" in page  # the demo's sessions, read from the unit's data folder
        sender = tomllib.loads(CONFIG_EXAMPLE.read_text())["sender"]["from_address"]
        assert sender.encode() in page  # the settings file the unit names (BULLETIN_CONFIG) was read
        assert_stops_cleanly(running, unit, CLEAN_EXIT)
    base_url = (box.etc_dir / "bulletin-tui.env").read_text().split("BULLETIN_BASE_URL=")[1].split()[0]
    assert f"Serving {base_url} from {box.data_dir}" in running.output()  # --base-url from the EnvironmentFile
    assert_private(box.data_dir)


@pytest.mark.slow
def test_serves_journal_applier_runs_in_the_units_environment(box: Sandbox) -> None:
    """serve's first applier round (after 5 s) runs `bulletin-tui web-apply` in a child process: with the unit's
    environment and user it succeeds, and everything stops with the unit."""
    unit, port = parse_unit(SERVE_UNIT), free_loopback_port()
    outcome = box.data_dir / "inbound" / "applier-status.json"
    with started(box, unit, on_port(port)) as running:  # type: ignore[arg-type]
        wait_for_answer(f"http://127.0.0.1:{port}/healthz", running)
        deadline = time.monotonic() + 30
        while not outcome.exists():
            assert running.process.poll() is None and time.monotonic() < deadline, running.output()
            time.sleep(0.2)
        assert json.loads(outcome.read_text())["ok"] is True, outcome.read_text()
        assert_stops_cleanly(running, unit, CLEAN_EXIT)
    assert "journal applier failed" not in running.output()
    assert_private(box.data_dir)


@pytest.mark.parametrize("base_url", ["", "http://bulletin.example.org"])
def test_serve_refuses_to_start_without_an_https_base_url(box: Sandbox, base_url: str) -> None:
    env_file = box.etc_dir / "bulletin-tui.env"
    lines = [line for line in env_file.read_text().splitlines() if not line.startswith("BULLETIN_BASE_URL=")]
    env_file.write_text("\n".join([*lines, f"BULLETIN_BASE_URL={base_url}", ""]))
    unit = parse_unit(SERVE_UNIT)
    env = box.environment(unit, "refused")
    (check,) = unit.values("ExecStartPre")
    refused = box.run(box.command(check, env), env)
    assert refused.returncode == 1
    says = "BULLETIN_BASE_URL in /etc/bulletin-tui/bulletin-tui.env must be the public https address"
    assert refused.stderr.strip() == box.place(says)  # the unit's paths are moved into the sandbox, its text too


def read_heartbeat(status_file: Path) -> datetime | None:
    try:
        return datetime.fromisoformat(json.loads(status_file.read_text())["heartbeat"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


@pytest.mark.xfail(worker_missing(), reason="`bulletin-tui worker` is not there yet (#24 part 3)", strict=True)
def test_worker_runs_as_its_unit_keeps_a_heartbeat_and_stops_on_sigterm(box: Sandbox) -> None:
    unit = parse_unit(WORKER_UNIT)
    status_file = box.data_dir / "worker" / "status.json"
    env = box.environment(unit, "status-check")
    check = [VENV_BIN, "--data-dir", str(box.data_dir), "status", "--worker"]  # the container's healthcheck too
    with started(box, unit) as running:
        deadline = time.monotonic() + 30
        while (beat := read_heartbeat(status_file)) is None:
            assert running.process.poll() is None, f"exited {running.process.returncode}: {running.output()}"
            assert time.monotonic() < deadline, f"no heartbeat in {status_file}: {running.output()}"
            time.sleep(0.2)
        fresh = box.run(check, env)
        assert fresh.returncode == 0, fresh.stdout + fresh.stderr
        assert_stops_cleanly(running, unit, {0})
    assert_private(box.data_dir)
    # The heartbeat of a worker that stopped long ago: the check fails, saying why in one line.
    beat = read_heartbeat(status_file)
    assert beat is not None
    found = json.loads(status_file.read_text())
    found["heartbeat"] = (beat - timedelta(minutes=10)).isoformat()
    status_file.write_text(json.dumps(found))
    stale = box.run(check, env)
    assert stale.returncode == 1
    assert len((stale.stdout + stale.stderr).strip().splitlines()) == 1, stale.stdout + stale.stderr
