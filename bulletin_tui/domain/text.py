"""Validators shared by the models: plain one-line text, slugs, links, e-mail addresses."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated

from pydantic import AfterValidator

from .identity import canonical_email

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


def one_line(value: str) -> str:
    """Strip and refuse CR, LF and other control characters (they would break headers and layouts)."""
    value = value.strip()
    if _CONTROL.search(value):
        raise ValueError("must be one line without control characters")
    return value


def multi_line(value: str) -> str:
    """Allow newlines and tabs in longer text, but no other control characters."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", value):
        raise ValueError("contains control characters")
    return value


def slug(value: str) -> str:
    """A short identifier: lower-case letters, digits and hyphens (e.g. `2024-06`)."""
    value = value.strip()
    if not SLUG_RE.match(value):
        raise ValueError("must be lower-case letters, digits and hyphens, starting with a letter or digit")
    return value


def link(value: str) -> str:
    """A link a reader can follow: http(s) or mailto only."""
    value = one_line(value)
    lowered = value.lower()
    if not lowered.startswith(("https://", "http://", "mailto:")):
        raise ValueError("must start with https://, http:// or mailto:")
    if " " in value:
        raise ValueError("must not contain spaces")
    return value


def normalise_email(value: str) -> str:
    """The matching key of an address: its canonical form (`domain/identity.py`); stored addresses keep their
    spelling."""
    return canonical_email(value)


def needs_smtputf8(value: str) -> bool:
    """True when the local part is not ASCII, so the server must support SMTPUTF8."""
    local = value.rpartition("@")[0]
    return not local.isascii()


# Plain ASCII dot-atom@host.tld: the common case, checked without email_validator's 40 us per call.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN_EMAIL = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}")


def _plainly_valid(value: str) -> bool:
    """True only for addresses email_validator also accepts; anything unusual goes to email_validator."""
    if len(value) > 254 or not _PLAIN_EMAIL.fullmatch(value):
        return False
    from email_validator import SPECIAL_USE_DOMAIN_NAMES  # imported on first use (~0.04 s of start-up otherwise)

    local, _, domain = value.rpartition("@")
    labels = domain.lower().split(".")
    special = SPECIAL_USE_DOMAIN_NAMES
    if any(label[2:4] == "--" for label in labels):  # IDNA-reserved shapes: email_validator decides
        return False
    return len(local) <= 64 and not any(".".join(labels[i:]) in special for i in range(len(labels)))


def email_address(value: str) -> str:
    """A syntactically valid address (no DNS lookups); internationalised addresses allowed."""
    value = one_line(value)
    if _plainly_valid(value):
        return value
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid e-mail address ({exc})") from None
    return value


OneLine = Annotated[str, AfterValidator(one_line)]
MultiLine = Annotated[str, AfterValidator(multi_line)]
Slug = Annotated[str, AfterValidator(slug)]
Link = Annotated[str, AfterValidator(link)]
EmailAddress = Annotated[str, AfterValidator(email_address)]


def is_loopback(host: str) -> bool:
    """True for localhost (and *.localhost), 127.0.0.0/8 and ::1: the only places plaintext or http may go."""
    name = host.strip().lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False
