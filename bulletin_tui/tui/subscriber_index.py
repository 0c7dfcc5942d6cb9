"""A search index over subscribers for the TUI: filter 50,000 people per keystroke, show a window of matches."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
        rows = (row_of(raw, bool(is_suppressed and is_suppressed(raw["email"]))) for raw in raws)
        self.rows = sorted(rows, key=lambda row: row.key)
        self._last: tuple[str, list[SubscriberRow]] = ("", self.rows)

    @classmethod
    def from_context(cls, ctx: AppContext) -> SubscriberIndex:
        """Every subscriber; the suppression list is only consulted (one HMAC per person) when it is not empty."""
        blocked = suppressed_digests(ctx)
        if not blocked:
            return cls(ctx.store.subscribers.rows())
        digest = digester(ctx)
        return cls(ctx.store.subscribers.rows(), lambda email: digest(email) in blocked)

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
