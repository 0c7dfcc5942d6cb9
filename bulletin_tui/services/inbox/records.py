"""What the inbox pass records: each message handled (exactly once), each automatic change (undoable), scores."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from ...domain.base import Model
from ...domain.bounces import BounceScore
from ...storage.collection import Collection
from ..context import AppContext


class MessageState(StrEnum):
    APPLIED = "applied"  # its effects are recorded; it belongs in the processed folder
    COUNTED = "counted"  # auto-replies and delay warnings: nothing to do
    REVIEW = "review"  # a person decides
    DISMISSED = "dismissed"  # reviewed: nothing to do
    RESOLVED = "resolved"  # reviewed: acted on


class InboxMessage(Model):
    """One message from the team mailbox, recorded in the same write as its effects."""

    key: str = Field(description="Message-ID, or a hash of the message when it has none")
    mailbox: str = Field(default="", description="folder and UIDVALIDITY:UID where it was read")
    received_at: datetime
    sender: str = ""
    subject: str = ""
    kind: str
    reason: str = ""
    state: MessageState
    actions: list[str] = Field(default_factory=list)
    suggestion: str = Field(default="", description="the session a registration request seems to be about")
    note: str = ""


class InboxAction(Model):
    """One automatic (or review) change, with what is needed to undo it."""

    id: str
    at: datetime
    message: str
    action: str
    person: str = Field(default="", description="canonical address (removed on erasure)")
    detail: str = ""
    undo: dict[str, Any] = Field(default_factory=dict)
    undone_at: datetime | None = None
    undoable: bool = True


def inbox_messages(ctx: AppContext) -> Collection[InboxMessage]:
    return ctx.store.collection("inbox_messages", InboxMessage, lambda m: m.key)


def kind_counts(ctx: AppContext) -> Counter[str]:
    """How many messages of each kind were ever fetched (a message without a kind counts under '')."""
    return Counter(row.get("kind", "") for row in inbox_messages(ctx).rows())


def inbox_actions(ctx: AppContext) -> Collection[InboxAction]:
    return ctx.store.collection("inbox_actions", InboxAction, lambda a: a.id)


def bounce_scores(ctx: AppContext) -> Collection[BounceScore]:
    return ctx.store.collection("bounce_scores", BounceScore, lambda s: s.key)


def next_action_id(ctx: AppContext) -> str:
    """A short, increasing id for `inbox undo ID`."""
    return f"A{len(inbox_actions(ctx)) + 1:05d}"


def record(ctx: AppContext, message_key: str, action: str, person: str = "", detail: str = "",
           undo: dict[str, Any] | None = None, undoable: bool = True) -> str:
    """Record one change (automatic or a person's) with what undoes it; its id."""
    entry = InboxAction(id=next_action_id(ctx), at=ctx.clock.now(), message=message_key, action=action,
                        person=person, detail=detail[:300], undo=undo or {}, undoable=undoable)
    inbox_actions(ctx).put(entry)
    return entry.id
