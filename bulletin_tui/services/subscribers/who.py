"""Who is who: correcting a person's organisation type and recording the lawful basis they are mailed on."""

from __future__ import annotations

from dataclasses import dataclass

from ...domain.errors import DomainError
from ...domain.lawful import may_receive_promotion
from ...domain.organisation import OrganisationType
from ...domain.subscribers import ConsentAction, ConsentRecord, LawfulBasis, Subscriber
from ..context import AppContext, one_write
from ..subscribers.lists import resolve_list
from ..subscribers.people import get_subscriber


@dataclass(frozen=True)
class WhoChange:
    """The person after the change, and the lists whose basis was recorded afresh."""

    person: Subscriber
    basis_lists: list[str]


@one_write
def set_who(
    ctx: AppContext, email: str, *, organisation_type: OrganisationType | None = None,
    basis: LawfulBasis | None = None, list_name: str | None = None, reference: str = "",
) -> WhoChange:
    """Set the organisation type (as confirmed by a person, no longer a guess) and/or record the lawful basis for
    the lists they are subscribed to (or one list): a consent record each, kept as evidence; one save."""
    person = get_subscriber(ctx, email)
    now, slugs = ctx.clock.now(), []
    if organisation_type is not None:
        person.organisation_type, person.organisation_type_guessed = organisation_type, False
    if basis is not None:
        slugs = _subscribed_lists(ctx, person, list_name)
        person.consent = [*person.consent, *(
            ConsentRecord(at=now, action=ConsentAction.GRANTED, list_slug=slug, basis=basis, source="operator",
                          reference=reference or f"lawful basis set to {basis.value}", operator=ctx.operator)
            for slug in slugs)]
    if organisation_type is None and basis is None:
        raise DomainError("nothing to change: give --org-type and/or --basis")
    person.updated_at = now
    return WhoChange(ctx.store.subscribers.put(person), slugs)


def _subscribed_lists(ctx: AppContext, person: Subscriber, list_name: str | None) -> list[str]:
    if list_name is not None:
        slug = resolve_list(ctx, list_name).slug
        if not person.is_subscribed(slug):
            raise DomainError(f"{person.email} is not subscribed to {slug}; add them with: bulletin-tui subscribers "
                              f"add {person.email} --list {slug} --basis consent")
        return [slug]
    slugs = sorted(slug for slug in person.lists if person.is_subscribed(slug))
    if not slugs:
        raise DomainError(f"{person.email} is not subscribed to any list, so there is no basis to record")
    return slugs


def needing_consent(people: list[Subscriber], list_slug: str | None = None) -> list[Subscriber]:
    """Those subscribed (to the list, or to any) who may not be sent promotional content on those lists."""
    found = []
    for person in people:
        slugs = [list_slug] if list_slug else [slug for slug in person.lists if person.is_subscribed(slug)]
        if any(person.is_subscribed(slug) for slug in slugs) and not may_receive_promotion(person, slugs):
            found.append(person)
    return found
