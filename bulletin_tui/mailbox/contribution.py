"""A partner's e-mail read as a draft bulletin item: title, summary, links, contact, attachments (listed, never
kept here), a guessed category and a closing date when one is stated plainly. Pure: no database, no files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from email.message import Message
from email.utils import parseaddr, parsedate_to_datetime

from ..domain.bulletins import Category
from .dates import closing_date
from .htmltext import html_to_text, strip_markers
from .links import find_links
from .message import Mail, header, part_text, walk
from .ownwords import is_preamble, own_words, paragraphs

SUMMARY_LIMIT = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\x85]")
_SUBJECT_TAG = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|sv|tr|wg)\s*(?:\[\d+\])?\s*:|\[[^\]]{1,40}\]|\((?:external|"
    r"official|ext)\)|\*{1,3}\s*external\s*\*{1,3}|(?:external|official(?:[- ]sensitive)?)\s*:"
    r"|(?:item|contribution|submission|update)s?\s+for\s+(?:the\s+)?(?:next\s+)?(?:e-?)?bulletin\s*:"
    r"|(?:e-?bulletin|bulletin)\s+(?:item|contribution|submission|update)\s*:)\s*",
    re.I,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:\[[^\]]{1,40}\]\s*)*(?:fw|fwd|wg|tr)\s*:", re.I)
_RULES: list[tuple[Category, re.Pattern[str]]] = [
    (Category.FUNDING, re.compile(r"\b(grants?|funding|fund|bids?|closing date|apply by|applications? close)\b")),
    (
        Category.TRAINING,
        re.compile(
            r"\b(training|courses?|workshops?|webinars?|e-?learning|cpd|masterclass"
            r"|seminars?)\b"
        ),
    ),
    (Category.CAMPAIGN, re.compile(r"\b(campaigns?|awareness (week|day|month)|days? of action|week of action)\b")),
    (
        Category.PUBLICATION,
        re.compile(
            r"\b(published|publish(es|ing)?|publication|report|toolkit|guidance|"
            r"strategy|leaflet|resource pack|briefing)\b"
        ),
    ),
]


@dataclass(frozen=True)
class Attachment:
    """A file that came with the message: listed on the draft, saved only when a person keeps it."""

    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class Contribution:
    """What a draft item is made of."""

    title: str
    summary: str
    category: Category
    links: list[str] = field(default_factory=list)
    closing_date: date | None = None
    contact_name: str = ""
    contact_email: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: bool = False


def clean_subject(subject: str) -> str:
    """The subject without Re:/Fwd:/FW: prefixes, [EXTERNAL]-style tags or "Item for the bulletin:" labels."""
    text, previous = " ".join(_printable(subject).split()), None
    while text != previous:
        previous, text = text, _SUBJECT_TAG.sub("", text, count=1)
    return text.strip(" -:")


def guess_category(text: str) -> Category:
    """Funding (grant, closing date), training, campaign or awareness, publication; else news."""
    lowered = text.lower()
    return next((category for category, rule in _RULES if rule.search(lowered)), Category.NEWS)


def _body(message: Message) -> tuple[str, Message]:
    """The first text/plain part (else text/html as text) and the message it belongs to: an attached forwarded
    message (message/rfc822) wins over a forwarder's note."""
    for part in walk(message):
        if part.get_content_type() == "message/rfc822" and part.is_multipart():
            inner = part.get_payload(0)
            if isinstance(inner, Message):
                return _body(inner)[0], inner
    plain = html = ""
    for part in walk(message):
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        if part.get_content_type() == "text/plain" and not plain:
            plain = part_text(part)
        elif part.get_content_type() == "text/html" and not html:
            html = part_text(part)
    return (_printable(plain) if plain.strip() else html_to_text(_printable(html))), message


def _printable(text: str) -> str:
    """Control characters (bar line breaks and tabs) as spaces: they are no text, and would pose as link markers."""
    return _CONTROL.sub(" ", text)


def attachments(message: Message) -> list[Attachment]:
    """Files attached (inline images in a signature are not attachments); their sizes decoded."""
    found = []
    for part in walk(message):
        if part.is_multipart():
            continue
        disposition, filename = part.get_content_disposition(), part.get_filename()
        if disposition == "attachment" or (filename and disposition != "inline"):
            try:
                payload = part.get_payload(decode=True)
            except (ValueError, LookupError, TypeError):
                payload = b""
            size = len(payload) if isinstance(payload, bytes) else 0
            found.append(Attachment(" ".join((filename or "unnamed").split())[:200], part.get_content_type(), size))
    return found


def _summary(kept: str) -> str:
    chosen = next((p for p in paragraphs(kept) if not is_preamble(strip_markers(p))), "")
    text = " ".join(strip_markers(chosen).split())
    if len(text) <= SUMMARY_LIMIT:
        return text
    cut = text[:SUMMARY_LIMIT].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _received(mail: Mail) -> date | None:
    try:
        return parsedate_to_datetime(header(mail.message, "Date")).date()
    except (TypeError, ValueError, IndexError):
        return None


def extract(mail: Mail) -> Contribution:
    """The draft item a message offers (never raises for a message that parsed)."""
    text, _source = _body(mail.message)
    forwarded = bool(_FORWARD_SUBJECT.match(mail.subject)) or _source is not mail.message
    kept = own_words(text, forwarded=forwarded and _source is mail.message)
    summary = _summary(kept)
    title = clean_subject(mail.subject) or (summary[:80].rsplit(" ", 1)[0] if summary else "Untitled contribution")
    plain_kept = strip_markers(kept)
    name, address = parseaddr(header(mail.message, "From"))
    return Contribution(
        title=title[:200],
        summary=summary,
        category=guess_category(f"{title}\n{plain_kept}"),
        links=find_links(kept),
        closing_date=closing_date(plain_kept, _received(mail)),
        contact_name=" ".join(name.split())[:200],
        contact_email=address if "@" in address else "",
        attachments=attachments(mail.message),
        forwarded=forwarded,
    )
