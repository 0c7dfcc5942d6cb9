"""What the inbox holds about one person (for subject access) and removing it (for erasure)."""

from __future__ import annotations

from typing import Any

from ..context import AppContext
from .drafts import drafts_table
from .matching import safe_key
from .records import bounce_scores, inbox_actions, inbox_messages


def inbox_data(ctx: AppContext, key: str) -> dict[str, Any]:
    """Messages from the person, changes made about them, and their bounce score."""
    messages = [m.model_dump(mode="json") for m in inbox_messages(ctx) if safe_key(m.sender) == key]
    actions = [a.model_dump(mode="json") for a in inbox_actions(ctx) if a.person == key]
    score = bounce_scores(ctx).get(key)
    drafts = [d.model_dump(mode="json") for d in drafts_table(ctx) if safe_key(d.contact_email) == key]
    return {"messages": messages, "changes": actions, "bounce_score": score.model_dump(mode="json") if score else None,
            "contributions": drafts}


def holds(data: dict[str, Any]) -> bool:
    return bool(data["messages"] or data["changes"] or data["bounce_score"] or data.get("contributions"))


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
    return len(scrubbed) + len(changed) + removed + erase_contributions(ctx, key)


def erase_contributions(ctx: AppContext, key: str) -> int:
    """Scrub the contact from their draft items and delete the attachments kept from their e-mails; the count.
    (Accepted items keep their text: it was written for publication.)"""
    drafts = drafts_table(ctx)
    theirs = [d for d in drafts if safe_key(d.contact_email) == key]
    for draft in theirs:
        for attachment in draft.attachments:
            if attachment.kept_as:
                (ctx.data_dir / attachment.kept_as).unlink(missing_ok=True)
    drafts.put_many([d.model_copy(update={
        "contact_name": "", "contact_email": "", "attachments": [a.model_copy(update={"kept_as": ""})
                                                                 for a in d.attachments]}) for d in theirs])
    items = [ctx.store.items.get(d.item_id) for d in theirs if d.item_id]
    ctx.store.items.put_many([i.model_copy(update={"contributed_by": "(erased) by e-mail"}) for i in items if i])
    return len(theirs)
