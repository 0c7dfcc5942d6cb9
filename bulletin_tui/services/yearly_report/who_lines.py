"""The report's "who is who" section: this year's subscribers by organisation type and lawful basis (PECR)."""

from __future__ import annotations

from collections import Counter

from ...domain.organisation import OrganisationType
from ...domain.subscribers import LawfulBasis, MembershipStatus
from ..context import AppContext
from .data import YearFacts
from .document import Block, Heading, Paragraph, Table

BASES = (LawfulBasis.PUBLIC_TASK, LawfulBasis.CONSENT, None)


def who_blocks(ctx: AppContext, facts: YearFacts) -> list[Block]:
    """For the year in progress only, once anyone has a recorded type: subscribers now, by type and basis. Types
    are held as they are today, so an earlier year's report never gains (or, after retention, changes) it."""
    people = [p for p in ctx.store.subscribers.all()
              if any(m.status is MembershipStatus.SUBSCRIBED for m in p.lists.values())]
    if not facts.in_progress or not any(p.organisation_type is not None for p in people):
        return []
    counts = Counter((p.type_and_guessed[0], p.lawful_basis) for p in people)
    guessed = Counter(p.type_and_guessed[0] for p in people if p.type_and_guessed[1])
    rows = [[kind.label.capitalize(), *(f"{counts[kind, basis]:,}" for basis in BASES),
             f"{sum(counts[kind, basis] for basis in BASES):,}", f"{guessed[kind]:,}"] for kind in OrganisationType]
    rows.append(["All", *(f"{sum(counts[kind, basis] for kind in OrganisationType):,}" for basis in BASES),
                 f"{len(people):,}", f"{sum(guessed.values()):,}"])
    return [Heading("Subscribers by organisation type and lawful basis", 2),
            Paragraph("People subscribed to at least one list today. Type guessed: from the address's domain, not "
                      "yet confirmed. Sole traders and individuals receive promotional items only with consent."),
            Table(["Organisation type", "Public task", "Consent", "None recorded", "Total", "Type guessed"], rows,
                  frozenset(range(1, 6)))]
