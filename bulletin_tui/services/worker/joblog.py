"""`logs/worker.log`: one line per job run (when, which job, how it went, how long), rotated at 1 MB with 5 kept,
mode 0600. Lines carry counts and ids only: anything shaped like an address is replaced, and no setting or
secret is ever written."""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from ...domain.clock import Clock
from ...sending.scrub import without_addresses

LOG_NAME, MAX_BYTES, KEEP = "worker.log", 1_000_000, 5


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose files are created 0600 (personal data may be near; the folder is 0700)."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding or "utf-8", errors=self.errors)


def log_path(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_NAME


class JobLog:
    """The worker's log: `2026-11-22T10:00:15+00:00 journal ok: 2 applied (0.1 s)`."""

    def __init__(self, data_dir: Path, clock: Clock) -> None:
        path = log_path(data_dir)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.clock = clock
        self.handler = PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=KEEP, encoding="utf-8")
        self.handler.setFormatter(logging.Formatter("%(message)s"))
        self.logger = logging.getLogger(f"bulletin_tui.worker.{id(self)}")
        self.logger.propagate = False
        self.logger.setLevel(logging.INFO)
        self.logger.addHandler(self.handler)

    def line(self, job: str, outcome: str, seconds: float | None = None) -> None:
        took = f" ({seconds:.1f} s)" if seconds is not None else ""
        text = " ".join(without_addresses(outcome).split())
        self.logger.info("%s %s %s%s", self.clock.now().isoformat(timespec="seconds"), job, text, took)

    def close(self) -> None:
        self.logger.removeHandler(self.handler)
        self.handler.close()
