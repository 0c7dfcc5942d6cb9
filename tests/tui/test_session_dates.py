"""The sessions screen with a training on several dates (the demo's ASB Tools & Powers CPD): each date's places
shown, registering asks which date, a full date offers the others, a move (v) swaps the date and queues the
right mail, and o adds a date."""

from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList

from bulletin_tui.invites.message import InviteKind
from bulletin_tui.services.sessions.mail import pending_mail
from bulletin_tui.services.sessions.registrations import register, registrations_for
from bulletin_tui.tui.screens.occurrence_form import OccurrenceForm
from bulletin_tui.tui.screens.pick import PickModal
from bulletin_tui.tui.screens.register_form import RegisterForm
from bulletin_tui.tui.screens.sessions import SessionsScreen

from .conftest import SIZE, notifications


def _cpd_slug(ctx) -> str:  # type: ignore[no-untyped-def]
    return next(s.slug for s in ctx.store.sessions if s.slug.startswith("demo-asb-cpd-"))


async def _open_cpd(pilot, ctx) -> SessionsScreen:  # type: ignore[no-untyped-def]
    await pilot.press("4")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SessionsScreen)
    screen.query_one("#session-table", DataTable).move_cursor(
        row=[s.slug for s in screen.sessions].index(_cpd_slug(ctx))
    )
    await pilot.pause()
    return screen


async def _choose(pilot, option_id: str) -> None:  # type: ignore[no-untyped-def]
    options = pilot.app.screen.query_one("#choices", OptionList)
    options.highlighted = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == option_id)
    await pilot.press("enter")
    await pilot.pause()


async def test_register_for_a_date_get_the_offer_and_move(demo_ctx, app_for) -> None:  # type: ignore[no-untyped-def]
    slug = _cpd_slug(demo_ctx)
    for n in range(16):
        register(demo_ctx, slug, f"full{n}@example.org", occurrence="2")
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_cpd(pilot, demo_ctx)
        info = str(screen.query_one("#session-info").render())
        assert "4 dates, 48 places left" in info and "16/16 · full" in info
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, PickModal)
        await _choose(pilot, "2")
        assert isinstance(app.screen, RegisterForm)
        app.screen.query_one("#f-email", Input).value = "late@example.org"
        await pilot.press("enter")
        await pilot.pause()
        assert any(
            "late@example.org: waitlisted (date 2). Other dates with places: 1, 3, 4" in text
            for text in notifications(app)
        )
        table = screen.query_one("#registration-table", DataTable)
        row = next(i for i in range(table.row_count) if str(table.get_row_at(i)[4]) == "full0@example.org")
        table.focus()
        table.move_cursor(row=row)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, PickModal)
        await _choose(pilot, "3")
        states = {r.email: (r.occurrence_id, r.status.value) for r in registrations_for(demo_ctx, slug)}
        assert states["full0@example.org"] == ("3", "confirmed")
        assert states["late@example.org"] == ("2", "confirmed")  # the freed place on date 2
        kinds = [
            (m.kind, m.occurrence_id)
            for m in pending_mail(demo_ctx, slug)
            if m.registration_id == registrations_for(demo_ctx, slug)[0].id
        ]
        assert (InviteKind.MOVED, "2") in kinds and (InviteKind.INVITE, "3") in kinds


async def test_add_a_date(demo_ctx, app_for) -> None:  # type: ignore[no-untyped-def]
    slug = _cpd_slug(demo_ctx)
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_cpd(pilot, demo_ctx)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OccurrenceForm)
        for name, value in (("start", "2027-03-02 09:30"), ("end", "16:00"), ("capacity", "12")):
            app.screen.query_one(f"#f-{name}", Input).value = value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
        dates = demo_ctx.store.sessions.get(slug).dates()
        assert [(d.id, d.capacity) for d in dates][-1] == ("5", 12)
        assert "5 dates, 76 places left" in str(screen.query_one("#session-info").render())


async def test_cancel_one_date_from_the_screen(demo_ctx, app_for) -> None:  # type: ignore[no-untyped-def]
    """d: pick a date, confirm; its people get a calendar cancellation, the other dates and their people stay."""
    slug = _cpd_slug(demo_ctx)
    register(demo_ctx, slug, "on.three@example.org", occurrence="3")
    register(demo_ctx, slug, "on.one@example.org", occurrence="1")
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await _open_cpd(pilot, demo_ctx)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, PickModal)
        await _choose(pilot, "3")
        await pilot.click("#confirm")
        await pilot.pause()
        session = demo_ctx.store.sessions.get(slug)
        assert [o.id for o in session.occurrences if o.cancelled] == ["3"]
        regs = {r.id: r.email for r in registrations_for(demo_ctx, slug)}
        queued = {(regs[m.registration_id], m.kind, m.occurrence_id) for m in pending_mail(demo_ctx, slug)}
        assert ("on.three@example.org", InviteKind.CANCEL_SESSION, "3") in queued
        assert not any(kind is InviteKind.CANCEL_SESSION for email, kind, _ in queued if email == "on.one@example.org")
        assert any("Cancelled date 3" in n for n in notifications(app))
