"""A pre-send finding knows the item and field it is about (for the bulletin screen to open), set where the check
makes it, and names the item by its title when shown."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bulletin_tui.domain.bulletins import BulletinItem
from bulletin_tui.rendering.checks import check_items


def _item(**fields: object) -> BulletinItem:
    return BulletinItem.model_validate({"id": "grant-round", "title": "Grant round (spring)", "category": "news",
                                        "created_at": datetime(2026, 1, 5, tzinfo=UTC), **fields})


def test_each_item_finding_names_its_item_and_field() -> None:
    item = _item(summary="Apply by TBC", link_text="click TODO", closing_date=date(2026, 1, 1))
    found = {(f.code, f.field): f for f in check_items([item], date(2026, 2, 1))}
    assert set(found) == {("placeholder", "summary"), ("placeholder", "link_text"), ("past-closing", "closing_date"),
                          ("missing-link", "link")}
    assert all(f.item_id == "grant-round" for f in found.values())
    finding = found["missing-link", "link"]
    assert finding.message == "item 'grant-round' (Grant round (spring)): has no link for readers to follow"
    assert finding.short == "“Grant round (spring)”: has no link for readers to follow"
    assert found["placeholder", "link_text"].message.endswith("link text contains placeholder 'TODO'")


def test_a_finding_about_the_whole_issue_has_no_item() -> None:
    [finding] = check_items([], date(2026, 2, 1))
    assert finding.item_id is None and finding.field is None and finding.short == finding.message
