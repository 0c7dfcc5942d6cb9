"""A person in the questionnaires: what subject access shows, what erasure removes (their name, address and the
words they wrote; the anonymous ratings stay, and so does the count of responses with a comment, so the report's
numbers do not change)."""

from __future__ import annotations

from typing import Any

from ...domain.text import normalise_email
from ..context import AppContext
from .imports import responses


def _held(ctx: AppContext, key: str) -> list[Any]:
    found = []
    for response in responses(ctx):
        if response.email and normalise_email(response.email) == key:
            found.append(response)
    return found


def feedback_data(ctx: AppContext, email: str) -> list[dict[str, Any]]:
    """The responses kept with this person's address (only when staff chose to keep names)."""
    return [r.model_dump(mode="json") for r in _held(ctx, normalise_email(email))]


ERASED_COMMENT = "(erased)"


def erase_feedback(ctx: AppContext, email: str) -> int:
    """Remove the person's name, address and comments from their responses (inside the caller's transaction)."""
    held = _held(ctx, normalise_email(email))
    responses(ctx).put_many(r.model_copy(update={"name": "", "email": "",
                                                 "comments": [ERASED_COMMENT] if r.comments else []}) for r in held)
    return len(held)
