"""Distribution lists: create, find by slug or name, and count members per status."""

from __future__ import annotations

from collections import Counter

from pydantic import ValidationError

from ...domain.errors import DomainError, NotFoundError, describe_validation_error
from ...domain.subscribers import DistributionList
from ..context import AppContext, one_write

DEFAULT_LIST = ("e-bulletin", "E-bulletin")


def all_lists(ctx: AppContext) -> list[DistributionList]:
    return sorted(ctx.store.lists.all(), key=lambda found: found.slug)


@one_write
def add_list(
    ctx: AppContext, slug: str, name: str, *, description: str = "", cleared_for_restricted: bool = False,
    public: bool = False,
) -> DistributionList:
    """Create a list; DomainError if the slug is taken or a field is invalid."""
    if slug.strip() in ctx.store.lists:
        raise DomainError(f"a list called {slug.strip()!r} already exists")
    _check_public(slug.strip(), public, cleared_for_restricted)
    try:
        created = DistributionList(slug=slug, name=name, description=description, public=public,
                                   cleared_for_restricted=cleared_for_restricted, created_at=ctx.clock.now())
    except ValidationError as exc:
        raise DomainError(describe_validation_error(exc, "list ")) from None
    return ctx.store.lists.put(created)


def _check_public(slug: str, public: bool, restricted: bool) -> None:
    if public and restricted:
        raise DomainError(f"list {slug!r} is cleared for restricted items, so it cannot be offered on the public "
                          "sign-up page")


@one_write
def set_public(ctx: AppContext, name_or_slug: str, public: bool) -> DistributionList:
    """Offer a list on the web sign-up page, or stop offering it (its members stay as they are)."""
    found = resolve_list(ctx, name_or_slug)
    _check_public(found.slug, public, found.cleared_for_restricted)
    return ctx.store.lists.put(found.model_copy(update={"public": public}))


@one_write
def rename_list(ctx: AppContext, name_or_slug: str, new_name: str) -> DistributionList:
    """Give a list a new display name (its slug, used in tokens and ledgers, stays); DomainError if invalid."""
    found = resolve_list(ctx, name_or_slug)
    clash = next((d for d in ctx.store.lists.all()
                  if d.slug != found.slug and d.name.casefold() == new_name.strip().casefold()), None)
    if clash is not None:
        raise DomainError(f"list {clash.slug!r} is already called {clash.name!r}")
    try:
        renamed = DistributionList.model_validate({**found.model_dump(), "name": new_name})
    except ValidationError as exc:
        raise DomainError(describe_validation_error(exc, "list ")) from None
    return ctx.store.lists.put(renamed)


def resolve_list(ctx: AppContext, name_or_slug: str | None) -> DistributionList:
    """The list named by slug or (case-insensitive) name; the default e-bulletin list, made on first use."""
    if name_or_slug is None:
        found = ctx.store.lists.get(DEFAULT_LIST[0])
        return found if found is not None else add_list(ctx, *DEFAULT_LIST)
    wanted = name_or_slug.strip()
    found = ctx.store.lists.get(wanted)
    if found is not None:
        return found
    for candidate in ctx.store.lists.all():
        if candidate.name.casefold() == wanted.casefold():
            return candidate
    known = ", ".join(d.slug for d in all_lists(ctx)) or "none yet"
    raise NotFoundError(f"no list called {wanted!r} (lists: {known})")


def member_counts(ctx: AppContext) -> dict[str, Counter[str]]:
    """Per list slug: how many subscribers are subscribed and unsubscribed."""
    counts: dict[str, Counter[str]] = {d.slug: Counter() for d in all_lists(ctx)}
    for row in ctx.store.subscribers.rows():
        for slug, membership in row.get("lists", {}).items():
            counts.setdefault(slug, Counter())[membership["status"]] += 1
    return counts


def people_count(ctx: AppContext) -> int:
    """How many people are on record (on any list, or on none)."""
    return len(ctx.store.subscribers)
