"""Assembly: items in and out of issues, backlog, order, sections, sent issues frozen, mark ready."""

from __future__ import annotations

import pytest

from bulletin_tui.domain.bulletins import Category, IssueStatus
from bulletin_tui.domain.errors import DomainError, NotFoundError
from bulletin_tui.rendering.view import build_sections, upcoming
from bulletin_tui.services.bulletins import assembly
from bulletin_tui.services.bulletins import issues as bulletins
from bulletin_tui.services.context import AppContext

from .conftest import ISSUE


def test_add_item_appends_and_gives_readable_unique_ids(issue_ctx: AppContext) -> None:
    first = assembly.add_item(issue_ctx, ISSUE, title="Euro 2024", category="news")
    second = assembly.add_item(issue_ctx, ISSUE, title="Euro 2024!", category="news")
    assert (first.id, second.id) == ("euro-2024", "euro-2024-2")
    assert bulletins.get_issue(issue_ctx, ISSUE).item_ids[-2:] == ["euro-2024", "euro-2024-2"]
    assert first.contributed_by == "test-operator"


def test_add_item_rejects_bad_input_and_changes_nothing(issue_ctx: AppContext) -> None:
    before = bulletins.get_issue(issue_ctx, ISSUE).item_ids
    with pytest.raises(DomainError, match="link"):
        assembly.add_item(issue_ctx, ISSUE, title="Bad", category="news", link="javascript:alert(1)")
    with pytest.raises(DomainError, match="unknown category"):
        assembly.add_item(issue_ctx, ISSUE, title="Bad", category="gossip")
    with pytest.raises(DomainError, match="not a real date"):
        assembly.add_item(issue_ctx, ISSUE, title="Bad", category="funding", closing_date="31/02/2027")
    assert bulletins.get_issue(issue_ctx, ISSUE).item_ids == before
    assert "bad" not in issue_ctx.store.items


def test_backlog_assign_remove_and_delete(issue_ctx: AppContext) -> None:
    waiting = assembly.add_item(issue_ctx, None, title="Partner news from Swale", category="news")
    assert [i.id for i in assembly.backlog(issue_ctx)] == [waiting.id]
    assembly.assign_item(issue_ctx, ISSUE, waiting.id, position=1)
    assert bulletins.get_issue(issue_ctx, ISSUE).item_ids[0] == waiting.id
    assert assembly.backlog(issue_ctx) == []
    assembly.remove_item(issue_ctx, ISSUE, waiting.id)
    assert [i.id for i in assembly.backlog(issue_ctx)] == [waiting.id]
    assembly.assign_item(issue_ctx, ISSUE, waiting.id)
    assembly.remove_item(issue_ctx, ISSUE, waiting.id, delete=True)
    assert waiting.id not in issue_ctx.store.items
    with pytest.raises(NotFoundError):
        assembly.remove_item(issue_ctx, ISSUE, waiting.id)


def test_move_item_clamps_to_the_ends(issue_ctx: AppContext) -> None:
    order = bulletins.get_issue(issue_ctx, ISSUE).item_ids
    moved = assembly.move_item(issue_ctx, ISSUE, order[-1], 1)
    assert moved.item_ids == [order[-1], *order[:-1]]
    moved = assembly.move_item(issue_ctx, ISSUE, order[-1], 99)
    assert moved.item_ids == order


def test_edit_item_changes_and_clears_fields(issue_ctx: AppContext) -> None:
    item = assembly.edit_item(issue_ctx, "crime-reduction-grant-2026-27", title="Crime Reduction Grant (updated)",
                              closing_date="", restricted=True)
    assert item.title == "Crime Reduction Grant (updated)" and item.closing_date is None and item.restricted
    item = assembly.edit_item(issue_ctx, item.id, link="")
    assert item.link is None


def test_sent_issue_is_frozen(issue_ctx: AppContext) -> None:
    issue = bulletins.get_issue(issue_ctx, ISSUE)
    issue_ctx.store.issues.put(issue.model_copy(update={"status": IssueStatus.SENT}))
    with pytest.raises(DomainError, match="was sent"):
        assembly.add_item(issue_ctx, ISSUE, title="Late", category="news")
    with pytest.raises(DomainError, match="was sent"):
        assembly.edit_item(issue_ctx, issue.item_ids[0], title="Changed")
    with pytest.raises(DomainError, match="was sent"):
        assembly.move_item(issue_ctx, ISSUE, issue.item_ids[0], 2)


def test_sections_follow_category_order_and_hide_restricted(issue_ctx: AppContext) -> None:
    items = assembly.issue_items(issue_ctx, ISSUE)
    today = issue_ctx.clock.now().date()
    general = build_sections(items, today, restricted=False)
    assert [s.slug for s in general] == [Category.LEGISLATION, Category.FUNDING, Category.CAMPAIGN]
    assert [i.title for i in general[1].items] == ["Crime Reduction Grant 2026/27", "Safer Streets round 4"]
    assert general[1].items[0].closing_text == "Closing date: Friday 15 January 2027"
    assert general[1].items[1].closed and general[1].items[1].closing_text == "Closed on Sunday 1 November 2026"
    full = build_sections(items, today, restricted=True)
    assert "news" in [s.slug for s in full]


def test_upcoming_sessions_window(issue_ctx: AppContext) -> None:
    now = issue_ctx.clock.now()
    chosen = upcoming(issue_ctx.store.sessions.all(), now, issue_ctx.settings.bulletin.upcoming_sessions_days)
    assert [s.slug for s in chosen] == ["csis-dec", "dhr-webinar"]
    assert upcoming(issue_ctx.store.sessions.all(), now, 10) == []


def test_mark_ready_refuses_failing_checks_unless_forced(issue_ctx: AppContext) -> None:
    with pytest.raises(DomainError, match="failing check"):
        bulletins.mark_ready(issue_ctx, ISSUE)
    assert bulletins.get_issue(issue_ctx, ISSUE).status is IssueStatus.DRAFT
    ready = bulletins.mark_ready(issue_ctx, ISSUE, force=True)
    assert ready.status is IssueStatus.READY and ready.ready_at == issue_ctx.clock.now()
    assert bulletins.reopen(issue_ctx, ISSUE).status is IssueStatus.DRAFT


def test_mark_ready_when_clean(issue_ctx: AppContext) -> None:
    assembly.remove_item(issue_ctx, ISSUE, "safer-streets-round-4", delete=True)
    assert bulletins.mark_ready(issue_ctx, ISSUE).status is IssueStatus.READY


def test_a_monthly_issue_is_named_after_its_month_unless_titled(ctx: AppContext) -> None:
    assert bulletins.create_issue(ctx, "2026-12").title == "Community Safety e-Bulletin, December 2026"
    assert bulletins.create_issue(ctx, "dhr-special").title == "Community Safety e-Bulletin dhr-special"
    assert bulletins.create_issue(ctx, "2027-01", title="January news").title == "January news"
