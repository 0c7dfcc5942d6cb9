"""What one place where personal data lives must offer: a survey for the audit, what subject access shows from it
and what erasure does to it. `places.PLACES` lists them all; subject access, erasure, the retention schedule and
the audit each iterate that one list, so a place cannot be added to one and missed by the others."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...domain.identity import address_spellings
from ...domain.text import normalise_email
from ..context import AppContext

if TYPE_CHECKING:
    from .subject import ErasureReport


@dataclass
class Person:
    """The person a subject access or erasure is about: the address as given, its canonical key and every spelling
    stored text may hold (as typed, canonical, A-label or Unicode domain, as registered, as subscribed)."""

    email: str
    key: str
    spellings: set[str]

    @classmethod
    def of(cls, ctx: AppContext, email: str) -> Person:
        key = normalise_email(email)
        spellings = address_spellings(email) | {r.email for r in ctx.store.registrations if r.key == key}
        person = ctx.store.subscribers.get(key)
        return cls(email.strip(), key, spellings | ({person.email} if person else set()))

    def in_bytes(self, data: bytes) -> bool:
        """Does this text (any case) hold one of the person's spellings?"""
        lowered = data.lower()
        return any(s.lower().encode() in lowered for s in self.spellings)


@dataclass(frozen=True)
class Survey:
    """What a place holds now: how many records (or files, or lines) with personal data, and the oldest's date."""

    count: int
    unit: str
    oldest: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class Held:
    """What subject access found in one place: JSON fragments (merged into the answer) and how many records."""

    data: dict[str, Any]
    count: int


@dataclass(frozen=True)
class Place:
    """One place personal data lives. `subject` and `erase` are required: a place nobody can search or erase is not
    allowed in (a copy that erasure cannot reach, such as a backup, is reported by its `erase` with its expiry)."""

    name: str
    where: str
    holds: str
    survey: Callable[[AppContext], Survey]
    subject: Callable[[AppContext, Person], Held]
    erase: Callable[[AppContext, Person, ErasureReport], int]
    erasure: str
    """What erasure does here, in a few words (removed, made anonymous, reported until it expires...)."""
    tables: tuple[str, ...] = ()
    """Database tables this place is (checked by a test against every table a real database has)."""
    paths: tuple[str, ...] = ()
    """Folders and files in the data folder this place is (likewise checked against the folder)."""
    copy: bool = False
    """A copy of what the other places hold (backups, exports): not a reason on its own to say a person is known."""
    after_write: bool = field(default=False)
    """Erased after the database write (it reports what the write left behind: backups, exports)."""


def oldest_of(moments: list[datetime | None]) -> datetime | None:
    found = [m for m in moments if m is not None]
    return min(found) if found else None


def relative(ctx: AppContext, path: Path) -> str:
    """A path in the data folder as the operator would type it after --data-dir."""
    try:
        return str(path.relative_to(ctx.data_dir))
    except ValueError:
        return str(path)
