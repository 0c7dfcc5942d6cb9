"""Subscribers, distribution lists and the consent history behind each membership."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field, SerializationInfo, SerializerFunctionWrapHandler, field_validator, model_serializer

from .base import Model
from .organisation import OrganisationType, guess_type
from .text import EmailAddress, OneLine, Slug, needs_smtputf8, normalise_email

TOPICS = (
    "Domestic Abuse", "Violence Against Women and Girls (VAWG)", "Safeguarding Vulnerable People",
    "Serious Violence and Organised Crime", "Preventing Neighbourhood Crime & ASB", "Preventing Extremism and Hate",
    "Substance Misuse", "Road Safety", "Early Intervention, Prevention and Education",
    "Improve Quality of Life and Enhance Community Resilience", "Support Mental Health and Wellbeing",
    "Reduce Re-Offending and Support Victims", "Response and Recovery from Significant Community Events",
)
"""The KCSA priorities and cross-cutting themes subscribers can follow; other topics are kept as given."""
_TOPIC_OF = {t.casefold(): t for t in TOPICS} | {
    "vawg": TOPICS[1], "asb": TOPICS[4], "anti-social behaviour": TOPICS[4],
}


def canonical_topic(value: str) -> str:
    """A known topic in its usual spelling (matched case-insensitively), else the text as given."""
    cleaned = " ".join(value.split())
    return _TOPIC_OF.get(cleaned.casefold(), cleaned)


class LawfulBasis(StrEnum):
    CONSENT = "consent"
    PUBLIC_TASK = "public task"


class ConsentAction(StrEnum):
    GRANTED = "granted"
    WITHDRAWN = "withdrawn"


class MembershipStatus(StrEnum):
    SUBSCRIBED = "subscribed"
    UNSUBSCRIBED = "unsubscribed"


class ConsentRecord(Model):
    """One append-only entry of a person's consent history for one list."""

    at: datetime
    action: ConsentAction
    list_slug: Slug
    basis: LawfulBasis = LawfulBasis.CONSENT
    source: OneLine = Field(description="how: email request, import, form, unsubscribe link, operator")
    reference: OneLine = Field(default="", description="wording, file name or message reference")
    operator: OneLine = ""


class Membership(Model):
    status: MembershipStatus
    changed_at: datetime
    token_version: int = Field(default=0, ge=0, description="raised on every re-subscribe so older tokens die")


class DistributionList(Model):
    slug: Slug
    name: OneLine = Field(min_length=1, max_length=80)
    description: OneLine = ""
    cleared_for_restricted: bool = False
    public: bool = Field(default=False, description="offered on the web sign-up page (never a restricted list)")
    created_at: datetime


