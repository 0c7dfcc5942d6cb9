"""The demo's multi-date training: the ASB Tools & Powers CPD (kcst-facts S08: four one-day face-to-face sessions at
venues provided by district/borough partners, up to 16 places each, 64 in all), placed in the coming weeks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ...domain.sessions import InfoSession, Occurrence, SessionFormat, SessionKind
from ...domain.times import london_time
from ..context import AppContext
from .schedule import training_dates, training_slug

VENUE = "To be confirmed (district/borough partner)"  # the papers name no venue
PLACES = 16
PLACEHOLDER = "Placeholder times for the demo: the source papers say a full day, not the hours."


def _date(ctx: AppContext, slug: str, number: int, day: date, new_uid: Any) -> Occurrence:
    return Occurrence(
        id=str(number),
        start=london_time(datetime(day.year, day.month, day.day, 9, 30)),
        end=london_time(datetime(day.year, day.month, day.day, 16, 0)),
        venue=VENUE,
        format=SessionFormat.IN_PERSON,
        capacity=PLACES,
        uid=new_uid(ctx, f"{slug}-{number}"),
    )


def asb_cpd(ctx: AppContext, raws: list[dict[str, Any]], now: datetime, new_uid: Any) -> InfoSession | None:
    """The S08 training as one session on four dates, 16 places each (None if the facts lack S08)."""
    raw = next((r for r in raws if r.get("id") == "S08"), None)
    if raw is None:
        return None
    slug = training_slug(now)
    dates = [_date(ctx, slug, n, day, new_uid) for n, day in enumerate(training_dates(now), start=1)]
    return InfoSession(
        slug=slug,
        title=f"{raw['title']} (demo)",
        kind=SessionKind.TRAINING,
        format=SessionFormat.IN_PERSON,
        start=dates[0].start,
        end=dates[-1].end,
        description=PLACEHOLDER,
        venue=VENUE,
        capacity=PLACES,
        topics=list(raw.get("topics") or []),
        speakers=list(raw.get("speakers_organisations") or [])[:8],
        uid=dates[0].uid,
        created_at=ctx.clock.now(),
        occurrences=dates,
    )
