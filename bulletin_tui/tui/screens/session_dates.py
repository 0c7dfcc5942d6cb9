"""The sessions screen's dates (docs/occurrences.md): each date's places, adding a date, choosing one to register
for, and moving a registration to another date."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...domain.occurrences import DatePlaces, dates_summary, places_phrase, session_places
from ...domain.sessions import InfoSession, Registration
from ...domain.times import LONDON, british_date, british_range
from ...services.sessions.catalogue import DATE_FIELDS
from ...services.sessions.moves import move_registration
from ...services.sessions.occurrences import add_occurrence, cancel_occurrence
from ...services.sessions.registrations import RegistrationOutcome, registrations_for
from .confirm import ConfirmModal
from .occurrence_form import OccurrenceForm
from .pick import PickModal


def without_dates(session: InfoSession, fields: dict[str, Any] | None) -> dict[str, Any] | None:
    """The session form's fields minus what belongs to each date (time, place, places) when it has several."""
    if fields is None or not session.occurrences:
        return fields
    return {name: value for name, value in fields.items() if name not in DATE_FIELDS}


def when_text(session: InfoSession) -> str:
    """Its date and time; the first and last day of a session on several dates."""
    if not session.occurrences:
        return british_range(session.start, session.end)
    return f"{british_date(session.start)} to {british_date(session.end)}"


def _line(places: DatePlaces) -> str:
    """ "   2  Tue 29 Dec 2026 09:30  4/16 · 12 places left"."""
    o = places.occurrence
    taken = f"{places.confirmed}/{places.capacity}" if places.capacity else str(places.confirmed)
    state = "cancelled" if o.cancelled else places_phrase(places)
    waiting = f" +{places.waiting} waiting" if places.waiting else ""
    return f"  {o.id:>2}  {o.start.astimezone(LONDON):%a %d %b %Y %H:%M}  {taken}{waiting} · {state}"


def dates_text(session: InfoSession, registrations: list[Registration]) -> str:
    """ "4 dates, 12 places left" and one line per date; '' for a session on a single date."""
    if not session.occurrences:
        return ""
    dates = session_places(session, registrations)
    live = [d for d in dates if not d.occurrence.cancelled]
    return "\n" + dates_summary(live) + "\n" + "\n".join(_line(d) for d in dates)


def date_choices(
    session: InfoSession, registrations: list[Registration], now: datetime, besides: str = ""
) -> list[tuple[str, str]]:
    """(label, id) of the dates to come, for a PickModal."""
    return [
        (f"{d.label} · {places_phrase(d)}", d.occurrence.id)
        for d in session_places(session, registrations)
        if not d.occurrence.cancelled and d.occurrence.start > now and d.occurrence.id != besides
    ]


def register_targets(sessions: Iterable[InfoSession], now: datetime) -> list[tuple[str, str]]:
    """(value, label) of what someone can be registered for: each upcoming session, and each date to come of a
    session on several ("slug/2")."""
    found = []
    for session in sessions:
        if session.cancelled:
            continue
        for date in session.dates():
            if not date.cancelled and date.start > now:
                value = f"{session.slug}/{date.id}" if date.id else session.slug
                found.append((date.start, value, f"{british_date(date.start)} {session.title}"))
    return [(value, label) for _, value, label in sorted(found, key=lambda item: (item[0], item[1]))]


def offer_text(outcome: RegistrationOutcome) -> str:
    """ " Other dates with places: 1, 3 (press v to move them)." for someone put on a waiting list."""
    if not outcome.waitlisted or not outcome.offers:
        return ""
    ids = ", ".join(d.occurrence.id for d in outcome.offers)
    return f" Other dates with places: {ids} (press v to move them)."


class SessionDatesMixin:
    """Actions for the sessions screen: add a date (o), move a registration (v), cancel a date (d), pick a date to
    register for."""

    if TYPE_CHECKING:  # provided by the screen
        ctx: Any
        app: Any

        def current_session(self) -> InfoSession | None: ...
        def current_registration(self) -> Registration | None: ...
        def attempt(self, action: str, call: Callable[[], Any], *, writes: bool = True) -> Any: ...
        def _changed(self, message: str) -> None: ...

    def pick_date(self, session: InfoSession, then: Callable[[str | None], None]) -> None:
        """Ask which date when the session has several; else go straight on (None: its single date)."""
        if not session.occurrences:
            then(None)
            return
        choices = date_choices(session, registrations_for(self.ctx, session.slug), self.ctx.clock.now())
        self.app.push_screen(
            PickModal(f"Which date of {session.title}?", choices), lambda chosen: then(chosen) if chosen else None
        )

    def action_add_date(self) -> None:
        session = self.current_session()
        if session is not None and not session.cancelled:
            self.app.push_screen(OccurrenceForm(session.title), lambda fields: self._add_date(session.slug, fields))

    def _add_date(self, slug: str, fields: dict[str, Any] | None) -> None:
        change = self.attempt("Add date", lambda: add_occurrence(self.ctx, slug, **fields)) if fields else None
        if change is not None:
            first = " The session's own date is now date 1." if change.first_date is not None else ""
            self._changed(f"Added date {change.occurrence.id} of {slug}.{first}")

    def action_move_registration(self) -> None:
        session, reg = self.current_session(), self.current_registration()
        if session is None or reg is None or not reg.active or not session.occurrences:
            return
        regs = registrations_for(self.ctx, session.slug)
        choices = date_choices(session, regs, self.ctx.clock.now(), besides=reg.occurrence_id)
        self.app.push_screen(
            PickModal(f"Move {reg.email} from date {reg.occurrence_id} to:", choices),
            lambda chosen: self._move(reg, chosen),
        )

    def _move(self, reg: Registration, to: str | None) -> None:
        outcome = self.attempt("Move", lambda: move_registration(self.ctx, reg.id, to)) if to else None
        if outcome is not None:
            promoted = ", ".join(r.email for r in outcome.promoted)
            self._changed(
                f"Moved {reg.email} to date {outcome.registration.occurrence_id}; the old invite is "
                "cancelled and a new one queued." + (f" Promoted: {promoted}." if promoted else "")
            )

    def action_cancel_date(self) -> None:
        """Pick one date to come, confirm, cancel it: its people get a calendar cancellation; other dates stay."""
        session = self.current_session()
        if session is None or session.cancelled or not session.occurrences:
            return
        choices = date_choices(session, registrations_for(self.ctx, session.slug), self.ctx.clock.now())
        self.app.push_screen(PickModal(f"Cancel which date of {session.title}?", choices),
                             lambda chosen: self._confirm_cancel_date(session, chosen) if chosen else None)

    def _confirm_cancel_date(self, session: InfoSession, occurrence_id: str) -> None:
        def done(confirmed: bool | None) -> None:
            change = self.attempt(
                "Cancel date", lambda: cancel_occurrence(self.ctx, session.slug, occurrence_id)
            ) if confirmed else None
            if change is not None:
                self._changed(f"Cancelled date {occurrence_id} of {session.slug}; a cancellation is queued for "
                              f"{len(change.notified)}. The other dates are unchanged.")

        self.app.push_screen(ConfirmModal(
            f"Cancel date {occurrence_id} of “{session.title}”? Everyone registered for it gets a calendar "
            "cancellation (those waiting are told); the other dates stay.", confirm_label="Cancel date", danger=True,
        ), done)
