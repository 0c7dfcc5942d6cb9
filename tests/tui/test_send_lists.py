"""Several lists in the send screen: one campaign, each person once; a later send leaves out earlier recipients.
Against a real aiosmtpd server; the messages it received are counted."""

from __future__ import annotations

from collections import Counter

from textual.widgets import SelectionList

from bulletin_tui.domain.bulletins import IssueStatus
from bulletin_tui.domain.text import normalise_email
from bulletin_tui.services.subscribers.people import audience
from bulletin_tui.tui.screens.confirm import ConfirmModal
from bulletin_tui.tui.screens.lists_modal import ListsModal
from bulletin_tui.tui.widgets.ledger_view import ledger_states
from tests.sending.smtp_server import running_server

from .conftest import SIZE
from .test_send_screen import choose, clean_issue, smtp_factory, wait_until

LISTS = ["csis-invitations", "dhr-webinars"]


async def test_several_lists_are_one_campaign_with_each_person_once(demo_ctx, app_for) -> None:
    issue = clean_issue(demo_ctx)
    union = {normalise_email(p.email) for slug in LISTS for p in audience(demo_ctx, slug)}
    assert len(union) < sum(len(audience(demo_ctx, slug)) for slug in LISTS), "the demo lists overlap"
    async with running_server() as server:
        app = app_for(demo_ctx, transport_factory=smtp_factory(server.port))
        async with app.run_test(size=SIZE) as pilot:
            screen = await choose(pilot, issue, LISTS[0])
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, ListsModal)
            app.screen.query_one(SelectionList).select(LISTS[1])
            await pilot.click("#ok")
            await pilot.pause()
            assert screen.chosen_lists() == LISTS
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmModal)
            assert f"exactly {len(union)} recipient(s) on csis-invitations + dhr-webinars" in app.screen.question
            await pilot.click("#confirm")
            await wait_until(lambda: demo_ctx.store.issues.get(issue).status is IssueStatus.SENT)
            await pilot.pause()
    received = Counter(normalise_email(rcpt) for m in server.messages for rcpt in m.rcpt_tos)
    assert set(received) == union and set(received.values()) == {1}
    states = ledger_states(demo_ctx, f"bulletin-{issue}-{'+'.join(LISTS)}")
    assert len(states) == len(union)


async def test_a_later_list_states_who_is_left_out(demo_ctx, app_for) -> None:
    issue = clean_issue(demo_ctx)
    first = {normalise_email(p.email) for p in audience(demo_ctx, LISTS[0])}
    second = {normalise_email(p.email) for p in audience(demo_ctx, LISTS[1])}
    async with running_server() as server:
        app = app_for(demo_ctx, transport_factory=smtp_factory(server.port))
        async with app.run_test(size=SIZE) as pilot:
            await choose(pilot, issue, LISTS[0])
            await pilot.press("s")
            await pilot.pause()
            await pilot.click("#confirm")
            await wait_until(lambda: demo_ctx.store.issues.get(issue).status is IssueStatus.SENT)
            await pilot.pause()
            await choose(pilot, issue, LISTS[1])
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmModal)
            assert f"exactly {len(second - first)} recipient(s) on {LISTS[1]}" in app.screen.question
            assert f"({len(second & first)} who already received it are left out.)" in app.screen.question
            await pilot.click("#confirm")
            await wait_until(lambda: len(server.messages) == len(first | second))
            await pilot.pause()
    received = Counter(normalise_email(rcpt) for m in server.messages for rcpt in m.rcpt_tos)
    assert set(received.values()) == {1}
