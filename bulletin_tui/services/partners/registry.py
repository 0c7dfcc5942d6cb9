"""The registry of partner organisations (table `partners`), and which partner a sender speaks for."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import ValidationError

from ...domain.errors import DomainError, NotFoundError, describe_validation_error
from ...domain.identity import canonical_email
from ...domain.partners import Partner, match_partner, partner_domain, partner_slug
from ...storage.collection import Collection
from ..context import AppContext, one_write


def partners_table(ctx: AppContext) -> Collection[Partner]:
    return ctx.store.collection("partners", Partner, lambda p: p.slug)


def list_partners(ctx: AppContext) -> list[Partner]:
    """Every known partner, by name."""
    return sorted(partners_table(ctx), key=lambda p: p.name.lower())


def find_partner(ctx: AppContext, ref: str) -> Partner:
    """By slug, or by name (case-insensitive)."""
    table = partners_table(ctx)
    found = table.get(ref.strip()) or next((p for p in table if p.name.lower() == ref.strip().lower()), None)
    if found is None:
        raise NotFoundError(f"no partner organisation '{ref}' (see: bulletin-tui partners list)")
    return found


def partner_for(ctx: AppContext, address: str) -> Partner | None:
    """The partner whose address or domain (or a parent domain) the sender uses, if any."""
    return match_partner(partners_table(ctx), address) if address else None


def _validated(data: dict[str, object]) -> Partner:
    try:
        return Partner.model_validate(data)
    except ValidationError as exc:
        raise DomainError(f"partner: {describe_validation_error(exc)}") from None


def _claimed_elsewhere(ctx: AppContext, partner: Partner) -> None:
    """Refuse a domain or address another partner already has (a sender speaks for one organisation)."""
    mine = {canonical_email(a) for a in partner.addresses}
    for other in partners_table(ctx):
        if other.slug == partner.slug:
            continue
        shared = sorted(set(partner.domains) & set(other.domains))
        shared += sorted(mine & {canonical_email(a) for a in other.addresses})
        if shared:
            raise DomainError(f"{shared[0]} already belongs to partner '{other.name}' ({other.slug})")


@one_write
def add_partner(
    ctx: AppContext,
    name: str,
    type_: str = "",
    domains: Iterable[str] = (),
    addresses: Iterable[str] = (),
    note: str = "",
) -> Partner:
    """A new partner; its slug comes from the name and must be free."""
    slug = partner_slug(name)
    if slug in partners_table(ctx):
        raise DomainError(f"partner '{slug}' already exists (change it with: bulletin-tui partners edit {slug})")
    partner = _validated(
        {
            "slug": slug,
            "name": name,
            "type": type_,
            "domains": list(domains),
            "addresses": list(addresses),
            "note": note,
            "created_at": ctx.clock.now(),
        }
    )
    _claimed_elsewhere(ctx, partner)
    return partners_table(ctx).put(partner)


@one_write
def edit_partner(
    ctx: AppContext,
    ref: str,
    *,
    name: str | None = None,
    type_: str | None = None,
    note: str | None = None,
    add_domains: Iterable[str] = (),
    remove_domains: Iterable[str] = (),
    add_addresses: Iterable[str] = (),
    remove_addresses: Iterable[str] = (),
) -> Partner:
    """Change a partner's name, type or note; add or remove domains and addresses (the slug stays)."""
    partner = find_partner(ctx, ref)
    try:
        gone_domains = {partner_domain(d) for d in remove_domains}
    except ValueError as exc:
        raise DomainError(f"partner: {exc}") from None
    missing = sorted(gone_domains - set(partner.domains))
    gone_addresses = {canonical_email(a) for a in remove_addresses}
    missing += sorted(gone_addresses - {canonical_email(a) for a in partner.addresses})
    if missing:
        raise DomainError(f"partner '{partner.slug}' has no domain or address {missing[0]}")
    data = partner.model_dump() | {
        key: value for key, value in (("name", name), ("type", type_), ("note", note)) if value is not None
    }
    data["domains"] = [d for d in partner.domains if d not in gone_domains] + list(add_domains)
    data["addresses"] = [a for a in partner.addresses if canonical_email(a) not in gone_addresses] + list(add_addresses)
    updated = _validated(data)
    _claimed_elsewhere(ctx, updated)
    return partners_table(ctx).put(updated)


@one_write
def remove_partner(ctx: AppContext, ref: str) -> Partner:
    """Forget a partner (items already made from its e-mails keep the organisation's name)."""
    partner = find_partner(ctx, ref)
    partners_table(ctx).delete(partner.slug)
    return partner
