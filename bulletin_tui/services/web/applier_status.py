"""The journal applier's last outcome (`inbound/applier-status.json`), as `serve`'s applier writes it and
`bulletin-tui status` and the terminal app read it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ...storage.journal import JOURNAL_DIR

STATUS_NAME = "applier-status.json"


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
