"""The worker applies the retention schedule once a day (#24 + #27): `worker --once` on the three-year folder
removes what is due and logs counts only; the next round finds nothing due."""

from __future__ import annotations

from pathlib import Path

from .conftest import run_cli


def retention_lines(data: Path) -> list[str]:
    return [line for line in (data / "logs" / "worker.log").read_text().splitlines() if " retention " in line]


def test_the_worker_runs_the_retention_schedule_and_logs_counts_only(seeded: Path) -> None:
    run_cli(seeded, "worker", "--once")
    [line] = retention_lines(seeded)
    assert "ok:" in line and "registrations and attendance" in line and "@" not in line
    history = run_cli(seeded, "privacy", "retention", "--history").stdout
    assert "registrations and attendance" in history
    run_cli(seeded, "worker", "--once")
    assert retention_lines(seeded)[-1].split("ok: ")[1].startswith("nothing due")
