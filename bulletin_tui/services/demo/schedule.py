"""Where the demo puts its dated records, relative to "now" as a London calendar date.

The draft issue is this month's; two online sessions fall on the Thursday on or after 3 and 6 weeks from today; the
multi-date training on the Tuesdays on or after 4, 5, 7 and 8 weeks. Tests derive the same slugs from their fixed
instant with these functions rather than writing a month that only holds in one part of the year.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ...domain.times import LONDON

THURSDAY, TUESDAY = 3, 1
ONLINE_SESSIONS = (
    (3, "Community Safety Information Session (lunchtime learning, demo)", "CSIS"),
    (6, "DHR learning webinar (demo)", "DHR learning webinar"),
)
TRAINING_WEEKS = (4, 5, 7, 8)


def london_today(now: datetime) -> date:
    """The date in London at `now` (just after midnight in summer it is already tomorrow there)."""
    return now.astimezone(LONDON).date()


def draft_issue_slug(now: datetime) -> str:
    return f"{london_today(now):%Y-%m}"


def draft_issue_title(now: datetime) -> str:
    return f"Community Safety e-Bulletin, {london_today(now):%B %Y}"


def weekday_after(now: datetime, weeks: int, weekday: int) -> date:
    """The first `weekday` (Monday 0) on or after `weeks` weeks from today in London."""
    day = london_today(now) + timedelta(weeks=weeks)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def online_session_slugs(now: datetime) -> list[str]:
    """The demo's two online sessions, soonest first."""
    return [f"demo-{weekday_after(now, weeks, THURSDAY):%Y-%m-%d}" for weeks, _title, _kind in ONLINE_SESSIONS]


def training_dates(now: datetime) -> list[date]:
    return [weekday_after(now, weeks, TUESDAY) for weeks in TRAINING_WEEKS]


def training_slug(now: datetime) -> str:
    return f"demo-asb-cpd-{training_dates(now)[0]:%Y-%m-%d}"
