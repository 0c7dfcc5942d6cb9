"""Unsubscribes answered by the web face but not yet applied to the database: the send engine checks them
right before each message, so a one-click unsubscribe is honoured by the very next message of a running campaign."""

from __future__ import annotations

from collections.abc import Callable

from ...storage.journal import JournalTail, journal_path
from ..context import AppContext

UNSUBSCRIBE = "unsubscribe"


class PendingUnsubscribes:
    """The tokens of every journalled unsubscribe (applied or not); refreshed from the journal's tail on each ask.

    A token names one membership at one version: once a person joins again their token changes, so an old
    request never blocks a new membership."""

    def __init__(self, ctx: AppContext) -> None:
        self.tail = JournalTail(journal_path(ctx.data_dir))
        self.tokens: set[str] = set()

    def __contains__(self, token: str) -> bool:
        for entry in self.tail.refresh():  # entries are checked by shape when read
            if entry["kind"] == UNSUBSCRIBE:
                self.tokens.add(entry["token"])
            elif entry["kind"] == "preferences":
                self.tokens.update(entry["leave_tokens"])
        return token in self.tokens


def journal_unsubscribed(ctx: AppContext) -> Callable[[str], bool]:
    """token -> True when the web face has accepted an unsubscribe for it."""
    pending = PendingUnsubscribes(ctx)
    return pending.__contains__
