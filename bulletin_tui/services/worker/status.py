"""`DATA/worker/status.json`: the worker's pid, start, heartbeat (rewritten at least every 30 s, also during a
long send) and, per job, its last run and when it is next due; and the health check `status --worker` answers.

Written atomically (a reader sees the old file or the new one); read by `bulletin-tui status`, the dashboard and a
container healthcheck, none of which open the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from ...domain.times import short_local
from ...storage.atomic import atomic_write_bytes
from ...storage.flock import held_elsewhere

FOLDER, STATUS_NAME, LOCK_NAME = "worker", "status.json", "worker.lock"
HEALTHY_WITHIN = timedelta(seconds=120)
"""`status --worker` passes while the heartbeat is younger than this."""


def worker_dir(data_dir: Path, *, create: bool = False) -> Path:
    folder = data_dir / FOLDER
    if create:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def status_path(data_dir: Path) -> Path:
    return worker_dir(data_dir) / STATUS_NAME


@dataclass
class JobState:
    """One job as the worker last wrote it: its last run (when, how it went, in one line) and its next."""

    last_at: str = ""
    outcome: str = ""
    next_due: str = ""
    running_since: str = ""
    enabled: bool = True

    def as_json(self) -> dict[str, Any]:
        if not self.enabled:
            return {"enabled": False, "off": self.outcome}
        return {"enabled": True, "last": {"at": self.last_at, "outcome": self.outcome} if self.last_at else None,
                "next": self.next_due or None, "running_since": self.running_since or None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JobState:
        if not data.get("enabled", True):
            return cls(outcome=str(data.get("off", "")), enabled=False)
        last = data.get("last") or {}
        return cls(str(last.get("at", "")), str(last.get("outcome", "")), str(data.get("next") or ""),
                   str(data.get("running_since") or ""))


@dataclass
class WorkerStatus:
    pid: int
    started: str
    heartbeat: str
    state: str = "running"
    """running, stopping or stopped."""
    current: str = ""
    """What a long job is doing now, e.g. the progress of a scheduled send."""
    jobs: dict[str, JobState] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"pid": self.pid, "started": self.started, "heartbeat": self.heartbeat, "state": self.state,
                "current": self.current, "jobs": {name: job.as_json() for name, job in self.jobs.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WorkerStatus:
        jobs = {str(name): JobState.from_json(job) for name, job in (data.get("jobs") or {}).items()}
        return cls(int(data["pid"]), str(data["started"]), str(data["heartbeat"]), str(data.get("state", "")),
                   str(data.get("current", "")), jobs)


def write_status(data_dir: Path, status: WorkerStatus) -> None:
    atomic_write_bytes(worker_dir(data_dir, create=True) / STATUS_NAME,
                       orjson.dumps(status.as_json(), option=orjson.OPT_INDENT_2))


def read_status(data_dir: Path) -> WorkerStatus | None:
    """The last status a worker wrote; None when none ever ran here (or the file cannot be read)."""
    try:
        return WorkerStatus.from_json(orjson.loads(status_path(data_dir).read_bytes()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def lock_held(data_dir: Path) -> bool | None:
    """Does a worker hold this folder's worker lock now? None when that cannot be told (no permission)."""
    return held_elsewhere(worker_dir(data_dir) / LOCK_NAME, shared=True)


def _age(stamp: str, now: datetime) -> timedelta | None:
    try:
        return now - datetime.fromisoformat(stamp)
    except (ValueError, TypeError):
        return None


def health(data_dir: Path, now: datetime) -> tuple[bool, str]:
    """(a worker is running here and its heartbeat is younger than HEALTHY_WITHIN, one line saying so or why not)."""
    status = read_status(data_dir)
    if status is None:
        return False, f"no worker has run for {data_dir} (no {FOLDER}/{STATUS_NAME})"
    held, age = lock_held(data_dir), _age(status.heartbeat, now)
    beat = f"last heartbeat {_ago(age)}" if age is not None else f"unreadable heartbeat {status.heartbeat!r}"
    if held is False:
        return False, (f"no worker running for {data_dir} (the last one, pid {status.pid}, "
                       f"{status.state or 'gone'}; {beat})")
    if age is None or age > HEALTHY_WITHIN or age < -HEALTHY_WITHIN:
        return False, f"worker pid {status.pid} for {data_dir}: {beat}, over {HEALTHY_WITHIN.seconds} s (stuck?)"
    return True, f"worker pid {status.pid} running since {_local(status.started)}; {beat}"


def _ago(age: timedelta | None) -> str:
    if age is None:
        return "unknown"
    seconds = age.total_seconds()
    if seconds < 120:
        return f"{max(seconds, 0):.0f} s ago"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min ago"
    return f"{seconds / 3600:.1f} h ago"


def _local(stamp: str, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    try:
        return short_local(datetime.fromisoformat(stamp), fmt)
    except (ValueError, TypeError):
        return stamp or "?"


def job_lines(status: WorkerStatus) -> list[str]:
    """One line per job: `journal: last 10:03:12 (ok: 2 applied) · next 10:03:27`."""
    lines = []
    for name, job in status.jobs.items():
        if not job.enabled:
            lines.append(f"{name}: off ({job.outcome or 'not configured'})")
            continue
        last = f"last {_local(job.last_at, '%d %b %H:%M:%S')}: {job.outcome}" if job.last_at else "not run yet"
        running = f" · running since {_local(job.running_since, '%H:%M:%S')}" if job.running_since else ""
        upcoming = f" · next {_local(job.next_due, '%d %b %H:%M:%S')}" if job.next_due and not running else ""
        lines.append(f"{name}: {last}{running}{upcoming}")
    return lines


def describe(data_dir: Path, now: datetime) -> list[str]:
    """The worker's state for `bulletin-tui status` and the dashboard: one headline, then one line per job."""
    ok, headline = health(data_dir, now)
    status = read_status(data_dir)
    if status is None:
        return ["no worker running (start one: bulletin-tui worker)"]
    lines = [headline]
    if ok and status.current:
        lines.append(f"now: {status.current}")
    return lines + job_lines(status)
