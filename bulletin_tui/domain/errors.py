"""Errors that name the problem, and a one-line rendering of pydantic validation errors."""

from __future__ import annotations

from pydantic import ValidationError


class DomainError(ValueError):
    """A rule of the domain was broken; the message is one line for the user."""


class NotFoundError(DomainError):
    """A named record (issue, session, subscriber, list) does not exist."""


def describe_validation_error(exc: ValidationError, prefix: str = "") -> str:
    """Render a pydantic error as `field: reason; field: reason` on one line."""
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{prefix}{field}: {message}" if field else f"{prefix}{message}")
    return "; ".join(parts)
