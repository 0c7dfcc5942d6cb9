"""Sessions screen flows: create with London times (DST rules inline), register past capacity, cancel -> promotion."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Label

from bulletin_tui.domain.sessions import RegistrationStatus
from bulletin_tui.services.sessions.registrations import registrations_for
from bulletin_tui.tui.screens.register_form import RegisterForm
from bulletin_tui.tui.screens.session_form import SessionForm
from bulletin_tui.tui.screens.sessions import SessionsScreen

from .conftest import SIZE


async def _fill(pilot, **values: str) -> None:
    for name, value in values.items():
        pilot.app.screen.query_one(f"#f-{name}", Input).value = value
    await pilot.pause()


async def test_session_form_refuses_a_time_the_clocks_skip(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "n")
        await pilot.pause()
        assert isinstance(app.screen, SessionForm)
        await _fill(pilot, slug="spring-forward", title="Too early", start="2027-03-28 01:30", end="02:30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SessionForm)
        assert str(app.screen.query_one("#e-start", Label).render())
        assert "spring-forward" not in demo_ctx.store.sessions


async def test_register_past_capacity_then_cancel_promotes_the_first_waiting(demo_ctx, app_for) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "n")
        await pilot.pause()
        await _fill(pilot, slug="csis-small", title="Small CSIS", start="2026-12-03 12:30", end="13:30", capacity="2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        session = demo_ctx.store.sessions.get("csis-small")
        assert session.capacity == 2 and f"{session.local_start:%H:%M}" == "12:30"
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        screen.query_one("#session-table", DataTable).move_cursor(
            row=[s.slug for s in screen.sessions].index("csis-small"))
        await pilot.pause()
        for n in (1, 2, 3):
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, RegisterForm)
            await _fill(pilot, email=f"person{n}@example.org", name=f"Person {n}")
            await pilot.press("enter")
            await pilot.pause()
        states = {r.email: r.status for r in registrations_for(demo_ctx, "csis-small")}
        assert states["person3@example.org"] is RegistrationStatus.WAITLISTED
        assert list(states.values()).count(RegistrationStatus.CONFIRMED) == 2
        table = screen.query_one("#registration-table", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(3)] == ["confirmed", "confirmed", "waitlisted"]
        assert [str(table.get_row_at(i)[1]) for i in range(3)] == ["1", "2", "1"], "place in each group"
        assert "1 waiting" in str(screen.query_one("#session-info").render())
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("c")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        states = {r.email: r.status for r in registrations_for(demo_ctx, "csis-small")}
        assert states["person1@example.org"] is RegistrationStatus.CANCELLED
        assert states["person3@example.org"] is RegistrationStatus.CONFIRMED
        assert "0 waiting" in str(screen.query_one("#session-info").render())


async def test_send_invites_delivers_the_queued_mail_to_the_outbox(demo_ctx, app_for) -> None:
    from bulletin_tui.services.sessions.catalogue import list_sessions
    from bulletin_tui.services.sessions.mail import pending_mail
    from bulletin_tui.services.sessions.registrations import register

    session = [s for s in list_sessions(demo_ctx) if s.capacity][0]
    register(demo_ctx, session.slug, "invitee@example.org", name="Invitee")
    assert len(pending_mail(demo_ctx, session.slug)) == 1
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        app.screen.query_one("#session-table", DataTable).move_cursor(
            row=[s.slug for s in app.screen.sessions].index(session.slug))
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.click("#confirm")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert pending_mail(demo_ctx, session.slug) == []
    messages = list((demo_ctx.data_dir / "outbox").rglob("*.eml"))
    assert len(messages) == 1 and b"text/calendar" in messages[0].read_bytes()


async def test_session_form_records_speakers_topics_and_description(demo_ctx, app_for) -> None:
    from textual.widgets import TextArea

    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "n")
        await pilot.pause()
        await _fill(pilot, slug="csis-svd", title="Serious Violence Duty", start="2027-02-11 12:30", end="13:30",
                    speakers="Sam Speaker, Alex Analyst", organisations="Kent Police, KCC",
                    topics="Serious Violence and Organised Crime")
        app.screen.query_one("#f-description", TextArea).text = "What the duty asks of CSPs."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SessionForm)
        session = demo_ctx.store.sessions.get("csis-svd")
        assert session.speakers == ["Sam Speaker", "Alex Analyst"] and session.organisations == ["Kent Police", "KCC"]
        assert session.topics == ["Serious Violence and Organised Crime"]
        assert session.description == "What the duty asks of CSPs."
        screen = app.screen
        row = [s.slug for s in screen.sessions].index("csis-svd")
        screen.query_one("#session-table", DataTable).move_cursor(row=row)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SessionForm)
        assert form.query_one("#f-speakers", Input).value == "Sam Speaker, Alex Analyst"
        form.query_one("#f-capacity", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert demo_ctx.store.sessions.get("csis-svd").capacity is None


async def test_registration_numbers_match_the_cli(ctx, app_for) -> None:
    from bulletin_tui.services.sessions import catalogue, registrations

    start, end = catalogue.parse_times("2026-12-03 12:30", "13:30")
    catalogue.create_session(ctx, slug="s1", title="CSIS", start=start, end=end, capacity=1)
    for name in ("a", "b", "c"):
        registrations.register(ctx, "s1", f"{name}@example.org")
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        table = app.screen.query_one("#registration-table", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(n)][:2] + [str(table.get_row_at(n)[3])]
                for n in range(table.row_count)]
        assert rows == [["confirmed", "1", "a@example.org"], ["waitlisted", "1", "b@example.org"],
                        ["waitlisted", "2", "c@example.org"]]


async def test_editing_a_session_in_the_repeated_hour_keeps_its_occurrence(ctx, app_for) -> None:
    from textual.widgets import Select

    from bulletin_tui.services.sessions import catalogue

    start, end = catalogue.parse_times("2027-10-31 01:30", "01:50", fold=1)
    catalogue.create_session(ctx, slug="night", title="Night patrol briefing", start=start, end=end)
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SessionForm) and form.query_one("#f-fold", Select).value == 1
        form.query_one("#f-title", Input).value = "Night patrol briefing (GMT)"
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = ctx.store.sessions.get("night")
    assert saved.title == "Night patrol briefing (GMT)" and (saved.start, saved.end) == (start, end)
