"""The web face beside a writer: 500 one-click unsubscribes arrive while the terminal app (under Pilot) holds the
database and a campaign is sending. All 500 are applied, none lost, and the campaign sends to nobody after their
POST was answered. And a server SIGKILLed mid-burst: every request answered 200 is in the journal, applied once."""

from __future__ import annotations

import asyncio
import http.client
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.locations import ledger_dir
from bulletin_tui.sending.ledger import read_records
from bulletin_tui.services.context import open_context
from bulletin_tui.services.demo.loader import load_demo
from bulletin_tui.services.mailings.handle import send_bulletin
from bulletin_tui.services.subscribers.people import add_subscriber
from bulletin_tui.services.subscribers.tokens import unsubscribe_token
from bulletin_tui.services.web.journal_apply import applied_entries, apply_pending
from bulletin_tui.storage.journal import all_entries
from bulletin_tui.tui.app import make_app

from ..sending.helpers import smtp_to
from ..sending.smtp_server import running_server as smtp_server
from .server import post, running_server

pytestmark = pytest.mark.slow
BURST = 500


def burst(url: str, tokens: dict[str, str]) -> dict[str, float]:
    """POST every token from 25 threads; the moment each 200 arrived, by address."""

    def one(item: tuple[str, str]) -> tuple[str, float, int]:
        status, _ = post(f"{url}/u/{item[1]}", b"List-Unsubscribe=One-Click")
        return item[0], time.time(), status

    with ThreadPoolExecutor(25) as pool:
        results = list(pool.map(one, tokens.items()))
    assert all(status == 200 for _, _, status in results)
    return {email: at for email, at, _ in results}


def attempts(data_dir: Path) -> dict[str, float]:
    """When each recipient's message was attempted (the ledger's `attempting`), as a Unix time."""
    found: dict[str, float] = {}
    for path in ledger_dir(data_dir).glob("*.jsonl"):
        for record in read_records(path):
            if record.get("state") == "attempting":
                found[record["key"]] = datetime.fromisoformat(record["at"]).timestamp()
    return found


async def test_500_unsubscribes_while_the_app_sends(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    ctx = open_context(settings, create=True)
    load_demo(ctx)
    for n in range(BURST):
        add_subscriber(ctx, f"burst{n:03d}@example.org", list_name="e-bulletin", source="test")
    tokens = {f"burst{n:03d}@example.org": unsubscribe_token(ctx, f"burst{n:03d}@example.org", "e-bulletin")
              for n in range(BURST)}
    issue = f"{ctx.clock.now():%Y-%m}"
    async with smtp_server() as smtp:
        smtp.script.end_delay = 0.01
        with running_server(settings.data_dir, tmp_path / "serve.log") as web:
            app = make_app(ctx, offer_demo=False)
            async with app.run_test(size=(120, 36)) as pilot:
                sending = asyncio.create_task(send_bulletin(
                    ctx, issue, "e-bulletin", force=True, rate_per_minute=0, transport=smtp_to(smtp.port)))
                await asyncio.sleep(0.5)
                answered = await asyncio.to_thread(burst, web.url, tokens)
                result = await sending
                for _ in range(40):  # the app applies the journal every 3 s
                    await pilot.pause(0.25)
                    if len(applied_entries(ctx)) >= BURST:
                        break
                assert len(applied_entries(ctx)) == BURST
                for email in tokens:
                    person = ctx.store.subscribers.get(email)
                    assert person is not None and not person.is_subscribed("e-bulletin")
    attempted = attempts(settings.data_dir)
    late = [email for email, at in answered.items() if email in attempted and attempted[email] >= at]
    assert late == []
    assert result.counts.get("skipped", 0) > 0  # the burst overlapped the send: some were skipped
    ctx.close()


def test_sigkill_during_a_burst_loses_nothing_answered(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    with open_context(settings, create=True) as ctx:
        from bulletin_tui.services.subscribers.lists import add_list

        add_list(ctx, "e-bulletin", "E-bulletin")
        for n in range(300):
            add_subscriber(ctx, f"k{n:03d}@example.org", list_name="e-bulletin", source="test")
        tokens = {f"k{n:03d}@example.org": unsubscribe_token(ctx, f"k{n:03d}@example.org", "e-bulletin")
                  for n in range(300)}
    with running_server(settings.data_dir, tmp_path / "serve.log") as web:
        answered: list[str] = []

        def one(item: tuple[str, str]) -> None:
            try:
                status, _ = post(f"{web.url}/u/{item[1]}", b"List-Unsubscribe=One-Click")
            except (OSError, http.client.HTTPException):  # killed mid-answer: not answered
                return
            if status == 200:
                answered.append(item[1])

        with ThreadPoolExecutor(20) as pool:
            futures = [pool.submit(one, item) for item in tokens.items()]
            deadline = time.monotonic() + 30
            while len(answered) < 30 and time.monotonic() < deadline:  # kill once the burst is well under way
                time.sleep(0.005)
            web.process.send_signal(signal.SIGKILL)
            for future in futures:
                future.result()
    assert 0 < len(answered) < len(tokens), "the kill landed mid-burst"
    journalled = [e["token"] for e in all_entries(settings.data_dir) if e["kind"] == "unsubscribe"]
    assert set(answered) <= set(journalled)
    with open_context(settings) as ctx:
        apply_pending(ctx)
        assert len(applied_entries(ctx)) == len(journalled)
        apply_pending(ctx)  # again: nothing twice
        assert len(applied_entries(ctx)) == len(journalled)
        withdrawn = sum(1 for p in ctx.store.subscribers for c in p.consent if c.action.value == "withdrawn")
        assert withdrawn == len(set(journalled))
