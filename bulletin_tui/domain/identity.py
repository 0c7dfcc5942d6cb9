"""The identity of a person: one canonical form of an e-mail address, used wherever two addresses are compared.

Canonical form (docs/identity.md): trimmed, Unicode NFKC; the domain mapped with
UTS #46 (lower case, full-width and other compatibility forms folded) and written as A-labels (`xn--…`); the
local part keeps its characters (no dot or `+tag` rewriting, lookalikes NFKC does not fold stay distinct) but is
compared without regard to letter case, as every mail system the team writes to treats it.

Display an address as typed; compare it canonical. Schema version 1 compared `NFC(address).lower()` (the *legacy*
form); `legacy_keys()` lists the legacy forms a stored digest of the same person may have been made from.
"""

from __future__ import annotations

import unicodedata


def canonical_email(value: str) -> str:
    """The matching key of an address (idempotent; never raises, also for text that is not an address)."""
    text = value.strip()
    if text.isascii():
        return text.lower()  # NFKC and UTS #46 leave ASCII as it is, apart from case
    for _ in range(4):  # NFKC, lower-casing and IDNA mapping settle in one round in practice; make sure
        settled = _canonical_once(text)
        if settled == text:
            break
        text = settled
    return text


def _canonical_once(text: str) -> str:
    local, at, domain = unicodedata.normalize("NFKC", text).strip().rpartition("@")
    if not at:
        return unicodedata.normalize("NFKC", domain.lower())
    return f"{unicodedata.normalize('NFKC', local.lower())}@{ascii_domain(domain)}"


def ascii_domain(domain: str) -> str:
    """A domain as lower-case A-labels (`bücher.example` -> `xn--bcher-kva.example`); labels IDNA refuses are
    kept lower-cased as they are (the address is then refused later by syntax checks or by the server)."""
    if domain.isascii():  # UTS #46 maps ASCII to lower case: no IDNA tables needed (start-up, speed)
        return domain.lower()
    import idna

    text = unicodedata.normalize("NFKC", domain)
    try:
        text = idna.uts46_remap(text, std3_rules=False, transitional=False)
    except idna.IDNAError:
        text = text.lower()
    return ".".join(_alabel(label) for label in text.split("."))


def _alabel(label: str) -> str:
    if label.isascii():
        return label.lower()
    import idna

    try:
        return idna.alabel(label).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return label


def unicode_domain(domain: str) -> str:
    """A domain with its A-labels shown as Unicode (`xn--bcher-kva.example` -> `bücher.example`)."""
    if "xn--" not in domain.lower():
        return domain
    import idna

    labels = []
    for label in domain.split("."):
        try:
            labels.append(idna.ulabel(label) if label.startswith("xn--") else label)
        except (idna.IDNAError, UnicodeError):
            labels.append(label)
    return ".".join(labels)


def envelope_address(value: str) -> str:
    """The address to write on the envelope and in headers: local part as typed, domain as A-labels.

    It is plain ASCII unless the local part is not (that needs SMTPUTF8 from the server)."""
    text = value.strip()
    local, at, domain = text.rpartition("@")
    if not at or domain.isascii():
        return text
    return f"{local}@{ascii_domain(domain)}"


def legacy_key(value: str) -> str:
    """The matching key of schema version 1: NFC, trimmed, lower-cased as a whole."""
    return unicodedata.normalize("NFC", value.strip()).lower()


def legacy_keys(value: str) -> set[str]:
    """Legacy keys under which the same person may have been stored: the address as given, its canonical
    form, and that form with its domain shown as Unicode (as it was typed before A-labels were used)."""
    canonical = canonical_email(value)
    local, _, domain = canonical.rpartition("@")
    keys = {legacy_key(value), canonical}
    if "xn--" in domain:
        keys.add(legacy_key(f"{local}@{unicode_domain(domain)}"))
    return keys


def address_spellings(value: str) -> set[str]:
    """Every spelling of the address that stored text (replies, file names, headers) may contain."""
    canonical = canonical_email(value)
    local, _, domain = canonical.rpartition("@")
    typed = value.strip()
    spellings = {typed, canonical, envelope_address(typed), legacy_key(typed)}
    if domain:
        spellings.add(f"{local}@{unicode_domain(domain)}")
    return {s for s in spellings if s}
