"""The log of the inbox's changes and undo: any recorded change reversed, whoever made it (the automatic pass,
a person's review, an accepted draft)."""

from __future__ import annotations

from ...domain.bounces import BounceScore
from ...domain.errors import DomainError, NotFoundError
from ..context import AppContext, one_write
from ..sessions.registrations import cancel_registration, register
from ..subscribers.people import restore_lists
from ..subscribers.suppression import suppression_reason, unsuppress
from .accept import undo_accept
from .records import InboxAction, bounce_scores, inbox_actions


def action_log(ctx: AppContext) -> list[InboxAction]:
    """Every change the inbox made, newest first."""
    return sorted(inbox_actions(ctx), key=lambda a: a.id, reverse=True)


def undo(ctx: AppContext, action_id: str) -> str:
    """Reverse one change (one write); an unsubscribe is refused: only the person can undo it."""
    entry = inbox_actions(ctx).get(action_id.strip().upper())
    if entry is None:
        raise NotFoundError(f"no inbox change {action_id} (see `bulletin-tui inbox log`)")
    with ctx.store.transaction():
        return undo_action(ctx, entry)


@one_write
def undo_action(ctx: AppContext, entry: InboxAction) -> str:
    """Reverse one recorded change; a description of what was done."""
    if not entry.undoable:
        raise DomainError(f"{entry.id}: a complaint's unsubscribe is undone only by the person (they can subscribe "
                          "again)")
    if entry.undone_at is not None:
        raise DomainError(f"{entry.id} was already undone")
    done = []
    if "score" in entry.undo:
        bounce_scores(ctx).put(BounceScore.model_validate(entry.undo["score"]))
        done.append("bounce score restored")
    if entry.undo.get("unsuppress") and suppression_reason(ctx, entry.person) is not None:
        unsuppress(ctx, entry.person)
        done.append("suppression lifted")
    if entry.action in ("decline", "cancelled by e-mail"):
        outcome = register(ctx, entry.undo["session"], entry.person, source="inbox undo",
                           occurrence=entry.undo.get("occurrence") or None)
        done.append(f"registered again ({outcome.registration.status.value})")
    if entry.action == "unsubscribe" and entry.undo.get("lists"):  # an e-mail misread as asking to leave
        restored = restore_lists(ctx, entry.person, list(entry.undo["lists"]), source="inbox undo of an unsubscribe "
                                 "e-mail", reference=entry.message[:200])
        done.append(f"subscribed again to {', '.join(restored)}" if restored else "already subscribed again")
    if entry.action == "registered":
        cancel_registration(ctx, entry.undo["session"], entry.person)
        done.append("registration withdrawn")
    if entry.action == "accepted":
        done.append(undo_accept(ctx, entry.message, entry.undo["item"]))
    inbox_actions(ctx).put(entry.model_copy(update={"undone_at": ctx.clock.now()}))
    return "; ".join(done) or "nothing to reverse"

