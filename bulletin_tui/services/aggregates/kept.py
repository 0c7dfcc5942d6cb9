"""Figures kept when the detail behind them goes (the retention schedule, docs/privacy.md): a session's registrations
and attendance, a bulletin's reach, and the removed people each year's subscriber counts included. The report and
the feedback summary read these wherever the detail is gone, so last year's report says the same after the shred as
before it. They are counts only: nothing in them leads back to a person."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pydantic import Field

from ...domain.base import Model
from ...domain.sessions import RegistrationStatus
from ...domain.text import Slug
from ...sending.ledger import State, fold, read_records
from ...storage.collection import Collection
from ..context import AppContext
from ..mailings.audience import bulletin_ledgers
from ..sessions.registrations import registrations_for

SESSIONS_TABLE, BULLETINS_TABLE, YEARS_TABLE = "kept_sessions", "kept_bulletins", "kept_subscribers"


class KeptSession(Model):
    """A session's figures, kept when its registrations were removed."""

    slug: Slug
    registered: int = Field(ge=0, description="confirmed registrations")
    attended: int | None = Field(default=None, ge=0, description="None: attendance was never recorded")
    no_show: int | None = Field(default=None, ge=0, description="confirmed, recorded as not attending")
    not_recorded: int | None = Field(default=None, ge=0, description="confirmed, attendance not recorded")
    kept_at: datetime


class KeptBulletin(Model):
    """A bulletin's reach, kept when its send ledgers were made anonymous."""

    slug: Slug
    recipients: int | None = Field(default=None, ge=0, description="people reached, each once")
    messages: int | None = Field(default=None, ge=0, description="messages accepted by the server")
    kept_at: datetime


class KeptYear(Model):
    """People removed since (left every list long ago) who counted as subscribers in this April-March year."""

    label: str = Field(pattern=r"^\d{4}/\d{2}$")
    start: int = Field(default=0, ge=0, description="subscribed at the start of the year")
    end: int = Field(default=0, ge=0, description="subscribed at its end")


@dataclass(frozen=True)
class SessionFigures:
    registered: int
    attended: int | None
    no_show: int | None = None
    """Confirmed people recorded as not attending (None: nothing recorded, or figures kept before this was)."""
    not_recorded: int | None = None
    """Confirmed people whose attendance nobody recorded (None: figures kept before this was)."""


def kept_sessions(ctx: AppContext) -> Collection[KeptSession]:
    return ctx.store.collection(SESSIONS_TABLE, KeptSession, lambda k: k.slug)


def kept_bulletins(ctx: AppContext) -> Collection[KeptBulletin]:
    return ctx.store.collection(BULLETINS_TABLE, KeptBulletin, lambda k: k.slug)


def kept_years(ctx: AppContext) -> Collection[KeptYear]:
    return ctx.store.collection(YEARS_TABLE, KeptYear, lambda k: k.label)


def live_session_figures(ctx: AppContext, slug: str) -> SessionFigures:
    """Confirmed registrations and attendance (None: not recorded), from the registrations held now."""
    regs = [r for r in registrations_for(ctx, slug) if r.status is not RegistrationStatus.CANCELLED]
    confirmed = sum(1 for r in regs if r.status is RegistrationStatus.CONFIRMED)
    recorded = any(r.attended is not None for r in regs)
    held = [r for r in regs if r.status is RegistrationStatus.CONFIRMED]
    return SessionFigures(confirmed, sum(1 for r in regs if r.attended) if recorded else None,
                          sum(1 for r in held if r.attended is False) if recorded else None,
                          sum(1 for r in held if r.attended is None))


def session_figures(ctx: AppContext, slug: str) -> SessionFigures:
    """The session's figures: kept ones once its registrations are gone, else from the registrations."""
    kept = kept_sessions(ctx).get(slug)
    if kept is None:
        return live_session_figures(ctx, slug)
    return SessionFigures(kept.registered, kept.attended, kept.no_show, kept.not_recorded)


def live_reach(ctx: AppContext, issue_slug: str) -> tuple[int | None, int | None]:
    """(people, messages) the bulletin was sent to, from its campaign ledgers (one per list or group of lists)."""
    paths = bulletin_ledgers(ctx, issue_slug)
    if not paths:
        return None, None
    people: set[str] = set()
    messages = 0
    for path in paths:
        states, _ = fold(read_records(path))
        sent = [person.key for person in states.values() if person.state is State.SENT]
        messages += len(sent)
        people.update(sent)
    return len(people), messages


def bulletin_reach(ctx: AppContext, issue_slug: str) -> tuple[int | None, int | None]:
    """The bulletin's reach: kept once its ledgers were made anonymous, else from the ledgers."""
    kept = kept_bulletins(ctx).get(issue_slug)
    return (kept.recipients, kept.messages) if kept else live_reach(ctx, issue_slug)


def keep_sessions(ctx: AppContext, slugs: Iterable[str], now: datetime) -> int:
    """Keep the figures of these sessions (those not kept already) before their registrations go; how many."""
    table = kept_sessions(ctx)
    fresh = [slug for slug in sorted(set(slugs)) if slug not in table]
    table.put_many(KeptSession(slug=slug, kept_at=now, registered=figures.registered, attended=figures.attended,
                               no_show=figures.no_show, not_recorded=figures.not_recorded)
                   for slug, figures in ((slug, live_session_figures(ctx, slug)) for slug in fresh))
    return len(fresh)


def keep_bulletins(ctx: AppContext, issue_slugs: Iterable[str], now: datetime) -> int:
    """Keep the reach of these bulletins (those not kept already) before their ledgers are made anonymous."""
    table = kept_bulletins(ctx)
    fresh = [slug for slug in sorted(set(issue_slugs)) if slug not in table]
    table.put_many(KeptBulletin(slug=slug, kept_at=now, recipients=reach[0], messages=reach[1])
                   for slug, reach in ((slug, live_reach(ctx, slug)) for slug in fresh))
    return len(fresh)


def kept_subscribers(ctx: AppContext, label: str) -> tuple[int, int]:
    """(start, end): removed people who counted as subscribers at the start and at the end of that year."""
    kept = kept_years(ctx).get(label)
    return (kept.start, kept.end) if kept else (0, 0)
