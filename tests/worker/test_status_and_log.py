"""The worker's health check and log, without a worker process: `health` from the status file and the lock, and
log lines that keep counts and ids only, in 0600 files that rotate."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.services.worker import joblog
from bulletin_tui.services.worker.joblog import JobLog
from bulletin_tui.services.worker.lock import WorkerBusyError, WorkerLock
from bulletin_tui.services.worker.status import WorkerStatus, health, write_status
from tests.conftest import FIXED_NOW


def test_health_needs_a_running_worker_with_a_fresh_heartbeat(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert health(data, FIXED_NOW) == (False, f"no worker has run for {data} (no worker/status.json)")
    beat = FIXED_NOW.isoformat()
    write_status(data, WorkerStatus(pid=77, started=beat, heartbeat=beat))
    ok, line = health(data, FIXED_NOW + timedelta(seconds=30))
    assert not ok and line.startswith(f"no worker running for {data} (the last one, pid 77")
    lock = WorkerLock(data)
    lock.acquire(beat)
    try:
        assert health(data, FIXED_NOW + timedelta(seconds=30)) == (
            True, "worker pid 77 running since 2026-11-22 10:00:00; last heartbeat 30 s ago")
        ok, line = health(data, FIXED_NOW + timedelta(seconds=121))
        assert not ok and line == f"worker pid 77 for {data}: last heartbeat 2 min ago, over 120 s (stuck?)"
        with pytest.raises(WorkerBusyError, match=r"a worker already runs for .*: pid \d+ on .* since "):
            WorkerLock(data).acquire(beat, attempts=2, pause=0.01)
    finally:
        lock.release()
    assert (data / "worker").stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in (data / "worker").iterdir()} == {0o600}


def test_log_lines_carry_no_address_and_rotate_privately(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(joblog, "MAX_BYTES", 400)
    log = JobLog(tmp_path, FixedClock(FIXED_NOW))
    log.line("outbound", "failed: DomainError: Jo.Bloggs@Example.org (jo@ex.org) is suppressed", 0.25)
    for number in range(10):
        log.line("journal", f"ok: applied {number} unsubscribe", 0.01)
    log.close()
    folder = tmp_path / "logs"
    files = sorted(folder.iterdir())
    assert [p.name for p in files][:2] == ["worker.log", "worker.log.1"]
    assert {p.stat().st_mode & 0o777 for p in files} == {0o600}
    text = "".join(p.read_text() for p in files)
    assert "@" not in text and "failed: DomainError: [address] ([address]) is suppressed (0.2 s)" in text
    assert "2026-11-22T10:00:00+00:00 journal ok: applied 9 unsubscribe (0.0 s)" in text
