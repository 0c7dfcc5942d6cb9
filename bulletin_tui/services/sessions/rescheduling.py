"""The new times of a session or of one of its dates, from the times typed: a new start alone keeps the length."""

from __future__ import annotations

from datetime import datetime

from ...domain.times import LONDON
from .catalogue import parse_times


def moved_times(current_start: datetime, current_end: datetime, start: str | None, end: str | None, *,
                fold: int | None = None) -> dict[str, datetime]:
    """The `start` and `end` changes (none when neither is given), as London times.

    A start alone keeps the length; an end alone keeps the start; an end as "HH:MM" is on the start's day."""
    if not (start or end):
        return {}
    if start and not end:
        new_start = parse_times(start, "00:00", fold=fold)[0]
        return {"start": new_start, "end": new_start + (current_end - current_start)}
    local = current_start.astimezone(LONDON)
    new_start, new_end = parse_times(start or f"{local:%Y-%m-%d %H:%M}", str(end), fold=fold)
    return {"start": new_start, "end": new_end}