class Subscriber(Model):
    email: EmailAddress
    name: OneLine = Field(default="", max_length=200)
    organisation: OneLine = Field(default="", max_length=200)
    role: OneLine = Field(default="", max_length=200)
    area: OneLine = Field(default="", max_length=100, description="district or area, e.g. Swale")
    topics: list[OneLine] = Field(default_factory=list)
    lists: dict[str, Membership] = Field(default_factory=dict)
    consent: list[ConsentRecord] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime
    organisation_type: OrganisationType | None = Field(default=None, description="None: guessed from the address")
    organisation_type_guessed: bool = Field(default=False, description="set from the address, not by a person")

    @model_serializer(mode="wrap")
    def _omit_unset_type(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> dict[str, Any]:
        """A record without a type is stored as before it had one (its shape and import fingerprints unchanged)."""
        data: dict[str, Any] = handler(self)
        if self.organisation_type is None:
            data.pop("organisation_type", None)
        if not self.organisation_type_guessed:
            data.pop("organisation_type_guessed", None)
        return data

    @property
    def type_and_guessed(self) -> tuple[OrganisationType, bool]:
        """The organisation type, and whether it is a guess from the address (never confirmed by a person)."""
        if self.organisation_type is None:
            return guess_type(self.email).type, True
        return self.organisation_type, self.organisation_type_guessed

    def basis_for(self, list_slug: str) -> LawfulBasis | None:
        """The lawful basis of their latest consent record for the list, if it grants (None: none, or withdrawn)."""
        latest = next((c for c in reversed(self.consent) if c.list_slug == list_slug), None)
        return latest.basis if latest is not None and latest.action is ConsentAction.GRANTED else None

    def has_consent(self, list_slug: str) -> bool:
        """Their latest record for the list grants it on consent (not public task)."""
        return self.basis_for(list_slug) is LawfulBasis.CONSENT

    @property
    def lawful_basis(self) -> LawfulBasis | None:
        """Consent if any list they are subscribed to rests on it, else public task if one does, else None."""
        bases = {self.basis_for(slug) for slug in self.lists if self.is_subscribed(slug)}
        return next((basis for basis in (LawfulBasis.CONSENT, LawfulBasis.PUBLIC_TASK) if basis in bases), None)

    @property
    def key(self) -> str:
        """The matching key: the canonical form of the address (`domain/identity.py`)."""
        return normalise_email(self.email)

    @property
    def smtputf8(self) -> bool:
        return needs_smtputf8(self.email)

    @field_validator("lists")
    @classmethod
    def _list_slugs(cls, value: dict[str, Membership]) -> dict[str, Membership]:
        from .text import slug

        for name in value:
            slug(name)
        return value

    def is_subscribed(self, list_slug: str) -> bool:
        membership = self.lists.get(list_slug)
        return membership is not None and membership.status is MembershipStatus.SUBSCRIBED


def subscribed_at(person: Subscriber, moment: datetime) -> bool:
    """Was this person on any list at that instant? From the consent history, else the membership dates."""
    latest: dict[str, tuple[datetime, ConsentAction]] = {}
    for record in person.consent:
        if record.at <= moment and (record.list_slug not in latest or record.at >= latest[record.list_slug][0]):
            latest[record.list_slug] = (record.at, record.action)
    if latest:
        return any(action is ConsentAction.GRANTED for _, action in latest.values())
    if person.created_at > moment:
        return False
    return any(m.status is MembershipStatus.SUBSCRIBED or m.changed_at > moment for m in person.lists.values())


class SuppressionEntry(Model):
    """One suppressed address, held only as a keyed HMAC of its normalised form."""

    digest: str = Field(min_length=16, max_length=128)
    reason: OneLine = Field(min_length=1, max_length=200)
    at: datetime
    operator: OneLine = ""
    campaign: OneLine = Field(default="", max_length=200, description="the campaign whose bounce created it")
    reply: OneLine = Field(default="", max_length=300, description="that bounce's server reply (no address)")


class ImportRecord(Model):
    """An import as consent evidence, with what is needed to undo it exactly."""

    id: Slug
    file_name: OneLine
    file_sha256: str
    list_slug: Slug
    basis: LawfulBasis = LawfulBasis.CONSENT
    at: datetime
    operator: OneLine = ""
    counts: dict[str, int] = Field(default_factory=dict)
    before: dict[str, dict[str, Any]] = Field(default_factory=dict, description="previous records it changed")
    after: dict[str, str] = Field(default_factory=dict, description="fingerprint of each record it wrote "
                                  "(keys not in `before` were created by it)")
    undone_at: datetime | None = None
    undone_by: OneLine = ""
    undo_left: dict[str, OneLine] = Field(default_factory=dict, description="records the undo left because they "
                                          "changed after the import: key -> address and what changed")
    undo_kept_withdrawals: list[str] = Field(default_factory=list, description="keys whose withdrawn consent "
                                             "the undo kept (undo never re-subscribes)")


class AuditEntry(Model):
    """One line of the privacy audit trail; never holds an address."""

    id: Slug
    at: datetime
    action: OneLine
    detail: OneLine = ""
    operator: OneLine = ""
