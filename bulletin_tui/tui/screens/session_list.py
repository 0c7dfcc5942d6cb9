"""The sessions screen's tables (#25): the list opens on what is next (upcoming sessions soonest first, then a Past
section latest first), titles are shown whole (wrapped), and the registrations' columns fit the width with the
Attended column always in view (addresses are cut in the middle instead)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import RenderableType
from rich.text import Text

from ...domain.occurrences import total_places
from ...domain.sessions import InfoSession, Registration, RegistrationStatus
from ...domain.times import short_local
from ..widgets.bars import capacity_bar
from ..widgets.fit_table import Column

SESSION_COLUMNS = (
    Column("When", width=16, wrap=True),
    Column("Title", least=16, wrap=True),
    Column("Places", width=16),
)
REGISTRATION_COLUMNS = (
    Column("Status", width=10),
    Column("#", width=3),
    Column("Name", share=1, least=8),
    Column("E-mail", share=2, least=12, elide=True),
    Column("Attended", width=12),
)


def registration_columns(several_dates: bool) -> tuple[Column, ...]:
    """The registrations' columns: with the date first for a session on several dates."""
    return (Column("Date", width=4), *REGISTRATION_COLUMNS) if several_dates else REGISTRATION_COLUMNS


def last_end(session: InfoSession) -> datetime:
    return max(date.end for date in session.dates())


def in_list_order(sessions: Sequence[InfoSession], now: datetime) -> tuple[list[InfoSession], int]:
    """Sessions not yet over, soonest first, then the past ones, latest first; and how many are not yet over."""
    upcoming = sorted((s for s in sessions if last_end(s) >= now), key=lambda s: (s.start, s.slug))
    past = sorted((s for s in sessions if last_end(s) < now), key=lambda s: (s.start, s.slug), reverse=True)
    return upcoming + past, len(upcoming)


SECTION_WIDTH = 4
"""The row labels: "Next" on the first session to come, "Past" on the latest that is over."""


def section_label(row: int, upcoming: int) -> Text:
    """The label of row `row` of a list whose first `upcoming` rows are sessions to come."""
    return Text("Next" if row == 0 and upcoming else ("Past" if row == upcoming else ""), style="bold")


def session_row(session: InfoSession, registrations: Sequence[Registration], *,
                past: bool) -> tuple[RenderableType, ...]:
    """One row: when, the whole title, and the places taken (for a past session: how many attended, once
    recorded)."""
    style = "strike dim" if session.cancelled else ("dim" if past else "")
    taken = sum(1 for r in registrations if r.status is RegistrationStatus.CONFIRMED)
    attended = sum(1 for r in registrations if r.attended is True)
    if past:
        places: RenderableType = Text(f"{attended} attended" if attended else f"{taken} booked", style="dim")
    else:
        places = capacity_bar(taken, total_places(session), 8)
    return Text(short_local(session.start), style=style), Text(session.title, style=style), places
