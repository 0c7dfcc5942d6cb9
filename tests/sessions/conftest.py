"""Helpers for the sessions tests: a session factory and fixed UIDs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bulletin_tui.domain.sessions import InfoSession
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions import catalogue as sessions

MakeSession = Callable[..., InfoSession]


@pytest.fixture
def make_session(ctx: AppContext) -> MakeSession:
    """Create a session with a fixed UID (`<slug>@kcst.test`) from London wall-clock text."""

    def make(slug: str = "csis-2026-12-03", *, start: str = "2026-12-03 12:30", end: str = "13:30",
             fold: int | None = None, **fields: Any) -> InfoSession:
        starts, ends = sessions.parse_times(start, end, fold=fold)
        fields.setdefault("title", "Community Safety Information Session")
        session = sessions.create_session(ctx, slug=slug, start=starts, end=ends, **fields)
        fixed = session.model_copy(update={"uid": f"{slug}@kcst.test"})
        return ctx.store.sessions.put(fixed)

    return make
