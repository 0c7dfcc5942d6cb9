"""A batch of `mailto:` unsubscribe requests saved as .eml files: find each token, apply it, report per file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path

from ...domain.errors import DomainError
from ..context import AppContext
from ..inputs.files import EML_MAX_BYTES, read_user_file
from ..subscribers.people import unsubscribe
from ..subscribers.tokens import find_tokens, reference_index


@dataclass(frozen=True)
class MailOutcome:
    """The result for one saved message: which lists it left, or why nothing was done."""

    path: Path
    email: str = ""
    lists: tuple[str, ...] = ()
    already: tuple[str, ...] = ()
    error: str = ""
    by_sender: bool = False


def eml_files(paths: list[Path]) -> list[Path]:
    """The .eml files named, or inside the folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        found += sorted(path.glob("*.eml")) if path.is_dir() else [path]
    return found


def process_unsubscribe_mail(ctx: AppContext, paths: list[Path], *, trust_sender: bool = False) -> list[MailOutcome]:
    """Apply every request; a bad file is an outcome, never a stop. Without a token, the sender's
    address is used only with `trust_sender` (a From header can be forged)."""
    built: list[dict[str, str]] = []

    def index() -> dict[str, str]:  # built on the first token found: a batch without one needs no key
        if not built:
            built.append(reference_index(ctx))
        return built[0]

    return [_one(ctx, path, index, trust_sender) for path in eml_files(paths)]


def _one(ctx: AppContext, path: Path, index: Callable[[], dict[str, str]], trust_sender: bool) -> MailOutcome:
    try:
        raw = read_user_file(path, EML_MAX_BYTES, "an e-mail file")
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        tokens = find_tokens(f"{_header(message, 'Subject')}\n{_body_text(message)}")
        reference = f"{path.name} {_header(message, 'Message-ID')}".strip()
        sender = _sender(message) if trust_sender and not tokens else ""
    except DomainError as exc:  # missing, not a regular file, too big: the outcome names the file already
        return MailOutcome(path, error=str(exc).removeprefix(str(path)).removeprefix(":").strip())
    except MalformedMailError as exc:
        return MailOutcome(path, error=str(exc))
    try:
        if tokens:
            result = unsubscribe(ctx, tokens[0], source="unsubscribe e-mail", reference=reference,
                                 token_index=index())
        elif sender:
            result = unsubscribe(ctx, sender, source="unsubscribe e-mail (sender address)", reference=reference)
        else:
            return MailOutcome(path, error="no unsubscribe token in the subject or body")
    except DomainError as exc:
        return MailOutcome(path, error=str(exc))
    return MailOutcome(path, result.email, tuple(result.lists), tuple(result.already),
                       by_sender=not result.via_token)


class MalformedMailError(ValueError):
    """A saved message whose header needed for this request cannot be read."""


def _header(message: EmailMessage, name: str) -> str:
    """A header as text; the raw text when the email package's parser fails on it (it raises IndexError,
    AttributeError and others on some malformed headers, e.g. `From: "a" <`)."""
    try:
        return str(message.get(name, ""))
    except Exception:
        return next((str(value) for key, value in message.raw_items() if key.lower() == name.lower()), "")


def _sender(message: EmailMessage) -> str:
    """The one address in From, or MalformedMailError saying what is wrong with it."""
    raw = _header(message, "From")
    addresses = [address for _, address in getaddresses([raw]) if address]
    if len(addresses) != 1 or "@" not in addresses[0].strip("@"):
        shown = " ".join(raw.split())[:80] or "(empty)"
        raise MalformedMailError(f"no token, and the From header is not one address: {shown!r}")
    return addresses[0]


def _body_text(message: EmailMessage) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        return "" if part is None else str(part.get_content())
    except Exception:  # a damaged body (bad charset, broken MIME) holds no token we could trust
        return ""
