"""A search index over subscribers for the TUI: filter 50,000 people per keystroke, show a window of matches."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from ..services.context import AppContext
from ..services.subscribers.suppression import digester, suppressed_digests

WINDOW = 300


@dataclass(frozen=True, slots=True)
class SubscriberRow:
    key: str
    email: str
    name: str
    organisation: str
    lists: str
    haystack: str


def row_of(raw: dict[str, Any], suppressed: bool = False) -> SubscriberRow:
    """One table row from a stored subscriber: subscribed lists by slug, left ones in brackets, suppression first."""
    lists = raw.get("lists", {})
    shown = [slug if m.get("status") == "subscribed" else f"({slug})" for slug, m in sorted(lists.items())]
    if suppressed:
        shown.insert(0, "SUPPRESSED")
    email, name, org = raw["email"], raw.get("name", ""), raw.get("organisation", "")
    haystack = " ".join((email, name, org, raw.get("area", ""), raw.get("role", ""), *shown)).casefold()
    return SubscriberRow(email.casefold(), email, name, org, " ".join(shown), haystack)


class SubscriberIndex:
    """All subscribers as light rows sorted by address; `search` returns (match count, first WINDOW matches)."""

    def __init__(self, raws: Iterable[dict[str, Any]], is_suppressed: Callable[[str], bool] | None = None) -> None:
        self.source = raws if isinstance(raws, list) else list(raws)
        """The stored rows this index was built from (to tell whether a reload changed anything)."""
        self.blocked: Collection[str] = frozenset()
        rows = (row_of(raw, bool(is_suppressed and is_suppressed(raw["email"]))) for raw in self.source)
        self.rows = sorted(rows, key=lambda row: row.key)
        self._last: tuple[str, list[SubscriberRow]] = ("", self.rows)

    @classmethod
    def from_context(cls, ctx: AppContext, previous: SubscriberIndex | None = None) -> SubscriberIndex:
        """Every subscriber; the suppression list is only consulted (one HMAC per person) when it is not empty.

        `previous` is kept when the stored rows and the suppression list are what it was built from: a save by
        another process that changed no subscriber costs a comparison (~0.1 s at 50,000), not a rebuild."""
        raws, blocked = list(ctx.store.subscribers.rows()), suppressed_digests(ctx)
        if previous is not None and previous.blocked == blocked and previous.source == raws:
            previous.source = raws  # the rows just read: the ones read before can be freed
            return previous
        if not blocked:
            index = cls(raws)
        else:
            digest = digester(ctx)
            index = cls(raws, lambda email: digest(email) in blocked)
        index.blocked = blocked
        return index

    def __len__(self) -> int:
        return len(self.rows)

    def search(self, query: str, limit: int = WINDOW) -> tuple[int, list[SubscriberRow]]:
        """Rows containing every word of the query (case-insensitive), counted in full, returned up to `limit`."""
        wanted = " ".join(query.casefold().split())
        if not wanted:
            return len(self.rows), self.rows[:limit]
        terms = wanted.split()
        previous, candidates = self._last
        if not (previous and wanted.startswith(previous)):  # typing on narrows the last matches, else start over
            candidates = self.rows
        if len(terms) == 1:
            term = terms[0]
            matches = [row for row in candidates if term in row.haystack]
        else:
            matches = [row for row in candidates if all(t in row.haystack for t in terms)]
        self._last = (wanted, matches)
        return len(matches), matches[:limit]
