"""The data folder's logs as a privacy place: `logs/tui-errors.log` (tracebacks, which may quote an address) and
the worker's rotated logs. Lines are dated by the timestamp they (or the entry they belong to) start with."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ...storage.atomic import atomic_write_bytes
from ..context import AppContext

LOGS_FOLDER = "logs"
ACTIVE_WORKER_LOG = "worker.log"
"""Held open by a running worker and rotated by size; it holds counts and ids only, so it is never rewritten."""
_STAMP = re.compile(rb"^(?:--- )?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)")


@dataclass(frozen=True)
class LogLine:
    text: bytes
    at: datetime | None
    """The timestamp of the line, or of the entry it continues (None before the first timestamp)."""


def log_files(ctx: AppContext) -> list[Path]:
    folder = ctx.data_dir / LOGS_FOLDER
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def _stamp(line: bytes) -> datetime | None:
    found = _STAMP.match(line)
    if found is None:
        return None
    try:
        moment = datetime.fromisoformat(found.group(1).decode().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_lines(path: Path) -> list[LogLine]:
    lines, current = [], None
    for text in path.read_bytes().splitlines(keepends=True):
        current = _stamp(text) or current
        lines.append(LogLine(text, current))
    return lines


def drop_lines(path: Path, doomed: Callable[[LogLine], bool]) -> int:
    """Rewrite the log without the lines `doomed` picks (atomically); how many went. The active worker log is left."""
    if path.name == ACTIVE_WORKER_LOG:
        return 0
    lines = read_lines(path)
    kept = [line.text for line in lines if not doomed(line)]
    if len(kept) != len(lines):
        atomic_write_bytes(path, b"".join(kept))
    return len(lines) - len(kept)
