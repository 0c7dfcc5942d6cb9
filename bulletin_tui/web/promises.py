"""What a page may promise: the rules the journal's applier will use (token versions, suppression, lists still
offered, sessions still open), checked against the web face's view before the answer, so "you are unsubscribed"
or "you are subscribed" is said only when the writer will agree."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from ..services.subscribers.tokens import genuine_token_list
from .dates import open_dates
from .state import WebState


class Standing(StrEnum):
    FORGED = "forged"  # not one of our tokens (or changed)
    STALE = "stale"  # for a membership the person has since renewed: the writer refuses it
    DONE = "done"  # already unsubscribed at this version, or already journalled: nothing to add
    OPEN = "open"  # will apply


def token_standing(state: WebState, token: str) -> tuple[Standing, str]:
    """(standing, list slug) of an unsubscribe token. The view may be a little behind the database: a token
    newer than the view's membership, or a person the view does not know yet, is left for the writer to decide."""
    slug = genuine_token_list(state.ctx, token)
    if slug is None:
        return Standing.FORGED, ""
    if token in state.index.unsubscribed:
        return Standing.DONE, slug
    _, reference, _, version, _ = token.split(".")
    key = state.reference_index().get(reference)
    row = state.ctx.store.subscribers.row(key) if key else None
    membership = (row or {}).get("lists", {}).get(slug)
    if membership is not None:
        current = int(membership["token_version"])
        if int(version) < current:
            return Standing.STALE, slug
        if int(version) == current and membership["status"] != "subscribed":
            return Standing.DONE, slug
    return Standing.OPEN, slug


def confirmation_refusal(state: WebState, entry: dict[str, Any], now: datetime) -> str:
    """Why a confirmed request would be refused by the writer ('' when it will apply)."""
    request = entry["request"]
    if state.suppressed(str(request.get("email", ""))):
        return ("This address is on the team's do-not-send list (after delivery failures or a request to be "
                "forgotten), so nothing can be sent to it. Please contact the team to change this.")
    if entry["kind"] == "signup_requested":
        lists = state.ctx.store.lists
        offered = [slug for slug in request.get("lists", []) if (found := lists.get(slug)) and found.public
                   and not found.cleared_for_restricted]
        return "" if offered else "The list you asked for is no longer offered. Please see the sign-up page."
    session = state.ctx.store.sessions.get(str(request.get("session", "")))
    dates = open_dates(session, now) if session is not None and not session.cancelled else []
    chosen = request.get("occurrence")
    if not dates or (chosen and chosen not in {d.id for d in dates}):
        return "This session (or the date you chose) is no longer open for registration. See the upcoming sessions."
    return ""
