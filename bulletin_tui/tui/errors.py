"""Failures the TUI expects from services, and their one-line wording for a notification."""

from __future__ import annotations

from pydantic import ValidationError

from ..domain.errors import DomainError, describe_validation_error
from ..storage.errors import StorageError

EXPECTED_ERRORS = (DomainError, StorageError, ValidationError, OSError)


def one_line_cause(exc: BaseException) -> str:
    """The user-facing one-line cause of a failure."""
    if isinstance(exc, ValidationError):
        return describe_validation_error(exc)
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
