"""The personal-data audit: every place personal data lives, what it holds now (count, oldest), and which of subject
access, erasure and the retention schedule reach it, all read from the code paths themselves (`PLACES`,
`CLASSES`), never from a hand-written copy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..context import AppContext
from .places import PLACES
from .retention import UNSCHEDULED, retention_of


@dataclass(frozen=True)
class AuditRow:
    place: str
    where: str
    holds: str
    count: int
    unit: str
    oldest: datetime | None
    note: str
    subject_access: str
    erasure: str
    retention: str

    def as_json(self) -> dict[str, Any]:
        return {"place": self.place, "where": self.where, "holds": self.holds, "count": self.count,
                "unit": self.unit, "oldest": self.oldest.isoformat() if self.oldest else None, "note": self.note,
                "subject_access": self.subject_access, "erasure": self.erasure, "retention": self.retention}


def _retention(ctx: AppContext, name: str) -> str:
    classes = retention_of(name)
    if not classes:
        return UNSCHEDULED.get(name, "not on the schedule")
    return "; ".join(f"{c.name}: {c.period_text(ctx)} {c.after} ([retention] {c.setting})" for c in classes)


def privacy_audit(ctx: AppContext) -> list[AuditRow]:
    """One row per place, in the order erasure visits them."""
    rows = []
    for place in PLACES:
        survey = place.survey(ctx)
        rows.append(AuditRow(place.name, place.where, place.holds, survey.count, survey.unit, survey.oldest,
                             survey.note, "shown" if not place.copy else "listed (a copy)", place.erasure,
                             _retention(ctx, place.name)))
    return rows
