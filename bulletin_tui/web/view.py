"""What the web face reads, kept small: one streaming pass over bulletin.json (ijson) keeps the lists and sessions
whole, counts confirmed places, and keeps each subscriber only as (address, memberships, topics) under the
opaque reference their tokens carry. 50,000 people fit in a few MB instead of the whole database in memory."""

from __future__ import annotations

import sys
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
    taken: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """confirmed places per (session, date, mode): each date's places (docs/occurrences.md)"""
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    """canonical key -> the stored row cut down to email, memberships (status, token version) and topics"""
    suppressed: set[str] = field(default_factory=set)
    """the suppression list's digests (keyed HMACs of addresses)"""


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
            view.taken[(record.get("session_slug", ""), str(record.get("occurrence_id", "")),
                        str(record.get("mode", "online")))] += 1
        elif table == "suppressions":
            view.suppressed.add(key)
        elif table == "subscribers":
            memberships = {sys.intern(slug): {"status": sys.intern(str(m.get("status", ""))),
                                              "token_version": int(m.get("token_version", 0))}
                           for slug, m in (record.get("lists") or {}).items()}
            view.people[key] = {"email": str(record.get("email", key)), "lists": memberships,
                                "topics": [sys.intern(str(topic)) for topic in record.get("topics") or ()]}
    return view


class ViewTable:
    """Read-only, dict-backed stand-in for a storage collection (`get`, `row`, `keys`, iteration)."""

    def __init__(self, values: dict[str, Any], make: Any = None) -> None:
        self._values, self._make = values, make

    def get(self, key: str) -> Any:
        value = self._values.get(key)
        return value if value is None or self._make is None else self._make(key, value)

    def row(self, key: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self._values.get(key)
        return found

    def keys(self) -> list[str]:
        return list(self._values)

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def __iter__(self) -> Any:
        return iter([self.get(key) for key in self._values])

    def __len__(self) -> int:
        return len(self._values)


def _person(key: str, row: dict[str, Any]) -> Person:
    memberships = {slug: (m["status"], m["token_version"]) for slug, m in row["lists"].items()}
    return Person(key, row["email"], memberships, tuple(row["topics"]))


class ViewStore:
    """The few tables the pages and the token functions read, from a `WebView` (never written). Subscribers are
    kept as small rows (what `token_maker` reads) and become a `Person` only when one is asked for."""

    read_only = True

    def __init__(self, view: WebView, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.subscribers = ViewTable(view.people, _person)
        self.lists = ViewTable(view.lists)
        self.sessions = ViewTable(view.sessions)
        self.confirmed = view.confirmed
        self.taken = view.taken
        self.suppressed = view.suppressed

    def close(self) -> None:
        """Nothing is held open."""
