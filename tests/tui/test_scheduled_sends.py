"""Scheduling from the send screen ("send at": confirm the count and the moment, refused in the past), and the
dashboard: scheduled sends, cancelling one (asked first), and the worker's last and next run or "no worker"."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input, Static

from bulletin_tui.services.schedule.planning import schedule_send
from bulletin_tui.services.schedule.records import ScheduleState, scheduled_sends
from bulletin_tui.services.worker.lock import WorkerLock
from bulletin_tui.services.worker.status import JobState, WorkerStatus, write_status
from bulletin_tui.tui.screens.confirm import ConfirmModal
from tests.conftest import FIXED_NOW

from .conftest import SIZE, notifications
from .test_awareness_calendar import shown
from .test_send_screen import LIST, choose, clean_issue


async def test_send_at_schedules_after_confirming_and_a_past_time_is_refused(demo_ctx, app_for) -> None:
    issue = clean_issue(demo_ctx)
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await choose(pilot, issue)
        field = screen.query_one("#send-at", Input)
        field.focus()
        field.value = "2026-11-21 09:00"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal) and len(scheduled_sends(demo_ctx)) == 0
        assert any("is in the past" in n and "YYYY-MM-DD HH:MM" in n for n in notifications(app))

        field.value = "2026-12-04 09:00"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert app.screen.question.startswith(f"Schedule {issue} to 75 recipient(s) on {LIST} for Fri 04 Dec 2026 "
                                              "09:00 (London)?")
        await pilot.click("#confirm")
        await pilot.pause()
        [entry] = scheduled_sends(demo_ctx).all()
        assert (entry.issue, entry.lists, entry.state) == (issue, [LIST], ScheduleState.SCHEDULED)
        assert entry.at == FIXED_NOW + timedelta(days=12, hours=-1)  # 09:00 London (GMT) on 4 December
        assert any(n.startswith("Scheduled #1: ") and "no worker" in n for n in notifications(app))
        assert field.value == "" and len(demo_ctx.store.issues.get(issue).item_ids) == 1
        assert "scheduled #1: Fri 04 Dec 2026 09:00 (scheduled) · z cancels" in shown(
            screen.query_one("#scheduled-line", Static))
        assert not (demo_ctx.data_dir / "outbox").exists() or not list((demo_ctx.data_dir / "outbox").iterdir())


async def test_the_dashboard_shows_scheduled_sends_and_cancels_one_after_asking(demo_ctx, app_for) -> None:
    issue = clean_issue(demo_ctx)
    first = schedule_send(demo_ctx, issue, [LIST], FIXED_NOW + timedelta(days=3))
    schedule_send(demo_ctx, issue, ["dhr-webinars"], FIXED_NOW + timedelta(days=4))
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("#campaigns-panel", Static)
        text = shown(panel)
        assert f"#1 Wed 25 Nov 10:00 · {issue} to {LIST}" in text
        assert f"#2 Thu 26 Nov 10:00 · {issue} to dhr-webinars" in text
        assert "Worker: no worker running" in text
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("enter")  # the first of the two
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and f"#{first.id} " in app.screen.question
        await pilot.click("#cancel")
        await pilot.pause()
        assert scheduled_sends(demo_ctx).get(first.id).state is ScheduleState.SCHEDULED  # type: ignore[union-attr]
        await pilot.press("z", "enter")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        assert scheduled_sends(demo_ctx).get(first.id).state is ScheduleState.CANCELLED  # type: ignore[union-attr]
        assert "#1 Wed" not in shown(panel) and "#2 Thu" in shown(panel)


async def test_the_dashboard_shows_the_worker_last_and_next(demo_ctx, app_for) -> None:
    lock = WorkerLock(demo_ctx.data_dir)
    lock.acquire(FIXED_NOW.isoformat())
    now = FIXED_NOW.isoformat(timespec="seconds")
    write_status(demo_ctx.data_dir, WorkerStatus(pid=4242, started=now, heartbeat=now, jobs={
        "journal": JobState("2026-11-22T09:59:50+00:00", "ok: applied nothing", "2026-11-22T10:00:05+00:00"),
        "outbound": JobState("2026-11-22T09:59:40+00:00", "ok: confirmations: none", "2026-11-22T10:00:10+00:00")}))
    try:
        app = app_for(demo_ctx)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            text = shown(app.screen.query_one("#campaigns-panel", Static))
    finally:
        lock.release()
    assert "Worker: running · last: journal 09:59 ok · next: journal 10:00:05" in text
