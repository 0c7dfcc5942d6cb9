"""A running send is owned by one process (#24): while another process holds a campaign's run lock and appends to
its ledger, the send screen says who sends it since when, shows its progress from the ledger each second, and
will not start, pause or resume it; starting it anyway is refused in one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Select

from bulletin_tui.services.mailings.runs import ledger_path
from bulletin_tui.services.mailings.send import campaign_id_for
from bulletin_tui.tui.screens.confirm import ConfirmModal
from bulletin_tui.tui.screens.send import SendScreen
from bulletin_tui.tui.widgets.run_elsewhere import RunElsewhere
from tests.conftest import DEMO_ISSUE

from .conftest import SIZE, notifications
from .other_hands import ROOT, wait_for

LIST = "dhr-webinars"
PEOPLE = 10
SENDER = r"""
import sys
import orjson
from pathlib import Path
from bulletin_tui.sending.runlock import RunLock

ledger, people = Path(sys.argv[1]), int(sys.argv[2])
lock = RunLock.take(ledger, "a test campaign")
keys = [f"person{n}@example.org" for n in range(people)]
with ledger.open("ab") as out:
    out.write(orjson.dumps({"at": "2026-11-22T10:00:00Z", "event": "campaign", "total": people}) + b"\n")
    out.write(b"".join(orjson.dumps({"at": "2026-11-22T10:00:00Z", "key": k, "email": k, "state": "queued"}) + b"\n"
                       for k in keys))
    out.flush()
    print("holding", flush=True)
    for key, state in zip(keys, (line.strip() for line in sys.stdin)):  # one outcome per line the test writes
        out.write(orjson.dumps({"at": "2026-11-22T10:00:01Z", "key": key, "state": state}) + b"\n")
        out.flush()
        print(state, flush=True)
"""


def start_sender(path: Path) -> subprocess.Popen[str]:
    """Another process sending the campaign of the ledger `path`: holds its run lock, writes one outcome per line
    given on its stdin."""
    process = subprocess.Popen([sys.executable, "-c", SENDER, str(path), str(PEOPLE)], cwd=ROOT, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline().strip() == "holding"
    return process


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()


@pytest.fixture
def sender(demo_ctx) -> Iterator[subprocess.Popen[str]]:  # type: ignore[no-untyped-def]
    """Another process sending the demo issue to LIST."""
    process = start_sender(ledger_path(demo_ctx, campaign_id_for(DEMO_ISSUE, [LIST]), create_dir=True))
    yield process
    stop(process)


def send_outcomes(process: subprocess.Popen[str], *states: str) -> None:
    assert process.stdin is not None and process.stdout is not None
    for state in states:
        process.stdin.write(state + "\n")
        process.stdin.flush()
        assert process.stdout.readline().strip() == state


def line_of(screen: SendScreen) -> str:
    return str(screen.query_one(RunElsewhere).render())


async def test_the_send_screen_shows_a_campaign_another_process_sends_and_leaves_it_alone(
        demo_ctx, app_for, sender) -> None:  # type: ignore[no-untyped-def]
    send_outcomes(sender, "sent", "sent", "failed", "deferred")
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SendScreen)
        screen.query_one("#issue", Select).value = DEMO_ISSUE
        screen.query_one("#list", Select).value = LIST
        await wait_for(pilot, lambda: screen.sent_elsewhere() is not None, timeout=3)
        holder = screen.sent_elsewhere()
        assert holder is not None and holder.pid == sender.pid and holder.host == socket.gethostname()
        line = line_of(screen)
        assert line.startswith(f"Being sent by {holder.user} (pid {sender.pid} on {holder.host}) since ")
        assert "2 of 10 sent · 1 failed · 1 deferred · 6 to go" in line

        send_outcomes(sender, "sent", "sent")  # its progress, read from the ledger each second
        await wait_for(pilot, lambda: "4 of 10 sent · 1 failed · 1 deferred · 4 to go" in line_of(screen), timeout=3)

        for action in ("send", "force_send", "resume", "retry_failed", "pause_resume"):
            assert screen.check_action(action, ()) is None, f"{action} is off while another process sends"
        await pilot.press("s")
        await pilot.press("R")
        await pilot.pause()
        assert app.screen is screen and not isinstance(app.screen, ConfirmModal)

        screen.run_campaign(DEMO_ISSUE, LIST, resume=True)  # as if started a moment before the other process
        await app.workers.wait_for_complete()
        await pilot.pause()
        refused = [text for text in notifications(app) if "is being sent by" in text]
        assert refused and "\n" not in refused[0] and f"pid {sender.pid}" in refused[0], "one line, no traceback"

        assert sender.stdin is not None
        sender.stdin.close()  # the other process finishes: the screen is free again
        sender.wait(timeout=10)
        await wait_for(pilot, lambda: screen.sent_elsewhere() is None, timeout=3)
        assert screen.check_action("resume", ()) is True
        assert not screen.query_one(RunElsewhere).has_class("-running")


async def test_this_apps_own_send_is_not_someone_elses(demo_ctx, app_for) -> None:  # type: ignore[no-untyped-def]
    from bulletin_tui.sending.runlock import RunLock

    path = ledger_path(demo_ctx, campaign_id_for(DEMO_ISSUE, [LIST]), create_dir=True)
    lock = RunLock.take(path, "this process")
    try:
        app = app_for(demo_ctx)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("5")
            await pilot.pause()
            screen = app.screen
            screen.query_one("#issue", Select).value = DEMO_ISSUE
            screen.query_one("#list", Select).value = LIST
            await pilot.pause(1.2)
            assert screen.sent_elsewhere() is None and os.getpid() == RunLock(Path(path)).holder().pid
    finally:
        lock.release()


async def test_the_follow_up_screen_shows_a_follow_up_another_process_sends(demo_ctx, app_for) -> None:  # type: ignore[no-untyped-def]
    from bulletin_tui.services.mailings.followup import followup_campaign_id
    from bulletin_tui.tui.screens.followup import FollowUpScreen

    slug = sorted(demo_ctx.store.sessions.keys())[0]
    process = start_sender(ledger_path(demo_ctx, followup_campaign_id(slug), create_dir=True))
    try:
        send_outcomes(process, "sent")
        app = app_for(demo_ctx)
        async with app.run_test(size=SIZE) as pilot:
            screen = FollowUpScreen(slug)
            await app.push_screen(screen)
            await wait_for(pilot, lambda: screen.sent_elsewhere() is not None, timeout=3)
            assert "1 of 10 sent · 0 failed · 0 deferred · 9 to go" in str(screen.query_one(RunElsewhere).render())
            assert screen.check_action("send", ()) is None and screen.check_action("edit_materials", ()) is None
    finally:
        stop(process)
