"""Subscribers: audience, single additions and unsubscribes, each with its consent record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ...domain.errors import DomainError, NotFoundError, describe_validation_error
from ...domain.subscribers import (
    ConsentAction,
    ConsentRecord,
    LawfulBasis,
    Membership,
    MembershipStatus,
    Subscriber,
    canonical_topic,
)
from ...domain.text import normalise_email
from ...domain.times import LONDON
from ..context import AppContext, one_write
from ..subscribers.lists import resolve_list
from ..subscribers.suppression import suppression_check, suppression_reason
from ..subscribers.tokens import PREFIX, unsubscribe_token, verify_unsubscribe_token


@dataclass
class UnsubscribeResult:
    """What an unsubscribe changed: the lists left now, and those already left before."""

    email: str
    lists: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    via_token: bool = False


def get_subscriber(ctx: AppContext, email: str) -> Subscriber:
    found = ctx.store.subscribers.get(normalise_email(email))
    if found is None:
        raise NotFoundError(f"no subscriber with the address {email.strip()}")
    return found


def current_token(ctx: AppContext, email: str, list_name: str | None = None) -> str:
    """The unsubscribe token of one person's membership of a list (slug or name; default: the e-bulletin)."""
    slug = resolve_list(ctx, list_name).slug
    get_subscriber(ctx, email)
    return unsubscribe_token(ctx, email, slug)


def row_is_subscribed(row: dict[str, Any], list_slug: str) -> bool:
    """Whether a stored subscriber row is subscribed to the list. Strict on purpose: a damaged row (`lists` not
    an object, a membership without `status`) raises instead of quietly leaving the person out of a send, and
    the CLI then names the record."""
    membership = row["lists"].get(list_slug)
    return membership is not None and membership["status"] == MembershipStatus.SUBSCRIBED.value


def audience(ctx: AppContext, list_slug: str) -> list[Subscriber]:
    """Everyone subscribed to the list and not suppressed, in a stable order (by matching key)."""
    is_suppressed = suppression_check(ctx)
    chosen = [row for row in ctx.store.subscribers.rows() if row_is_subscribed(row, list_slug)]
    people = [Subscriber.model_validate(row) for row in chosen]
    return sorted((p for p in people if not is_suppressed(p.email)), key=lambda p: p.key)


def is_subscribed(ctx: AppContext, email: str, list_slug: str) -> bool:
    """True if the person is on the list now and not suppressed (checked right before each send)."""
    found = ctx.store.subscribers.get(normalise_email(email))
    return found is not None and found.is_subscribed(list_slug) and suppression_reason(ctx, email) is None


def subscribers_on(ctx: AppContext, list_slug: str | None = None) -> list[Subscriber]:
    """All subscribers, or those with any status on one list, sorted by address."""
    people = ctx.store.subscribers.all()
    if list_slug is not None:
        people = [p for p in people if list_slug in p.lists]
    return sorted(people, key=lambda p: p.key)


def add_subscriber(
    ctx: AppContext, email: str, *, name: str = "", organisation: str = "", list_name: str | None = None,
    source: str = "email request", reference: str = "", basis: LawfulBasis = LawfulBasis.CONSENT,
    resubscribe: bool = False, topics: list[str] | None = None,
) -> Subscriber:
    """Add a person to a list (creating or updating the record) with a consent record saying how; one save."""
    with ctx.store.transaction():
        chosen = resolve_list(ctx, list_name).slug
        consent = ConsentRecord(at=ctx.clock.now(), action=ConsentAction.GRANTED, list_slug=chosen, basis=basis,
                                source=source, reference=reference, operator=ctx.operator)
        return _add(ctx, email, name, organisation, topics or [], resubscribe, consent)


def _add(
    ctx: AppContext, email: str, name: str, organisation: str, topics: list[str], resubscribe: bool,
    record: ConsentRecord,
) -> Subscriber:
    reason = suppression_reason(ctx, email)
    if reason is not None:
        raise DomainError(f"{email.strip()} is on the suppression list ({reason}); lift it with "
                          "`subscribers unsuppress` only if the person asked to receive mail again")
    slug, now = record.list_slug, record.at
    found = ctx.store.subscribers.get(normalise_email(email))
    membership = found.lists.get(slug) if found else None
    if membership and membership.status is MembershipStatus.SUBSCRIBED:
        raise DomainError(f"{found.email} is already subscribed to {slug}")  # type: ignore[union-attr]
    if membership and not resubscribe:
        raise DomainError(f"{email.strip()} unsubscribed from {slug} on "
                          f"{membership.changed_at.astimezone(LONDON):%d %B %Y}; add --resubscribe only if "
                          "they asked to rejoin")
    version = membership.token_version + 1 if membership else 0
    try:
        person = found or Subscriber(email=email, name=name, organisation=organisation,
                                     created_at=now, updated_at=now)
        if found:
            person.name = name or person.name
            person.organisation = organisation or person.organisation
        wanted = [canonical_topic(t) for t in topics if t.strip()]
        person.topics = person.topics + [t for t in wanted if t not in person.topics]
    except ValidationError as exc:
        raise DomainError(describe_validation_error(exc)) from None
    joined = Membership(status=MembershipStatus.SUBSCRIBED, changed_at=now, token_version=version)
    person.lists = {**person.lists, slug: joined}
    person.consent = [*person.consent, record]
    person.updated_at = now
    return ctx.store.subscribers.put(person)


