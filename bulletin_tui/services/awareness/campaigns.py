"""Keep the calendar: add, edit, remove campaigns and record a year's actual dates."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from ...domain.awareness import AwarenessCampaign, DateSpan
from ...domain.awareness_rules import parse_rule, parse_span
from ...domain.errors import DomainError, NotFoundError, describe_validation_error
from ...storage.collection import Collection
from ..context import AppContext, one_write

TABLE = "awareness_campaigns"
EDITABLE = {"name", "short_names", "rule", "link", "topics", "note"}


def campaigns_table(ctx: AppContext) -> Collection[AwarenessCampaign]:
    return ctx.store.collection(TABLE, AwarenessCampaign, lambda campaign: campaign.slug)


def list_campaigns(ctx: AppContext) -> list[AwarenessCampaign]:
    """Every campaign, by name."""
    return sorted(campaigns_table(ctx).all(), key=lambda c: c.name.casefold())


def find_campaign(ctx: AppContext, name: str) -> AwarenessCampaign:
    """A campaign by its slug, name or a short name (any case)."""
    wanted = " ".join(name.split()).casefold()
    for campaign in list_campaigns(ctx):
        if wanted == campaign.slug or wanted in (" ".join(n.split()).casefold() for n in campaign.names()):
            return campaign
    raise NotFoundError(f"no awareness campaign '{name}' (see: bulletin-tui awareness list)")


def slug_for(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:60].strip("-") or "campaign"


def _validated(data: dict[str, Any]) -> AwarenessCampaign:
    try:
        return AwarenessCampaign.model_validate(data)
    except ValidationError as exc:
        raise DomainError(f"campaign '{data.get('name', '')}': {describe_validation_error(exc)}") from None


def _fields(raw: dict[str, Any]) -> dict[str, Any]:
    """CLI/TUI input to model fields: the rule from its words, '' clears a link or a rule."""
    fields = {key: value for key, value in raw.items() if value is not None}
    if isinstance(fields.get("rule"), str):
        fields["rule"] = parse_rule(fields["rule"]) if fields["rule"].strip() else None
    if fields.get("link") == "":
        fields["link"] = None
    return fields


@one_write
def add_campaign(ctx: AppContext, name: str, **raw: Any) -> AwarenessCampaign:
    """A new campaign; `rule` is the rule's words (docs/awareness-calendar.md)."""
    fields = _fields(raw)
    slug = slug_for(name)
    if slug in campaigns_table(ctx) or _name_taken(ctx, name):
        raise DomainError(f"awareness campaign '{name}' already exists (change it with: awareness edit)")
    return campaigns_table(ctx).put(_validated({"slug": slug, "name": name, **fields}))


def _name_taken(ctx: AppContext, name: str, besides: str = "") -> bool:
    try:
        return find_campaign(ctx, name).slug != besides
    except NotFoundError:
        return False


@one_write
def edit_campaign(ctx: AppContext, which: str, **raw: Any) -> AwarenessCampaign:
    """Change some fields of the campaign named `which`; `rule=""` leaves only the recorded dates, `link=""`
    clears the link."""
    campaign = find_campaign(ctx, which)
    fields = _fields(raw)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise DomainError(f"unknown campaign field(s): {', '.join(sorted(unknown))}")
    if "name" in fields and _name_taken(ctx, fields["name"], besides=campaign.slug):
        raise DomainError(f"another campaign is already called '{fields['name']}'")
    return campaigns_table(ctx).put(_validated(campaign.model_dump() | fields))


@one_write
def remove_campaign(ctx: AppContext, name: str) -> AwarenessCampaign:
    campaign = find_campaign(ctx, name)
    campaigns_table(ctx).delete(campaign.slug)
    return campaign


@one_write
def record_dates(ctx: AppContext, name: str, year: int | None, span_text: str) -> tuple[AwarenessCampaign, DateSpan]:
    """A year's actual dates (they override the rule for the year they start in); the campaign and the dates."""
    campaign, span = find_campaign(ctx, name), parse_span(span_text, year)
    return campaigns_table(ctx).put(campaign.with_dates(span)), span
