"""Failures the TUI expects from services, and their one-line wording for a notification."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import ValidationError

from ..domain.errors import DomainError, describe_validation_error
from ..storage.errors import StorageError
from ..storage.repositories import Store

EXPECTED_ERRORS = (DomainError, StorageError, ValidationError, OSError)
T = TypeVar("T")


class Notifier(Protocol):
    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None) -> None: ...


def attempt_call(owner: Notifier, store: Store, action: str, call: Callable[[], T], *,
                 writes: bool = True) -> T | None:
    """Run one service call; a refusal (read-only) or an expected failure becomes a notification on `owner`
    (never a crash). None when it did not run or failed.

    A writing call is one write transaction: it starts from the newest saved state (another app, a command, the
    web face or the worker may have saved a moment ago) and nobody else saves in between its reads and writes."""
    if writes and store.read_only:
        why = store.db.read_only_reason or "this data folder was opened read-only"
        owner.notify(f"Read-only: {why}.", title=f"{action} not possible", severity="warning")
        return None
    try:
        if not writes:
            return call()
        with store.transaction():
            return call()
    except EXPECTED_ERRORS as exc:
        owner.notify(one_line_cause(exc), title=f"{action} failed", severity="error", timeout=10)
        return None


def one_line_cause(exc: BaseException) -> str:
    """The user-facing one-line cause of a failure."""
    if isinstance(exc, ValidationError):
        return describe_validation_error(exc)
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def record_unexpected(data_dir: Path, where: str, error: BaseException) -> Path:
    """Append the traceback (no local variables) to `logs/tui-errors.log` in the data dir (0600); its path."""
    log = data_dir / "logs" / "tui-errors.log"
    log.parent.mkdir(mode=0o700, exist_ok=True)
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    entry = f"--- {datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ} {where}\n{''.join(lines)}"
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, entry.encode("utf-8", "replace"))
    finally:
        os.close(fd)
    return log
