"""Subject access as sections, one per place personal data lives (`places.PLACES`), each with what it is, how
many records it holds about the person and those records: what the terminal app shows. The JSON answer
(`subject.subject_access`) is what is saved and sent to the person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from ...domain.errors import NotFoundError
from ...storage.outputs import write_output
from ..context import AppContext
from .place import Person
from .places import PLACES
from .subject import EXTERNAL_COPIES, subject_access


@dataclass(frozen=True)
class PlaceHeld:
    """One place and what it holds about the person."""

    name: str
    where: str
    holds: str
    erasure: str
    count: int
    copy: bool
    data: dict[str, Any]

    @property
    def title(self) -> str:
        """`Session mail`, `Send ledgers`..."""
        return self.name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class SubjectAccessView:
    email: str
    generated_at: datetime
    controller: str
    places: list[PlaceHeld]
    not_covered: str

    @property
    def records(self) -> int:
        """Records held in the places that are not copies of the others (backups, exports)."""
        return sum(place.count for place in self.places if not place.copy)


def subject_access_view(ctx: AppContext, email: str) -> SubjectAccessView:
    """Every place, in the order erasure visits them, with its records about `email`; NotFoundError if nothing
    at all is held (as `subject_access`)."""
    person = Person.of(ctx, email)
    places = []
    for place in PLACES:
        held = place.subject(ctx, person)
        places.append(PlaceHeld(place.name, place.where, place.holds, place.erasure, held.count, place.copy,
                                held.data))
    view = SubjectAccessView(person.email, ctx.clock.now(), ctx.settings.sender.team_name, places, EXTERNAL_COPIES)
    if not view.records:
        raise NotFoundError(f"nothing is held about {person.email}")
    return view


def write_subject_access(ctx: AppContext, email: str, path: Path) -> Path:
    """The JSON answer to a subject access request, written atomically (mode 0600; outside the data folder or in
    its exports/, which erasure scans); returns where it went."""
    data = subject_access(ctx, email)
    return write_output(path, orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS),
                        ctx.data_dir)
