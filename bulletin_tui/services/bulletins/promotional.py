"""The PECR pre-send check: a promotional item may not reach a sole trader or individual without their consent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain.bulletins import BulletinItem
from ...domain.lawful import may_receive_promotion
from ...domain.subscribers import DistributionList, Subscriber
from ..context import AppContext
from ..subscribers.people import audience

if TYPE_CHECKING:
    from ...rendering.checks import Finding


def without_consent(ctx: AppContext, list_slugs: list[str]) -> list[Subscriber]:
    """Everyone a send to these lists reaches (each person once) who may not be sent promotional content."""
    reached: dict[str, Subscriber] = {}
    for slug in list_slugs:
        for person in audience(ctx, slug):
            reached.setdefault(person.key, person)
    return [person for person in reached.values() if not may_receive_promotion(person, list_slugs)]


def promotional_findings(ctx: AppContext, items: list[BulletinItem], lists: list[DistributionList]) -> list[Finding]:
    """One blocking finding per promotional item that would reach individuals without consent."""
    from ...rendering.checks import Finding

    findings = []
    for item in (item for item in items if item.promotional):
        slugs = sorted(d.slug for d in lists if d.cleared_for_restricted or not item.restricted)
        people = without_consent(ctx, slugs)
        if not people:
            continue
        guessed = sum(1 for person in people if person.type_and_guessed[1])
        plural = "s" if len(people) != 1 else ""
        count = f"{len(people)} sole trader{plural} or individual{plural}"
        guess_note = f", {guessed} of them typed by a guess from the address" if guessed else ""
        findings.append(Finding("promotional-consent", (
            f"item '{item.id}' ({item.title}) is promotional and would go to {count} without consent for "
            f"{', '.join(slugs)}{guess_note} (PECR): record their consent (subscribers edit EMAIL --basis consent), "
            "correct a wrong type (subscribers edit EMAIL --org-type company), send only to lists where everyone "
            f"consented (--list), or unmark it (bulletin edit-item {item.id} --not-promotional); who they are: "
            "subscribers list --needs-consent"), item_id=item.id, item_title=item.title))
    return findings