@one_write
def update_details(
    ctx: AppContext, email: str, *, name: str | None = None, organisation: str | None = None,
    role: str | None = None, area: str | None = None, topics: list[str] | None = None,
) -> Subscriber:
    """Change a person's details (not their address or lists); fields left as None keep their value; one save."""
    person = get_subscriber(ctx, email)
    changes: dict[str, object] = {
        key: value.strip() for key, value in
        (("name", name), ("organisation", organisation), ("role", role), ("area", area)) if value is not None
    }
    if topics is not None:
        changes["topics"] = list(dict.fromkeys(canonical_topic(t) for t in topics if t.strip()))
    try:
        updated = Subscriber.model_validate({**person.model_dump(), **changes, "updated_at": ctx.clock.now()})
    except ValidationError as exc:
        raise DomainError(describe_validation_error(exc)) from None
    return ctx.store.subscribers.put(updated)


@one_write
def set_lists(ctx: AppContext, email: str, wanted: set[str], *, source: str = "operator",
              reference: str = "") -> Subscriber:
    """Make the person subscribed to exactly the wanted lists: joining records consent, leaving a withdrawal."""
    with ctx.store.transaction():
        person = get_subscriber(ctx, email)
        slugs = {resolve_list(ctx, name).slug for name in wanted}
        was_on = {slug for slug in person.lists if person.is_subscribed(slug)}
        for slug in sorted(slugs - was_on):
            person = add_subscriber(ctx, person.email, list_name=slug, source=source, reference=reference,
                                    resubscribe=True)
        if was_on - slugs:
            person = ctx.store.subscribers.put(_withdrawn(ctx, person, sorted(was_on - slugs), source, reference))
        return person


def save_person(
    ctx: AppContext, email: str, details: dict[str, str], lists: set[str], topics: list[str], *, new: bool,
    reference: str = "bulletin-tui form",
) -> Subscriber:
    """Apply an add/edit form as one save: details, topics, and exactly the ticked lists (each change recorded)."""
    with ctx.store.transaction():
        if new:
            if not lists:
                raise DomainError("choose at least one list for a new subscriber")
            add_subscriber(ctx, email, list_name=min(lists), source="operator", reference=reference,
                           name=details.get("name", ""), organisation=details.get("organisation", ""))
        update_details(ctx, email, topics=topics, **details)
        return set_lists(ctx, email, lists, reference=reference)


@one_write
def unsubscribe(
    ctx: AppContext, email_or_token: str, list_slug: str | None = None, source: str = "operator",
    reference: str = "", token_index: dict[str, str] | None = None,
) -> UnsubscribeResult:
    """Apply an unsubscribe from a token (its list) or an address (one list, or every list)."""
    value = email_or_token.strip()
    via_token = value.startswith(PREFIX + ".") and "@" not in value
    if via_token:
        key, token_list = verify_unsubscribe_token(ctx, value, token_index)
        if list_slug is not None and resolve_list(ctx, list_slug).slug != token_list:
            raise DomainError(f"the token is for the list {token_list}, not {list_slug}")
        person, wanted = get_subscriber(ctx, key), [token_list]
    else:
        person = get_subscriber(ctx, value)
        wanted = [resolve_list(ctx, list_slug).slug] if list_slug else sorted(person.lists)
    result = UnsubscribeResult(email=person.email, via_token=via_token)
    for slug in wanted:
        (result.lists if person.is_subscribed(slug) else result.already).append(slug)
    if result.lists:
        ctx.store.subscribers.put(_withdrawn(ctx, person, result.lists, source, reference))
    return result


@one_write
def restore_lists(ctx: AppContext, email: str, slugs: list[str], *, source: str, reference: str = "") -> list[str]:
    """Put back memberships that a mistaken unsubscribe withdrew (staff undoing a misread e-mail): the same token
    version, so the person's links still work; a consent record says who restored it and why. The lists restored."""
    person = get_subscriber(ctx, email)
    restored = [slug for slug in slugs if slug in person.lists and not person.is_subscribed(slug)]
    if restored:
        ctx.store.subscribers.put(_changed(ctx, person, restored, ConsentAction.GRANTED, source, reference))
    return restored


def _withdrawn(ctx: AppContext, person: Subscriber, slugs: list[str], source: str, reference: str) -> Subscriber:
    return _changed(ctx, person, slugs, ConsentAction.WITHDRAWN, source, reference)


def _changed(ctx: AppContext, person: Subscriber, slugs: list[str], action: ConsentAction, source: str,
             reference: str) -> Subscriber:
    """The person with these memberships granted or withdrawn (token versions kept) and a consent record each."""
    now, lists, records = ctx.clock.now(), dict(person.lists), list(person.consent)
    status = MembershipStatus.SUBSCRIBED if action is ConsentAction.GRANTED else MembershipStatus.UNSUBSCRIBED
    for slug in slugs:
        lists[slug] = Membership(status=status, changed_at=now, token_version=lists[slug].token_version)
        records.append(ConsentRecord(at=now, action=action, list_slug=slug, basis=_basis(person, slug),
                                     source=source, reference=reference, operator=ctx.operator))
    person.lists, person.consent, person.updated_at = lists, records, now
    return person


def _basis(person: Subscriber, slug: str) -> LawfulBasis:
    granted = [r for r in person.consent if r.list_slug == slug and r.action is ConsentAction.GRANTED]
    return granted[-1].basis if granted else LawfulBasis.CONSENT
