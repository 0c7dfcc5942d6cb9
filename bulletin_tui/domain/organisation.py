"""Who is who: a subscriber's organisation type, and the guess of it from the address's domain (PECR).

Staff of corporate bodies (councils, police, NHS, companies, charities) may be sent the bulletin on the council's
public task; individuals and sole traders (personal mail addresses) need consent where the content is promotional.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OrganisationType(StrEnum):
    PUBLIC_BODY = "public-body"
    COMPANY = "company"
    INDIVIDUAL = "individual"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, text: str) -> OrganisationType | None:
        """A type from how people write it (`Public body`, `NHS`, `sole trader`, `company`...), else None."""
        return _SPELLINGS.get(" ".join(text.replace("-", " ").replace("_", " ").lower().split()))


_LABELS = {
    OrganisationType.PUBLIC_BODY: "public body",
    OrganisationType.COMPANY: "company or other corporate body",
    OrganisationType.INDIVIDUAL: "sole trader or individual",
}
_SPELLINGS: dict[str, OrganisationType] = {
    **{word: OrganisationType.PUBLIC_BODY for word in (
        "public body", "public", "public sector", "council", "local authority", "police", "nhs", "government",
        "school", "fire and rescue")},
    **{word: OrganisationType.COMPANY for word in (
        "company", "company or other corporate body", "corporate", "corporate body", "business", "charity",
        "voluntary", "voluntary sector", "housing association", "other", "organisation", "private sector")},
    **{word: OrganisationType.INDIVIDUAL for word in (
        "individual", "sole trader", "sole trader or individual", "personal", "private individual", "resident",
        "volunteer")},
}

PERSONAL_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "hotmail.co.uk", "hotmail.com", "outlook.com", "outlook.co.uk", "live.co.uk",
    "live.com", "msn.com", "yahoo.co.uk", "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com",
    "aol.co.uk", "btinternet.com", "btopenworld.com", "sky.com", "virginmedia.com", "ntlworld.com",
    "blueyonder.co.uk", "talktalk.net", "tiscali.co.uk", "protonmail.com", "proton.me", "pm.me", "gmx.com",
    "gmx.co.uk", "mail.com", "zoho.com", "tutanota.com", "fastmail.com", "hotmail.fr", "yahoo.fr",
})
"""Webmail and consumer ISP domains: an address here is a person's own, not an organisation's."""

PUBLIC_BODY_SUFFIXES = (
    "gov.uk", "police.uk", "nhs.net", "nhs.uk", "sch.uk", "parliament.uk", "mod.uk", "gov.scot", "gov.wales",
    "llyw.cymru", "fire-uk.org",
)
"""Second-level and shared domains only public bodies can register (gov.uk, police.uk, nhs.uk, sch.uk,
parliament.uk, mod.uk and the devolved governments'), plus nhs.net (the NHS's own mail service) and fire-uk.org,
the domain fire and rescue services share (Kent Fire and Rescue Service: kent.fire-uk.org)."""


@dataclass(frozen=True)
class TypeGuess:
    """A type guessed from an address, and whether the domain is one we know (else it is only a guess)."""

    type: OrganisationType
    known_domain: bool

    def describe(self) -> str:
        return self.type.label + ("" if self.known_domain else " (a guess: domain not known)")


def mail_domain(email: str) -> str:
    """The part after the last `@`, lower-cased, without a trailing dot."""
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def guess_type(email: str) -> TypeGuess:
    """Personal mail domains -> individual; public-body domains (and their subdomains) -> public body; anything
    else -> company or other corporate body, as a guess."""
    domain = mail_domain(email)
    if domain in PERSONAL_MAIL_DOMAINS:
        return TypeGuess(OrganisationType.INDIVIDUAL, True)
    if any(domain == suffix or domain.endswith("." + suffix) for suffix in PUBLIC_BODY_SUFFIXES):
        return TypeGuess(OrganisationType.PUBLIC_BODY, True)
    return TypeGuess(OrganisationType.COMPANY, False)
