"""The Inbox screen under Pilot, against a real Dovecot: a partner's e-mail is shown as a draft item before
deciding; `a` accepts into the backlog, `n` into the next issue, `d` dismisses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import DataTable, Static

from bulletin_tui.services.bulletins.assembly import backlog, issue_items
from bulletin_tui.services.bulletins.issues import create_issue
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.inbox.records import MessageState, inbox_messages
from bulletin_tui.services.partners.registry import add_partner
from bulletin_tui.tui.app import BulletinApp

from ..tui.conftest import SIZE
from ..tui.conftest import app_for as app_for  # noqa: F401 - the fixture
from .conftest import TeamMailbox as Dovecot
from .conftest import fetch_on_inbox_screen, use_mailbox

CONTRIBUTIONS = Path(__file__).parents[1] / "data" / "inbox" / "contributions"


async def test_preview_then_accept_into_backlog_and_next_issue_and_dismiss(
    inbox_ctx: AppContext,
    dovecot: Dovecot,
    app_for: Callable[..., BulletinApp],  # noqa: F811
) -> None:
    use_mailbox(inbox_ctx, dovecot)
    add_partner(inbox_ctx, "Kent Police", "responsible authority", ["kent-police.example"])
    add_partner(inbox_ctx, "Kent County Council (KCC)", "responsible authority", ["kent-cc.example"])
    create_issue(inbox_ctx, "2026-12")
    for name in ("plain-update.eml", "html-only.eml", "unknown-sender.eml"):
        dovecot.deliver((CONTRIBUTIONS / name).read_bytes())
    app = app_for(inbox_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await fetch_on_inbox_screen(app, pilot)
        screen = app.screen
        review = screen.query_one("#review-table", DataTable)
        assert review.row_count == 3
        review.focus()

        def select(words: str) -> None:
            review.move_cursor(row=next(i for i, m in enumerate(screen.queue) if words in m.subject))

        select("Alcohol Awareness Week")
        await pilot.pause()
        preview = str(screen.query_one("#draft-preview", Static).render())
        assert "Title:        Alcohol Awareness Week - Know Your Score" in preview
        assert "Link:         https://www.kent.gov.uk/knowyourscore" in preview and ", Kent Police" in preview
        assert "Alcohol Awareness Week runs from 16 to 22 November." in preview
        await pilot.press("a")
        await pilot.pause()
        assert [i.id for i in backlog(inbox_ctx)] == ["alcohol-awareness-week-know-your-score"]

        select("Safer Streets")
        await pilot.pause()
        assert "Closes:       29 January 2027" in str(screen.query_one("#draft-preview", Static).render())
        await pilot.press("n")
        await pilot.pause()
        assert [i.title for i in issue_items(inbox_ctx, "2026-12")] == ["Safer Streets small grants open"]

        select("youth violence")
        await pilot.pause()
        assert "Title:" not in str(screen.query_one("#draft-preview", Static).render())  # not a partner: no draft
        await pilot.press("a")  # refused with a notification, nothing added
        await pilot.pause()
        assert len(inbox_ctx.store.items) == 2
        await pilot.press("d")
        await pilot.pause()
        assert review.row_count == 0
        states = sorted(m.state.value for m in inbox_messages(inbox_ctx))
        assert states == [MessageState.DISMISSED.value, MessageState.RESOLVED.value, MessageState.RESOLVED.value]


async def test_k_accepts_keeping_the_attachments_read_back_from_the_mailbox(
    inbox_ctx: AppContext,
    dovecot: Dovecot,
    app_for: Callable[..., BulletinApp],  # noqa: F811
) -> None:
    use_mailbox(inbox_ctx, dovecot)
    add_partner(inbox_ctx, "Kent and Medway Safeguarding Adults Board (KMSAB)", "board", ["kmsab.example"])
    add_partner(inbox_ctx, "Kent Police", "responsible authority", ["kent-police.example"])
    for name in ("pdf-attachment.eml", "plain-update.eml"):
        dovecot.deliver((CONTRIBUTIONS / name).read_bytes())
    app = app_for(inbox_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await pilot.press("f")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        review = screen.query_one("#review-table", DataTable)
        review.focus()
        review.move_cursor(row=next(i for i, m in enumerate(screen.queue) if "Alcohol" in m.subject))
        await pilot.press("k")  # no attachments: nothing happens but a note
        await pilot.pause()
        assert len(inbox_ctx.store.items) == 0
        review.move_cursor(row=next(i for i, m in enumerate(screen.queue) if "Safeguarding" in m.subject))
        await pilot.pause()
        preview = str(screen.query_one("#draft-preview", Static).render())
        assert "Attachment:   SAR seven-minute briefing.pdf (application/pdf, 326 bytes)" in preview
        await pilot.press("k")
        await app.workers.wait_for_complete()
        await pilot.pause()
        kept = inbox_ctx.data_dir / "contributions" / "safeguarding-adult-review-published"
        assert [p.name for p in kept.iterdir()] == ["SAR seven-minute briefing.pdf"]
        assert [i.id for i in backlog(inbox_ctx)] == ["safeguarding-adult-review-published"]
