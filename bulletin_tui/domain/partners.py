"""Known partner organisations: who they are and which senders speak for them (addresses and e-mail domains).

A sender is known when its address, or its domain or a parent domain of it, is registered. Addresses and domains
are compared in the project's canonical form (`identity.py`); they are shown as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from pydantic import Field, field_validator

from .base import Model
from .identity import ascii_domain, canonical_email
from .text import EmailAddress, OneLine, Slug

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def partner_domain(value: str) -> str:
    """A bare e-mail domain (`kent.police.uk`; a leading `@` or `*.` is dropped), as lower-case A-labels."""
    text = value.strip().lower().removeprefix("@").removeprefix("*.").rstrip(".")
    domain = ascii_domain(text)
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or len(domain) > 253:
        raise ValueError(f"'{value}' is not an e-mail domain (like kent.police.uk)")
    return domain


def partner_slug(name: str) -> str:
    """A short key from the name (`Kent Fire and Rescue Service (KFRS)` -> `kent-fire-and-rescue-service-kfrs`)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-") or "partner"


class Partner(Model):
    """A partner organisation whose e-mails to the team mailbox are offered as draft bulletin items."""

    slug: Slug
    name: OneLine = Field(min_length=1, max_length=200)
    type: OneLine = Field(default="", max_length=100, description="responsible authority, charity, board…")
    domains: list[str] = Field(default_factory=list, description="e-mail domains; sub-domains count too")
    addresses: list[EmailAddress] = Field(default_factory=list, description="individual addresses, as typed")
    note: OneLine = Field(default="", max_length=300)
    created_at: datetime

    @field_validator("domains")
    @classmethod
    def _domains(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(partner_domain(v) for v in values))

    @field_validator("addresses")
    @classmethod
    def _addresses(cls, values: list[str]) -> list[str]:
        unique: dict[str, str] = {}
        for value in values:
            unique.setdefault(canonical_email(value), value)
        return list(unique.values())


def parent_domains(domain: str) -> list[str]:
    """The domain and each parent with at least two labels, most specific first (`a.b.uk`, `b.uk`)."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def match_partner(partners: Iterable[Partner], address: str) -> Partner | None:
    """The partner an address speaks for: its own address first, else the most specific registered domain."""
    key = canonical_email(address)
    local, at, domain = key.rpartition("@")
    if not at or not local or not domain:
        return None
    known = list(partners)
    for partner in known:
        if any(canonical_email(a) == key for a in partner.addresses):
            return partner
    for candidate in parent_domains(domain):
        for partner in known:
            if candidate in partner.domains:
                return partner
    return None
