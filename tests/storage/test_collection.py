"""Collections store exactly what the models dump, sharing equal parts between rows to save memory."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson

from bulletin_tui.domain.subscribers import Membership, MembershipStatus, Subscriber
from bulletin_tui.storage.collection import _canonical
from bulletin_tui.storage.repositories import Store

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def test_rows_of_one_write_share_equal_parts_and_read_back_unchanged(tmp_path: Path) -> None:
    store = Store.open(tmp_path, create=True)
    member = {"e-bulletin": Membership(status=MembershipStatus.SUBSCRIBED, changed_at=NOW)}
    people = [Subscriber(email=f"p{n}@example.org", name=f"Person {n}", lists=member, created_at=NOW,
                         updated_at=NOW) for n in range(3)]
    store.subscribers.put_many(people)
    rows = [store.subscribers.row(p.key) for p in people]
    assert [r for r in rows] == [p.model_dump(mode="json") for p in people]
    assert rows[0]["lists"] is rows[1]["lists"] is rows[2]["lists"]
    assert rows[0]["created_at"] is rows[2]["updated_at"]
    assert rows[0]["name"] is not rows[1]["name"]
    store.subscribers.put(people[0].model_copy(update={"name": "Renamed"}))
    assert store.subscribers.get("p1@example.org") == people[1], "replacing one row leaves the others alone"
    store.close()
    reopened = Store.open(tmp_path)
    assert reopened.subscribers.get("p0@example.org").name == "Renamed"  # type: ignore[union-attr]
    assert reopened.subscribers.get("p2@example.org") == people[2]
    reopened.close()


def test_canonical_parts_never_merge_values_that_only_compare_equal() -> None:
    shared: dict[object, object] = {}
    one, true, zero, negative_zero = ({"v": 1}, {"v": True}, {"v": 0.0}, {"v": -0.0})
    parts = [_canonical(value, shared) for value in (one, true, zero, negative_zero, {"v": 1}, [1], [True])]
    assert orjson.dumps(parts) == b'[{"v":1},{"v":true},{"v":0.0},{"v":-0.0},{"v":1},[1],[true]]'
    assert parts[0] is parts[4] and parts[0] is not parts[1] and parts[2] is not parts[3]
    assert parts[5] is not parts[6]
