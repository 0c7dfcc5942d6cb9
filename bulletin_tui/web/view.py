"""What the web face reads, kept small: one streaming pass over bulletin.json (ijson) keeps the lists and sessions
whole, counts confirmed places per (session, date, mode), and keeps each subscriber only as (address,
memberships, topics). 50,000 people fit in a few MB instead of the whole database in memory. `ViewStore` fits
`storage.readmodel.ReadModel`, so the token, suppression and signing services read it as they read the full store;
places left are counted by `domain.occurrences` from the counts."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import ijson
from ijson.common import ObjectBuilder

from ..domain.clock import Clock, SystemClock
from ..domain.sessions import InfoSession
from ..domain.subscribers import DistributionList
from ..storage.errors import ReadOnlyError

Row = TypeVar("Row")
Item = TypeVar("Item")
Model = TypeVar("Model")


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


class ViewTable(Generic[Row, Item]):
    """Read-only, dict-backed stand-in for a storage collection (`get`, `row`, `keys`, iteration): `row` is what is
    kept, `get` what a page is given (`make(key, row)`)."""

    def __init__(self, values: dict[str, Row], make: Callable[[str, Row], Item]) -> None:
        self._values, self._make = values, make

    def get(self, key: str) -> Item | None:
        value = self._values.get(key)
        return None if value is None else self._make(key, value)

    def row(self, key: str) -> Row | None:
        return self._values.get(key)

    def keys(self) -> list[str]:
        return list(self._values)

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def __iter__(self) -> Iterator[Item]:
        return iter([self._make(key, value) for key, value in self._values.items()])

    def __len__(self) -> int:
        return len(self._values)


def _person(key: str, row: dict[str, Any]) -> Person:
    memberships = {slug: (m["status"], m["token_version"]) for slug, m in row["lists"].items()}
    return Person(key, row["email"], memberships, tuple(row["topics"]))


def _as_kept(key: str, value: Model) -> Model:
    return value


class Unkeyed:
    """The view never makes the installation secret (it is read-only; `read_only` says so before this is asked)."""

    def ensure_key(self) -> None:
        raise ReadOnlyError("the web face reads the database read-only and cannot make the installation secret")


class ViewStore:
    """The few tables the pages and the token functions read, from a `WebView` (never written). Subscribers are
    kept as small rows (what `token_maker` reads) and become a `Person` only when one is asked for. It fits
    `storage.readmodel.ReadModel`, so the keyed services take it as they take the full store."""

    read_only = True
    db = Unkeyed()

    def __init__(self, view: WebView, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.subscribers: ViewTable[dict[str, Any], Person] = ViewTable(view.people, _person)
        self.lists: ViewTable[DistributionList, DistributionList] = ViewTable(view.lists, _as_kept)
        self.sessions: ViewTable[InfoSession, InfoSession] = ViewTable(view.sessions, _as_kept)
        self.taken = view.taken
        self.suppressed = view.suppressed

    def close(self) -> None:
        """Nothing is held open."""


@dataclass(frozen=True)
class WebContext:
    """What the pages read: the view and the clock. It fits `storage.readmodel.ReadContext` (the keyed services)."""

    store: ViewStore
    clock: Clock = field(default_factory=SystemClock)

    @property
    def data_dir(self) -> Path:
        return self.store.data_dir
