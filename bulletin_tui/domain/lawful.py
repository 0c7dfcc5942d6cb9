"""PECR: who may be sent a promotional item, from their organisation type and the consent they gave per list."""

from __future__ import annotations

from collections.abc import Iterable

from .organisation import OrganisationType
from .subscribers import Subscriber


def needs_consent(person: Subscriber) -> bool:
    """A sole trader or individual (as recorded, else as guessed from the address): promotional content needs
    their consent. Staff of public bodies and companies are corporate subscribers and may be sent it on public
    task."""
    return person.type_and_guessed[0] is OrganisationType.INDIVIDUAL


def may_receive_promotion(person: Subscriber, list_slugs: Iterable[str]) -> bool:
    """True for a corporate subscriber, or an individual whose latest record for one of these lists they are
    subscribed to grants consent (not public task)."""
    if not needs_consent(person):
        return True
    return any(person.is_subscribed(slug) and person.has_consent(slug) for slug in list_slugs)
