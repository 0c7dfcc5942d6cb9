"""The demo seeds the partner registry from the facts: names and types as the papers give them; e-mail domains
only under reserved example names, each saying so; loading twice adds nothing."""

from __future__ import annotations

from bulletin_tui.services.context import AppContext
from bulletin_tui.services.demo.loader import load_demo, load_facts
from bulletin_tui.services.partners.registry import list_partners, partner_for


def test_demo_partners_come_from_the_facts(demo_ctx: AppContext) -> None:
    facts = load_facts()["partner_organisations"]
    partners = list_partners(demo_ctx)
    assert sorted((p.name, p.type) for p in partners) == sorted((f["name"], f["type"]) for f in facts)
    with_domains = [p for p in partners if p.domains]
    assert sorted(p.name for p in with_domains) == [
        "Kent Fire and Rescue Service (KFRS)",
        "Kent Police",
        "Kent and Medway Integrated Care Board",
        "Local District/Borough Authorities (District & Borough Councils)",
    ]
    for partner in with_domains:
        assert all(d.endswith(".example.org") for d in partner.domains)
        assert "reserved example name" in partner.note
    assert all("give no e-mail domain" in p.note for p in partners if not p.domains)
    found = partner_for(demo_ctx, "pc.demo@police.example.org")
    assert found is not None and found.name == "Kent Police"
    assert load_demo(demo_ctx).partners == 0
