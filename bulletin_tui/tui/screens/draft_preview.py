"""The draft item a partner's e-mail offers, shown under the review queue before anyone decides about it."""

from __future__ import annotations

from ...services.context import AppContext
from ...services.inbox.drafts import describe, drafts_table
from ...services.inbox.records import InboxMessage


def preview_text(ctx: AppContext, message: InboxMessage | None) -> str:
    """The highlighted message's draft (title, summary, links, attachments), or what the keys do."""
    if message is None:
        return "Nothing selected."
    draft = drafts_table(ctx).get(message.key)
    if draft is None:
        return f"{message.sender or '-'}: {message.subject}\n{message.kind}: {message.note}"
    keys = "a accepts into the backlog · n into the next issue · d dismisses"
    return "\n".join([*describe(draft), keys])
