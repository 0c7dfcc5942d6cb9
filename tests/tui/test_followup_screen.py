"""The follow-up from the sessions screen (key f): counts and materials shown, confirm, progress, sent through a
real SMTP server to attendees, then to no-shows as a separate choice; refused with the reason when not ready."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import DataTable, Input, ProgressBar, Select, Static

from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions import attendance, catalogue, registrations
from bulletin_tui.services.sessions.followup import MaterialsChange, get_materials, set_materials
from bulletin_tui.tui.screens.confirm import ConfirmModal
from bulletin_tui.tui.screens.followup import FollowUpScreen
from bulletin_tui.tui.screens.materials_form import MaterialsForm
from bulletin_tui.tui.screens.sessions import SessionsScreen
from tests.sending.smtp_server import running_server
from tests.sessions.followup_support import (
    ATTENDED,
    FEEDBACK,
    NO_SHOW,
    SLIDES,
    SLUG,
    over_and_recorded,
    pdf_bytes,
    set_all_materials,
)

from .conftest import SIZE, notifications
from .test_send_screen import smtp_factory, wait_until


async def open_follow_up(pilot, slug: str) -> FollowUpScreen:  # type: ignore[no-untyped-def]
    await pilot.press("4")
    await pilot.pause()
    sessions = pilot.app.screen
    assert isinstance(sessions, SessionsScreen)
    sessions.query_one("#session-table", DataTable).move_cursor(row=[s.slug for s in sessions.sessions].index(slug))
    await pilot.press("f")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, FollowUpScreen)
    return screen


async def confirm_send(pilot, screen: FollowUpScreen, expected_question: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("s")
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, ConfirmModal) and expected_question in modal.question, getattr(modal, "question", modal)
    await pilot.click("#confirm")
    await wait_until(lambda: screen.campaign is None and "complete" in " ".join(notifications(pilot.app)))


async def test_follow_up_to_attendees_then_no_shows_with_progress(ctx: AppContext, app_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(pdf_bytes(pad=4000))
    over_and_recorded(ctx)
    set_all_materials(ctx, pdf)
    ctx.settings.limits.rate_per_minute = 0
    async with running_server() as server:
        app = app_for(ctx, transport_factory=smtp_factory(server.port))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_follow_up(pilot, SLUG)
            info = str(screen.query_one("#followup-info", Static).render())
            assert "3 attended, 1 registered but did not attend" in info
            assert "Attached: pack.pdf" in info and "Not sent yet: 3 attendees would get it." in info
            await confirm_send(pilot, screen, "with 1 attachment(s) to 3 attendees?")
            bar = screen.query_one(ProgressBar)
            assert bar.total == bar.progress == 3
            assert sorted(server.handler.by_recipient()) == ATTENDED
            assert "Mailing followup-csis-2026-11-05: 3 sent" in str(screen.query_one("#followup-info").render())
            await pilot.press("s")  # nothing left: never twice
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmModal) and "Nothing to send to the attendees." in notifications(
                app
            )
            screen.query_one("#audience", Select).value = "no-shows"
            await pilot.pause()
            app.clear_notifications()
            await confirm_send(pilot, screen, "to 1 no-shows?")
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, SessionsScreen)
    assert server.handler.by_recipient() == {**dict.fromkeys(ATTENDED, 1), NO_SHOW: 1}


async def test_not_ready_says_why_and_the_palette_offers_it(ctx: AppContext, app_for) -> None:  # type: ignore[no-untyped-def]
    start, end = catalogue.parse_times("2026-12-03 12:30", "13:30")
    catalogue.create_session(ctx, slug="csis-2026-12-03", title="CSIS: winter", start=start, end=end)
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Follow-up" in titles
        screen = await open_follow_up(pilot, "csis-2026-12-03")
        assert "Not ready: session 'csis-2026-12-03' has not ended yet" in str(
            screen.query_one("#followup-info", Static).render()
        )
        await pilot.press("s")
        await asyncio.sleep(0.05)
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        assert any("has not ended yet" in text for text in notifications(app))


async def test_pause_quit_mid_send_and_resume_after_restart_each_once(ctx: AppContext, app_for) -> None:  # type: ignore[no-untyped-def]
    start, end = catalogue.parse_times("2026-11-05 12:30", "13:30")
    catalogue.create_session(ctx, slug=SLUG, title="ASB Tools and Powers CPD", start=start, end=end)
    people = [f"p{n:02d}@example.org" for n in range(30)]
    for email in people:
        registrations.register(ctx, SLUG, email)
        attendance.mark_attendance(ctx, SLUG, email, True)
    set_materials(ctx, SLUG, MaterialsChange(feedback_url=FEEDBACK))
    ctx.settings.limits.rate_per_minute = 0
    async with running_server() as server:
        server.script.end_delay = 0.03
        app = app_for(ctx, transport_factory=smtp_factory(server.port))
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_follow_up(pilot, SLUG)
            await pilot.press("s")
            await pilot.pause()
            await pilot.click("#confirm")
            await wait_until(lambda: len(server.messages) >= 5)
            await pilot.press("space")
            await wait_until(lambda: screen.campaign is not None and screen.campaign.paused)
            await asyncio.sleep(0.2)
            held = len(server.messages)
            await asyncio.sleep(0.2)
            assert len(server.messages) == held < len(people)
            await pilot.press("ctrl+q")  # quits mid-campaign: stopped after the messages in flight
        assert screen.campaign is None and len(server.messages) < len(people)
        server.script.end_delay = 0
        again = app_for(ctx, transport_factory=smtp_factory(server.port))
        async with again.run_test(size=SIZE) as pilot:
            await pilot.pause()
            again._offer_resume()
            assert any("interrupted follow-up can be resumed: followup-" in text for text in notifications(again))
            screen = await open_follow_up(pilot, SLUG)
            await confirm_send(pilot, screen, f"to {len(people) - len(server.messages)} attendees?")
    counts = server.handler.by_recipient()
    assert sorted(counts) == people and set(counts.values()) == {1}


async def test_materials_set_from_the_screen_and_a_big_pdf_refused(ctx: AppContext, app_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    over_and_recorded(ctx)
    big = tmp_path / "recording.pdf"
    big.write_bytes(pdf_bytes(pad=6 * 1024 * 1024 - 600))
    small = tmp_path / "pack.pdf"
    small.write_bytes(pdf_bytes(pad=100))
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_follow_up(pilot, SLUG)
        assert "no materials set" in str(screen.query_one("#followup-info", Static).render())
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MaterialsForm)
        form.query_one("#f-feedback", Input).value = "mailto:team@example.org"
        form.query_one("#f-slides", Input).value = SLIDES
        form.query_one("#f-attach", Input).value = str(big)
        await pilot.click("#save")
        await pilot.pause()
        assert "must start with https:// or http://" in str(form.query_one("#materials-error").render())
        form.query_one("#f-feedback", Input).value = FEEDBACK
        form.query_one("#f-feedback", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert any("recording.pdf is 6.0 MB" in text for text in notifications(app)), (
            notifications(app),
            str(form.query_one("#materials-error").render()),
        )
        assert get_materials(ctx, SLUG).empty  # nothing stored
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MaterialsForm)
        form.query_one("#f-feedback", Input).value = FEEDBACK
        form.query_one("#f-slides", Input).value = SLIDES
        form.query_one("#f-attach", Input).value = str(small)
        await pilot.click("#save")
        await pilot.pause()
        info = str(screen.query_one("#followup-info", Static).render())
        assert f"Slides from the session: {SLIDES}" in info and "Attached: pack.pdf" in info
        assert "Not sent yet: 3 attendees would get it." in info
    saved = get_materials(ctx, SLUG)
    assert saved.feedback_url == FEEDBACK and [a.filename for a in saved.attachments] == ["pack.pdf"]
