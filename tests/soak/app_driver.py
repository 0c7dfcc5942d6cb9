"""One terminal app of the soak (test_many_hands.py), in a process of its own: the real app (`make_app`) under
Textual's Pilot on the shared data folder, editing records of its own through its screens, round after round:

1. the subscribers screen: filter to one of its people, `e`, a new role, ctrl+s;
2. the subscribers screen: `a`, a new person on the e-bulletin list, ctrl+s;
3. the bulletin screen: the shared issue, `a`, a new item, ctrl+s;
4. the shared counter read and written back in one write transaction of the app's context.

    python -m tests.soak.app_driver DATA_DIR NUMBER SECONDS LOG PEOPLE_JSON ISSUE

Each change is logged (one JSON line, flushed; "s": seconds from the step's first key to the change saved) only
once the app has saved it; a notification of a failure is logged as {"error": ...}. A bug raised inside the app
ends the run with a traceback (the app is built with `contain_errors` off, as in the other TUI tests)."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from textual.widgets import DataTable, Input, TextArea

from bulletin_tui.config import Settings
from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.tui.app import BulletinApp, make_app

COUNTER_TABLE = "soak_counter"
SIZE = (120, 36)
STEP_TIMEOUT_S = 60.0
"""A step waits this long for the app (under load: three apps, a send, imports and a server on two cores)."""


def read_counter(ctx: AppContext) -> int:
    row = ctx.store.db.table(COUNTER_TABLE)._read_table().get("count")
    return int(row["n"]) if row else 0


def bump_counter(ctx: AppContext) -> int:
    """Read the shared counter and write it back plus one, in one transaction: a lost update would show."""
    with ctx.store.transaction():
        seen = read_counter(ctx)
        ctx.store.db.table(COUNTER_TABLE)._update_table(lambda rows: rows.update({"count": {"n": seen + 1}}))
    return seen + 1


class Driver:
    def __init__(self, app: BulletinApp, pilot: Any, number: int, log: IO[str], issue: str) -> None:
        self.app, self.pilot, self.number, self.log, self.issue = app, pilot, number, log, issue
        self.seen_notes: set[str] = set()

    @property
    def ctx(self) -> AppContext:
        return self.app.ctx

    def record(self, **change: Any) -> None:
        self.log.write(json.dumps(change) + "\n")
        self.log.flush()

    async def until(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"app {self.number}: {what} did not happen within {STEP_TIMEOUT_S:.0f} s")
            await self.pilot.pause(0.01)

    def failures(self) -> None:
        """Log every new warning or error notification (a refused save, a lock timeout, a form not accepted)."""
        for note in list(self.app._notifications):
            if note.identity not in self.seen_notes:
                self.seen_notes.add(note.identity)
                if note.severity in ("warning", "error"):
                    self.record(error=f"{note.title}: {note.message}")

    async def show(self, key: str, screen_name: str) -> Any:
        await self.pilot.press(key)
        await self.until(lambda: type(self.app.screen).__name__ == screen_name, f"the {screen_name}")
        return self.app.screen

    async def edit_person(self, email: str, role: str) -> None:
        began = time.monotonic()
        screen = await self.show("2", "SubscribersScreen")
        screen.query_one("#filter", Input).value = email
        await self.until(lambda: any(row.email == email for row in screen.shown), f"{email} listed")
        table = screen.query_one(DataTable)
        table.focus()
        table.move_cursor(row=next(n for n, row in enumerate(screen.shown) if row.email == email))
        await self.pilot.press("e")
        await self.until(lambda: type(self.app.screen).__name__ == "SubscriberForm", "the edit form")
        self.app.screen.query_one("#f-role", Input).value = role
        await self.pilot.press("ctrl+s")
        await self.until(lambda: type(self.app.screen).__name__ != "SubscriberForm", "the edit form closed")
        self.failures()
        person = self.ctx.store.subscribers.get(email)
        if person is not None and person.role == role:
            self.record(edit=email, role=role, s=round(time.monotonic() - began, 3))

    async def add_person(self, email: str) -> None:
        began = time.monotonic()
        screen = await self.show("2", "SubscribersScreen")
        screen.query_one(DataTable).focus()
        await self.pilot.press("a")
        await self.until(lambda: type(self.app.screen).__name__ == "SubscriberForm", "the add form")
        form = self.app.screen
        form.query_one("#f-email", Input).value = email
        form.query_one("#f-name", Input).value = f"Soak App {self.number}"
        form.query_one("#l-e-bulletin").value = True
        await self.pilot.press("ctrl+s")
        await self.until(lambda: type(self.app.screen).__name__ != "SubscriberForm", "the add form closed")
        self.failures()
        if email in self.ctx.store.subscribers:
            self.record(add=email, s=round(time.monotonic() - began, 3))

    async def add_item(self, title: str) -> None:
        began = time.monotonic()
        screen = await self.show("3", "BulletinScreen")
        await self.until(lambda: self.issue in screen.issue_slugs, f"the issue {self.issue} listed")
        issues = screen.query_one("#issue-table", DataTable)
        issues.focus()
        issues.move_cursor(row=screen.issue_slugs.index(self.issue))
        await self.until(lambda: screen.current_slug() == self.issue, f"the issue {self.issue} selected")
        await self.pilot.press("a")
        await self.until(lambda: type(self.app.screen).__name__ == "ItemForm", "the item form")
        form = self.app.screen
        form.query_one("#f-title", Input).value = title
        form.query_one("#summary-editor", TextArea).text = f"Added by soak app {self.number}."
        await self.pilot.press("ctrl+s")
        await self.until(lambda: type(self.app.screen).__name__ != "ItemForm", "the item form closed")
        self.failures()
        if any(item.title == title for item in self.ctx.store.items.filter(lambda item: item.title == title)):
            self.record(item=title, s=round(time.monotonic() - began, 3))

    async def run(self, seconds: float, people: list[str]) -> int:
        rounds, ends = 0, time.monotonic() + seconds
        while time.monotonic() < ends:
            n = self.number
            await self.edit_person(people[rounds % len(people)], f"soak app {n} round {rounds}")
            await self.add_person(f"soak-app{n}-{rounds:04d}@example.org")
            await self.add_item(f"Soak app {n} item {rounds}")
            began = time.monotonic()
            self.record(counter=bump_counter(self.ctx), s=round(time.monotonic() - began, 3))
            rounds += 1
        return rounds


async def main(data_dir: Path, number: int, seconds: float, log_path: Path, people: list[str], issue: str) -> None:
    ctx = open_context(Settings(data_dir=data_dir), role=f"soak app {number}")
    app = make_app(ctx, offer_demo=False)
    with log_path.open("a") as log:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            rounds = await Driver(app, pilot, number, log, issue).run(seconds, people)
        log.write(json.dumps({"rounds": rounds}) + "\n")
    ctx.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), Path(sys.argv[4]),
                     json.loads(sys.argv[5]), sys.argv[6]))
