"""What the inbox holds about one person (for subject access) and removing it (for erasure), table by table: the
messages they sent, the changes made about them, their bounce score and the contributions they offered."""

from __future__ import annotations

from ..context import AppContext
from .drafts import ContributionDraft, drafts_table
from .matching import safe_key
from .records import InboxAction, InboxMessage, bounce_scores, inbox_actions, inbox_messages


def messages_from(ctx: AppContext, key: str) -> list[InboxMessage]:
    return [m for m in inbox_messages(ctx) if m.sender and safe_key(m.sender) == key]


def changes_about(ctx: AppContext, key: str) -> list[InboxAction]:
    return [a for a in inbox_actions(ctx) if a.person == key]


def contributions_from(ctx: AppContext, key: str) -> list[ContributionDraft]:
    return [d for d in drafts_table(ctx) if d.contact_email and safe_key(d.contact_email) == key]


def scrubbed_message(message: InboxMessage, marker: str = "(erased)") -> InboxMessage:
    """The record without its sender, subject or excerpt (its key stays: each message is applied once)."""
    return message.model_copy(update={"sender": "", "subject": marker, "note": marker, "suggestion": ""})


def scrubbed_change(change: InboxAction, marker: str = "(erased)") -> InboxAction:
    """The change without the person or what would undo it (it can no longer be undone)."""
    return change.model_copy(update={"person": "", "detail": marker, "undo": {}, "undoable": False})


def erase_messages(ctx: AppContext, key: str) -> int:
    """Scrub the person's messages (sender, subject, excerpt); the count."""
    found = messages_from(ctx, key)
    inbox_messages(ctx).put_many(scrubbed_message(m) for m in found)
    return len(found)


def erase_changes(ctx: AppContext, key: str) -> int:
    """Scrub the changes made about the person (the change log keeps no address); the count."""
    found = changes_about(ctx, key)
    inbox_actions(ctx).put_many(scrubbed_change(a) for a in found)
    return len(found)


def erase_score(ctx: AppContext, key: str) -> int:
    scores = bounce_scores(ctx)
    if scores.get(key) is None:
        return 0
    scores.delete(key)
    return 1


def erase_contributions(ctx: AppContext, key: str) -> int:
    """Scrub the contact from their draft items and delete the attachments kept from their e-mails; the count.
    (Accepted items keep their text: it was written for publication.)"""
    return scrub_contributions(ctx, contributions_from(ctx, key), "(erased) by e-mail")


def scrub_contributions(ctx: AppContext, drafts: list[ContributionDraft], credit: str) -> int:
    """These drafts without their contact and kept attachments; the items they became credit `credit`."""
    for draft in drafts:
        for attachment in draft.attachments:
            if attachment.kept_as:
                (ctx.data_dir / attachment.kept_as).unlink(missing_ok=True)
    drafts_table(ctx).put_many([d.model_copy(update={
        "contact_name": "", "contact_email": "", "attachments": [a.model_copy(update={"kept_as": ""})
                                                                 for a in d.attachments]}) for d in drafts])
    items = [ctx.store.items.get(d.item_id) for d in drafts if d.item_id]
    ctx.store.items.put_many([i.model_copy(update={"contributed_by": credit}) for i in items if i])
    return len(drafts)
