"""`serve` applies the journal in a short-lived `bulletin-tui web-apply` process (so the whole database is never
loaded into the long-running server), beside any app, command or worker working on the same folder. Each run's
outcome is kept in `inbound/applier-status.json` for `bulletin-tui status`; a failure is also one warning line in
the server's log."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import orjson

from ..config import Settings
from ..domain.clock import SystemClock
from ..services.web.applier_status import STATUS_NAME, ApplierOutcome, read_outcome, status_path
from ..storage.atomic import atomic_write_bytes
from .guard import printable

APPLY_TIMEOUT_S = 300
log = logging.getLogger("bulletin_tui.web.applier")
__all__ = ["APPLY_TIMEOUT_S", "ApplierOutcome", "STATUS_NAME", "read_outcome", "run_applier", "status_path"]


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
