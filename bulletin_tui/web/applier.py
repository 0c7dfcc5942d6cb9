"""`serve` applies the journal in a short-lived `bulletin-tui web-apply` process (so the whole database is never
loaded into the long-running server), beside any app, command or worker working on the same folder. Each run's
outcome is kept in `inbound/applier-status.json` for `bulletin-tui status`; a failure is also one warning line in
the server's log."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ..config import Settings
from ..domain.clock import SystemClock
from ..storage.atomic import atomic_write_bytes
from ..storage.journal import JOURNAL_DIR
from .guard import printable

STATUS_NAME = "applier-status.json"
APPLY_TIMEOUT_S = 300
log = logging.getLogger("bulletin_tui.web.applier")


@dataclass(frozen=True)
class ApplierOutcome:
    """One run of the applier: when, its exit code (None: it did not finish), and its last line on stderr."""

    at: str
    exit_code: int | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def as_json(self) -> dict[str, Any]:
        return {"at": self.at, "ok": self.ok, "exit_code": self.exit_code, "message": self.message}


def status_path(data_dir: Path) -> Path:
    return data_dir / JOURNAL_DIR / STATUS_NAME


def read_outcome(data_dir: Path) -> ApplierOutcome | None:
    """The last run's outcome, or None when the applier never ran (or its file is unreadable)."""
    try:
        found = orjson.loads(status_path(data_dir).read_bytes())
        code = found["exit_code"]
        return ApplierOutcome(at=str(found["at"]), exit_code=None if code is None else int(code),
                              message=str(found.get("message", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def run_applier(settings: Settings, config_file: Path | None = None) -> ApplierOutcome:
    """Apply pending entries (each in short write transactions, beside whoever else is writing)."""
    command = [sys.executable, "-m", "bulletin_tui", "--data-dir", str(settings.data_dir)]
    if config_file is not None:
        command += ["--config", str(config_file)]
    try:
        done = subprocess.run([*command, "web-apply"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=APPLY_TIMEOUT_S, check=False,
                              preexec_fn=_lower_priority)
        outcome = ApplierOutcome(_now(), done.returncode, _last_line(done.stderr) if done.returncode else "")
    except subprocess.TimeoutExpired:
        outcome = ApplierOutcome(_now(), None, f"stopped after {APPLY_TIMEOUT_S} s")
    if not outcome.ok:
        log.warning("journal applier failed (exit %s): %s", outcome.exit_code, outcome.message or "no message")
    atomic_write_bytes(_status_file(settings.data_dir), orjson.dumps(outcome.as_json()))
    return outcome


def _status_file(data_dir: Path) -> Path:
    path = status_path(data_dir)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _last_line(stderr: bytes) -> str:
    """The child's last non-blank line on stderr (its one-line error, or a traceback's last line), escaped."""
    lines = [line for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    return printable(lines[-1].strip())[:300] if lines else ""


def _now() -> str:
    return SystemClock().now().isoformat(timespec="seconds")


def _lower_priority() -> None:
    """The applier yields the CPU to the server answering requests (a burst of one-click POSTs comes first)."""
    os.nice(10)
