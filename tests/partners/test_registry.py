"""The partner registry: who a sender speaks for (address, domain, parent domain; canonical comparison), and the
rules for adding, changing and removing partners."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bulletin_tui.domain.errors import DomainError, NotFoundError
from bulletin_tui.domain.partners import Partner, match_partner, parent_domains, partner_domain
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.partners.registry import (
    add_partner,
    edit_partner,
    find_partner,
    list_partners,
    partner_for,
    partners_table,
    remove_partner,
)

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def partner(slug: str, domains: list[str] = [], addresses: list[str] = []) -> Partner:  # noqa: B006
    return Partner(slug=slug, name=slug.title(), domains=domains, addresses=addresses, created_at=NOW)


def test_domain_parent_domain_and_address_matches() -> None:
    police = partner("police", ["kent-police.example"])
    east = partner("east", ["east.kent-police.example"])
    amparo = partner("amparo", addresses=["Morgan.Specimen@AMPARO.example"])
    known = [police, east, amparo]
    assert match_partner(known, "jo@kent-police.example") is police
    assert match_partner(known, "jo@x.y.kent-police.example") is police  # any depth under the registered domain
    assert match_partner(known, "jo@east.kent-police.example") is east  # the most specific domain wins
    assert match_partner(known, "MORGAN.SPECIMEN@amparo.EXAMPLE") is amparo  # canonical: case-insensitive
    assert match_partner(known, "someone.else@amparo.example") is None  # an address, not the whole domain
    assert match_partner(known, "jo@notkent-police.example") is None  # a suffix is not a parent domain
    assert match_partner(known, "not an address") is None and match_partner(known, "") is None


def test_an_individual_address_beats_another_partners_domain() -> None:
    council = partner("council", ["kent-cc.example"])
    health = partner("public-health", addresses=["public.health@kent-cc.example"])
    assert match_partner([council, health], "public.health@kent-cc.example") is health
    assert match_partner([council, health], "sam@kent-cc.example") is council


def test_domains_are_stored_canonical() -> None:
    assert partner_domain("@Kent-Police.Example.") == "kent-police.example"
    assert partner_domain("*.bücher.example") == "xn--bcher-kva.example"
    found = match_partner([partner("idn", ["bücher.example"])], "anna@BÜCHER.example")
    assert found is not None and found.domains == ["xn--bcher-kva.example"]
    for bad in ("localhost", "not a domain", "-bad-.example", "a@b.example"):
        with pytest.raises(ValueError):
            partner_domain(bad)
    assert parent_domains("a.b.kent.example") == ["a.b.kent.example", "b.kent.example", "kent.example"]


def test_add_edit_remove(ctx: AppContext) -> None:
    added = add_partner(ctx, "Kent Police", "responsible authority", ["kent-police.example"])
    assert added.slug == "kent-police" and partner_for(ctx, "pc@kent-police.example") == added
    with pytest.raises(DomainError, match="already exists"):
        add_partner(ctx, "Kent Police")
    with pytest.raises(DomainError, match="already belongs to partner 'Kent Police'"):
        add_partner(ctx, "Another", domains=["KENT-POLICE.example"])
    with pytest.raises(DomainError, match="partner: domains"):
        add_partner(ctx, "Broken", domains=["no spaces allowed.example"])
    assert [p.slug for p in list_partners(ctx)] == ["kent-police"]  # nothing half-added

    changed = edit_partner(
        ctx,
        "Kent Police",
        type_="police",
        add_domains=["kent-fire.example"],
        remove_domains=["kent-police.example"],
        add_addresses=["pcc@opcc.example"],
    )
    assert changed.domains == ["kent-fire.example"] and changed.addresses == ["pcc@opcc.example"]
    assert partner_for(ctx, "pc@kent-police.example") is None and partner_for(ctx, "PCC@opcc.example") == changed
    with pytest.raises(DomainError, match="has no domain or address nowhere.example"):
        edit_partner(ctx, "kent-police", remove_domains=["nowhere.example"])
    assert partners_table(ctx).get("kent-police") == changed  # the refused edit changed nothing

    assert remove_partner(ctx, "kent-police").name == "Kent Police"
    with pytest.raises(NotFoundError, match="no partner organisation 'kent-police'"):
        find_partner(ctx, "kent-police")
