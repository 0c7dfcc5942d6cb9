"""Assemble an issue: add, edit, remove and reorder items, pick from the backlog, mark ready."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from ...domain.bulletins import BulletinIssue, BulletinItem, Category, Classification, IssueStatus
from ...domain.errors import DomainError, NotFoundError, describe_validation_error
from ...domain.times import parse_date
from ..bulletins.issues import get_issue
from ..context import AppContext, one_write

EDITABLE = {"title", "category", "summary", "link", "link_text", "source_organisation", "topics",
            "classification", "closing_date", "contributed_by", "promotional"}


def get_item(ctx: AppContext, item_id: str) -> BulletinItem:
    item = ctx.store.items.get(item_id)
    if item is None:
        raise NotFoundError(f"no bulletin item '{item_id}'")
    return item


def editable_issue(ctx: AppContext, slug: str) -> BulletinIssue:
    """The issue, refusing changes once it has been sent."""
    issue = get_issue(ctx, slug)
    if issue.status is IssueStatus.SENT:
        raise DomainError(f"issue {slug} was sent; start a new issue instead of changing it")
    return issue


def new_item_id(ctx: AppContext, title: str) -> str:
    """A readable, unique id from the title (`domestic-abuse-bill`, then `domestic-abuse-bill-2`)."""
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:48].strip("-") or "item"
    candidate, number = base, 2
    while candidate in ctx.store.items:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def item_fields(**raw: Any) -> dict[str, Any]:
    """Normalise CLI/TUI input: category words, restricted flag, day-first closing dates."""
    fields = {key: value for key, value in raw.items() if value is not None}
    if isinstance(fields.get("category"), str):
        fields["category"] = Category.parse(fields["category"])
    if "restricted" in fields:
        restricted = fields.pop("restricted")
        fields["classification"] = Classification.RESTRICTED if restricted else Classification.UNRESTRICTED
    if isinstance(fields.get("closing_date"), str):
        text = fields["closing_date"].strip()
        fields["closing_date"] = parse_date(text) if text else None
    if fields.get("link") == "":
        fields["link"] = None
    return fields


def _validated(data: dict[str, Any]) -> BulletinItem:
    try:
        return BulletinItem.model_validate(data)
    except ValidationError as exc:
        raise DomainError(f"item: {describe_validation_error(exc)}") from None


@one_write
def add_item(ctx: AppContext, issue_slug: str | None, **raw: Any) -> BulletinItem:
    """A new item, appended to an issue, or left in the backlog when `issue_slug` is None."""
    fields = item_fields(**raw)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise DomainError(f"unknown item field(s): {', '.join(sorted(unknown))}")
    issue = editable_issue(ctx, issue_slug) if issue_slug else None
    item = _validated({"id": new_item_id(ctx, str(fields.get("title", ""))), "created_at": ctx.clock.now(),
                       "contributed_by": ctx.operator, **fields})
    with ctx.store.transaction():
        ctx.store.items.put(item)
        if issue is not None:
            ctx.store.issues.put(issue.model_copy(update={"item_ids": [*issue.item_ids, item.id]}))
    return item


@one_write
def edit_item(ctx: AppContext, item_id: str, **raw: Any) -> BulletinItem:
    """Change some fields of an item; `link=""` or `closing_date=""` clears them."""
    fields = item_fields(**raw)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise DomainError(f"unknown item field(s): {', '.join(sorted(unknown))}")
    for slug in issues_containing(ctx, item_id):
        editable_issue(ctx, slug)
    data = get_item(ctx, item_id).model_dump() | fields
    return ctx.store.items.put(_validated(data))


def issues_containing(ctx: AppContext, item_id: str) -> list[str]:
    return [issue.slug for issue in ctx.store.issues if item_id in issue.item_ids]


def backlog(ctx: AppContext) -> list[BulletinItem]:
    """Contributed items not yet in any issue, oldest first."""
    used = {item_id for issue in ctx.store.issues for item_id in issue.item_ids}
    waiting = [item for item in ctx.store.items if item.id not in used]
    return sorted(waiting, key=lambda item: (item.created_at, item.id))


@one_write
def assign_item(ctx: AppContext, issue_slug: str, item_id: str, position: int | None = None) -> BulletinIssue:
    """Put an existing item (usually from the backlog) into an issue, at the end or at a 1-based position."""
    issue = editable_issue(ctx, issue_slug)
    get_item(ctx, item_id)
    if item_id in issue.item_ids:
        raise DomainError(f"item '{item_id}' is already in issue {issue_slug}")
    order = list(issue.item_ids)
    order.insert(len(order) if position is None else max(position - 1, 0), item_id)
    return ctx.store.issues.put(issue.model_copy(update={"item_ids": order}))


@one_write
def remove_item(ctx: AppContext, issue_slug: str, item_id: str, *, delete: bool = False) -> BulletinIssue:
    """Take an item out of an issue (back to the backlog), or delete it outright."""
    issue = editable_issue(ctx, issue_slug)
    if item_id not in issue.item_ids:
        raise NotFoundError(f"item '{item_id}' is not in issue {issue_slug}")
    updated = issue.model_copy(update={"item_ids": [i for i in issue.item_ids if i != item_id]})
    with ctx.store.transaction():
        ctx.store.issues.put(updated)
        if delete and not set(issues_containing(ctx, item_id)) - {issue_slug}:
            ctx.store.items.delete(item_id)
    return updated


@one_write
def move_item(ctx: AppContext, issue_slug: str, item_id: str, position: int) -> BulletinIssue:
    """Move an item to a 1-based position in the issue's order (clamped to the ends)."""
    issue = editable_issue(ctx, issue_slug)
    if item_id not in issue.item_ids:
        raise NotFoundError(f"item '{item_id}' is not in issue {issue_slug}")
    order = [i for i in issue.item_ids if i != item_id]
    order.insert(min(max(position, 1), len(order) + 1) - 1, item_id)
    return ctx.store.issues.put(issue.model_copy(update={"item_ids": order}))


def issue_items(ctx: AppContext, issue_slug: str) -> list[BulletinItem]:
    """The items of an issue in issue order (missing ones skipped)."""
    found = (ctx.store.items.get(item_id) for item_id in get_issue(ctx, issue_slug).item_ids)
    return [item for item in found if item is not None]
