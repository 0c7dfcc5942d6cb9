"""Text recorded about a delivery: why a message could not be built, and replies without the recipient's address
(server replies and outbox file names may quote it).

Ledgers keep the address in one field (`email`, removed on erasure) and nowhere else, so a reply text never has to
be found and redacted later (issue #11 item 16)."""

from __future__ import annotations

import re

from ..domain.errors import DomainError
from ..domain.identity import address_spellings

PLACEHOLDER = "[recipient]"
_UNSAFE_IN_FILE_NAMES = re.compile(r"[^A-Za-z0-9._@+-]")
"""What the outbox transport replaces with `_` in a file name (`OutboxTransport`)."""
_FILE_NAME_LIMIT = 80
"""How much of the address an outbox file name keeps."""


def without_address(text: str, email: str, placeholder: str = PLACEHOLDER) -> str:
    """`text` with every spelling of the address (as typed, canonical, A-label or Unicode domain, as an outbox
    file name spells it) replaced by `placeholder`, ignoring case."""
    if not text or not email.strip():
        return text
    lowered = text.lower()
    if email.isascii() and email.strip().rpartition("@")[0].lower() not in lowered:
        return text  # the common case (`250 2.0.0 Ok: queued as …`), decided without building any spelling
    forms = {form for form in _forms(email) if form.lower() in lowered}
    if not forms:
        return text
    pattern = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.sub(pattern, placeholder, text, flags=re.IGNORECASE)


def _forms(email: str) -> set[str]:
    spellings = address_spellings(email)
    in_file_names = {_UNSAFE_IN_FILE_NAMES.sub("_", s) for s in spellings}
    return spellings | in_file_names | {s[:_FILE_NAME_LIMIT] for s in in_file_names if len(s) > _FILE_NAME_LIMIT}


def build_error(exc: Exception) -> str:
    """Why a message could not be built, in one line (the rule broken, or the unexpected error's name)."""
    text = " ".join(str(exc).split())
    if isinstance(exc, DomainError):
        return text
    return f"the message could not be built ({type(exc).__name__}: {text})"[:300]


_ANY_ADDRESS = re.compile(r"[^\s<>()\[\]{}\"',;:@]+@[^\s<>()\[\]{}\"',;:@]+")


def without_addresses(text: str, placeholder: str = "[address]") -> str:
    """`text` with everything shaped like an e-mail address replaced, for lines that keep counts and ids only (the
    worker's log and status): an error that quotes someone's address never carries it on."""
    return _ANY_ADDRESS.sub(placeholder, text) if "@" in text else text
