"""Attendance recorded after a follow-up started (a Teams report imported late, a correction): running the
follow-up again adds those people to its ledger as queued. Everyone already in the ledger keeps their state, so
nobody gets it twice."""

from __future__ import annotations

from collections.abc import Sequence

from ...domain.sessions import Registration
from ...sending.ledger import Ledger, State, fold, read_records, stamp
from ..context import AppContext
from . import runs


def not_in_ledger(ctx: AppContext, campaign_id: str, people: Sequence[Registration]) -> list[Registration]:
    """The people a started campaign's ledger does not hold yet (none when it has not started)."""
    path = runs.ledger_path(ctx, campaign_id)
    if not path.exists():
        return []
    states, _ = fold(read_records(path))
    return [person for person in people if person.key not in states]


def add_to_ledger(ctx: AppContext, campaign_id: str, people: Sequence[Registration]) -> int:
    """Queue these people in the started campaign (one fsynced append, with an event saying who added them)."""
    if not people:
        return 0
    at = stamp(ctx.clock.now())
    ledger = Ledger(runs.ledger_path(ctx, campaign_id))
    try:
        ledger.append(
            {
                "at": at,
                "event": "recipients-added",
                "count": len(people),
                "operator": ctx.operator,
                "reason": "attendance recorded after the follow-up started",
            }
        )
        ledger.append_many(
            [{"at": at, "key": p.key, "email": p.email, "name": p.name, "state": State.QUEUED.value} for p in people]
        )
        ledger.commit_now()
    finally:
        ledger.close()
    return len(people)
