"""Information sessions: create and list (registrations and invites grow beside this)."""

from __future__ import annotations

import uuid

from ..domain.errors import DomainError, NotFoundError
from ..domain.sessions import InfoSession, RegistrationStatus
from .context import AppContext


def list_sessions(ctx: AppContext) -> list[InfoSession]:
    """All sessions in start order."""
    return sorted(ctx.store.sessions.all(), key=lambda session: session.start)


def get_session(ctx: AppContext, slug: str) -> InfoSession:
    session = ctx.store.sessions.get(slug)
    if session is None:
        raise NotFoundError(f"no session '{slug}' (see: bulletin-tui sessions list)")
    return session


def new_uid(ctx: AppContext, slug: str) -> str:
    domain = ctx.settings.sender.list_id_domain
    return f"{slug}-{uuid.uuid4().hex[:12]}@{domain}"


def create_session(ctx: AppContext, **fields: object) -> InfoSession:
    slug = str(fields["slug"])
    if slug in ctx.store.sessions:
        raise DomainError(f"session '{slug}' already exists")
    session = InfoSession.model_validate(
        {"uid": new_uid(ctx, slug), "created_at": ctx.clock.now(), **fields}
    )
    return ctx.store.sessions.put(session)


def registration_counts(ctx: AppContext, slug: str) -> dict[str, int]:
    """Confirmed, waitlisted and cancelled counts for one session."""
    counts = {status.value: 0 for status in RegistrationStatus}
    for row in ctx.store.registrations.rows():
        if row["session_slug"] == slug:
            counts[row["status"]] += 1
    return counts
