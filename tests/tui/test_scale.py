"""The app starts and stays usable with 50,000 subscribers (the numbers themselves are in benchmarks/bench_tui.py)."""

from __future__ import annotations

import time

from textual.widgets import DataTable, Static

from bulletin_tui.domain.subscribers import Membership, MembershipStatus, Subscriber
from bulletin_tui.tui.subscriber_index import WINDOW

from .conftest import SIZE

COUNT = 50_000
AREAS = ["Ashford", "Dover", "Medway", "Swale", "Thanet"]


def add_people(ctx, count: int) -> None:
    """50,000 clearly fake subscribers in one write (validated models, built without re-validation)."""
    now = ctx.clock.now()
    on_list = {"e-bulletin": Membership(status=MembershipStatus.SUBSCRIBED, changed_at=now)}
    people = [Subscriber.model_construct(
        email=f"person{n}@district{n % 13}.example.org", name=f"Test Person {n}", organisation="Example Council",
        role="", area=AREAS[n % 5], topics=[], lists=on_list, consent=[], created_at=now, updated_at=now)
        for n in range(count)]
    ctx.store.subscribers.put_many(people)


async def test_app_starts_and_filters_with_50000_subscribers(demo_ctx, app_for) -> None:
    add_people(demo_ctx, COUNT)
    total = len(demo_ctx.store.subscribers)
    app = app_for(demo_ctx)
    started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ready = time.perf_counter() - started
        assert app.screen.data.subscriber_total == total
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == WINDOW
        count_text = str(app.screen.query_one("#match-count", Static).render())
        assert count_text.startswith(f"{total:,} of {total:,}") and "first 300" in count_text
        await pilot.press("slash", *"person4999")
        await pilot.pause()
        assert str(app.screen.query_one("#match-count", Static).render()).startswith(f"11 of {total:,}")
        assert {str(table.get_row_at(i)[0]).split("@")[0] for i in range(table.row_count)} == {
            "person4999", *(f"person4999{d}" for d in range(10))}
    assert ready < 10  # generous: the measured figure (~0.4 s) is in the benchmark
