"""Demo partner organisations: names and types from the KCSP papers' facts. The papers give no e-mail domains;
a few partners get a reserved example domain (the demo subscribers' own), and each record says so."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...domain.partners import Partner, partner_slug

DEMO_DOMAINS = {
    "Kent Police": "police.example.org",
    "Kent Fire and Rescue Service (KFRS)": "fire.example.org",
    "Kent and Medway Integrated Care Board": "nhs.example.org",
    "Local District/Borough Authorities (District & Borough Councils)": "district.example.org",
}
"""Reserved example domains (RFC 2606), never the organisations' real ones."""
DEMO_NOTE = "Demo: the e-mail domain is a reserved example name, not the organisation's real domain."
NO_DOMAIN_NOTE = "The source papers give no e-mail domain: add one with bulletin-tui partners edit."


def demo_partners(raws: list[dict[str, Any]], now: datetime) -> list[Partner]:
    """One partner per organisation named in the facts (the first of any two that share a slug)."""
    partners: dict[str, Partner] = {}
    for raw in raws:
        name, slug = str(raw["name"]), partner_slug(str(raw["name"]))
        domain = DEMO_DOMAINS.get(name)
        partners.setdefault(
            slug,
            Partner(
                slug=slug,
                name=name,
                type=str(raw.get("type") or ""),
                domains=[domain] if domain else [],
                note=DEMO_NOTE if domain else NO_DOMAIN_NOTE,
                created_at=now,
            ),
        )
    return list(partners.values())
