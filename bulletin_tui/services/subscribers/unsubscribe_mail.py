"""A batch of `mailto:` unsubscribe requests saved as .eml files: find each token, apply it, report per file."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from pathlib import Path

from ...domain.errors import DomainError
from ..context import AppContext
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
    index = reference_index(ctx)
    return [_one(ctx, path, index, trust_sender) for path in eml_files(paths)]


def _one(ctx: AppContext, path: Path, index: dict[str, str], trust_sender: bool) -> MailOutcome:
    try:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    except OSError as exc:
        return MailOutcome(path, error=f"cannot read: {exc.strerror or exc}")
    assert isinstance(message, EmailMessage)
    tokens = find_tokens(f"{message.get('Subject', '')}\n{_body_text(message)}")
    reference = f"{path.name} {message.get('Message-ID', '')}".strip()
    try:
        if tokens:
            result = unsubscribe(ctx, tokens[0], source="unsubscribe e-mail", reference=reference,
                                 token_index=index)
        elif trust_sender and (sender := parseaddr(str(message.get("From", "")))[1]):
            result = unsubscribe(ctx, sender, source="unsubscribe e-mail (sender address)", reference=reference)
        else:
            return MailOutcome(path, error="no unsubscribe token in the subject or body")
    except DomainError as exc:
        return MailOutcome(path, error=str(exc))
    return MailOutcome(path, result.email, tuple(result.lists), tuple(result.already),
                       by_sender=not result.via_token)


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        return str(part.get_content())
    except (LookupError, UnicodeError):
        return ""
