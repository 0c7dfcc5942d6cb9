"""What the web face reads, kept small: one streaming pass over bulletin.json (ijson) keeps the lists and sessions
whole, counts confirmed places, and keeps each subscriber only as (address, memberships, topics) under the
opaque reference their tokens carry. 50,000 people fit in a few MB instead of the whole database in memory."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ijson
from ijson.common import ObjectBuilder

from ..domain.sessions import InfoSession
from ..domain.subscribers import DistributionList

WHOLE = ("lists", "sessions", "_meta")


@dataclass(frozen=True)
class Person:
    """Just what the preference page needs."""

    key: str
    email: str
    lists: dict[str, tuple[str, int]]  # slug -> (status, token version)
    topics: tuple[str, ...]

    def is_subscribed(self, slug: str) -> bool:
        return self.lists.get(slug, ("", 0))[0] == "subscribed"


@dataclass
class WebView:
    lists: dict[str, DistributionList] = field(default_factory=dict)
    sessions: dict[str, InfoSession] = field(default_factory=dict)
    confirmed: Counter[str] = field(default_factory=Counter)
    people: dict[str, Person] = field(default_factory=dict)  # canonical key -> person


def _records(path: Path) -> Any:
    """(table, key, record) for every record, built one at a time from the parser's events."""
    with open(path, "rb") as handle:
        events = ijson.parse(handle, use_float=True)
        for prefix, event, value in events:
            if event != "map_key" or "." in prefix or not prefix:
                continue
            table, key = prefix, value
            builder, depth = ObjectBuilder(), 0
            for _inner_prefix, inner_event, inner_value in events:
                builder.event(inner_event, inner_value)
                depth += inner_event in ("start_map", "start_array")
                depth -= inner_event in ("end_map", "end_array")
                if depth == 0:
                    break
            yield table, key, builder.value


def load_view(path: Path) -> WebView:
    view = WebView()
    for table, key, record in _records(path):
        if table == "lists":
            view.lists[key] = DistributionList.model_validate(record)
        elif table == "sessions":
            view.sessions[key] = InfoSession.model_validate(record)
        elif table == "registrations" and record.get("status") == "confirmed":
            view.confirmed[record.get("session_slug", "")] += 1
        elif table == "subscribers":
            memberships = {slug: (str(m.get("status", "")), int(m.get("token_version", 0)))
                           for slug, m in (record.get("lists") or {}).items()}
            view.people[key] = Person(key, str(record.get("email", key)), memberships,
                                      tuple(record.get("topics") or ()))
    return view


class ViewTable:
    """Read-only, dict-backed stand-in for a storage collection (`get`, `row`, `keys`, iteration)."""

    def __init__(self, values: dict[str, Any], rows: dict[str, dict[str, Any]] | None = None) -> None:
        self._values, self._rows = values, rows or {}

    def get(self, key: str) -> Any:
        return self._values.get(key)

    def row(self, key: str) -> dict[str, Any] | None:
        return self._rows.get(key)

    def keys(self) -> list[str]:
        return list(self._rows or self._values)

    def __contains__(self, key: str) -> bool:
        return key in self._values or key in self._rows

    def __iter__(self) -> Any:
        return iter(list(self._values.values()))

    def __len__(self) -> int:
        return len(self._rows or self._values)


class ViewStore:
    """The few tables the pages and the token functions read, from a `WebView` (never written)."""

    read_only = True

    def __init__(self, view: WebView, data_dir: Path) -> None:
        self.data_dir = data_dir
        rows = {key: {"email": p.email, "topics": list(p.topics),
                      "lists": {slug: {"status": status, "token_version": version}
                                for slug, (status, version) in p.lists.items()}}
                for key, p in view.people.items()}
        self.subscribers = ViewTable(view.people, rows)
        self.lists = ViewTable(view.lists)
        self.sessions = ViewTable(view.sessions)
        self.confirmed = view.confirmed

    def close(self) -> None:
        """Nothing is held open."""
