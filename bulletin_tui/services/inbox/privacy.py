"""What the inbox holds about one person (for subject access) and removing it (for erasure)."""

from __future__ import annotations

from typing import Any

from ..context import AppContext
from .matching import safe_key
from .records import bounce_scores, inbox_actions, inbox_messages


def inbox_data(ctx: AppContext, key: str) -> dict[str, Any]:
    """Messages from the person, changes made about them, and their bounce score."""
    messages = [m.model_dump(mode="json") for m in inbox_messages(ctx) if safe_key(m.sender) == key]
    actions = [a.model_dump(mode="json") for a in inbox_actions(ctx) if a.person == key]
    score = bounce_scores(ctx).get(key)
    return {"messages": messages, "changes": actions, "bounce_score": score.model_dump(mode="json") if score else None}


def holds(data: dict[str, Any]) -> bool:
    return bool(data["messages"] or data["changes"] or data["bounce_score"])


def erase_inbox(ctx: AppContext, key: str) -> int:
    """Scrub the person from inbox records (sender, subject, excerpt; the change log keeps no address); the count."""
    messages, actions, scores = inbox_messages(ctx), inbox_actions(ctx), bounce_scores(ctx)
    scrubbed = [m.model_copy(update={"sender": "", "subject": "(erased)", "note": "(erased)", "suggestion": ""})
                for m in messages if safe_key(m.sender) == key]
    messages.put_many(scrubbed)
    changed = [a.model_copy(update={"person": "", "detail": "(erased)", "undo": {}, "undoable": False})
               for a in actions if a.person == key]
    actions.put_many(changed)
    removed = 1 if scores.get(key) is not None else 0
    if removed:
        scores.delete(key)
    return len(scrubbed) + len(changed) + removed
