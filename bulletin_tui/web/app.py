"""The ASGI application: routes, the guard, the published archive, and a background task that applies the
journal whenever no one else holds the writer lock."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..config import Settings
from ..rendering.environment import builtin_templates_dir
from . import pages
from .guard import Guard
from .state import WebState

APPLY_EVERY_S = 2.0


def apply_when_free(settings: Settings) -> int:
    """Apply pending journal entries if the writer lock is free (else the holder will); the number applied."""
    from ..services.context import open_context
    from ..services.web.journal_apply import apply_pending, pending_entries
    from ..storage.errors import LockedError

    try:
        ctx = open_context(settings)
    except LockedError:
        return 0
    try:
        return sum(apply_pending(ctx).values()) if pending_entries(ctx) else 0
    finally:
        ctx.close()


async def _applier(state: WebState) -> None:
    journal = state.settings.data_dir / "inbound" / "journal.jsonl"
    applied_size = -1
    while True:
        await asyncio.sleep(APPLY_EVERY_S)
        size = journal.stat().st_size if journal.exists() else 0
        if size != applied_size:
            with contextlib.suppress(Exception):  # a locked or busy folder: the next round tries again
                await asyncio.to_thread(apply_when_free, state.settings)
                applied_size = size


async def _home(request: Request) -> Response:
    return RedirectResponse("/sessions/", status_code=302)


def make_web_app(settings: Settings, *, base_url: str, archive_dir: Path | None = None,
                 apply_journal: bool = True) -> Starlette:
    state = WebState(settings=settings, base_url=base_url.rstrip("/"), archive_dir=archive_dir)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(_applier(state)) if apply_journal else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
            state.close()

    routes = [
        Route("/", _home),
        Route("/u/{token}", pages.unsubscribe_form, methods=["GET"]),
        Route("/u/{token}", pages.unsubscribe_one_click, methods=["POST"]),
        Route("/p/{token}", pages.preferences, methods=["GET", "POST"]),
        Route("/subscribe", pages.subscribe, methods=["GET", "POST"]),
        Route("/confirm/{signed}", pages.confirm, methods=["GET", "POST"]),
        Route("/sessions/", pages.sessions_list),
        Route("/sessions/{slug}", pages.session_page, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=str(builtin_templates_dir() / "web" / "static")), name="static"),
    ]
    if archive_dir is not None:
        routes.append(Mount("/bulletins", StaticFiles(directory=str(archive_dir), html=True), name="bulletins"))
    app = Starlette(routes=routes, middleware=[Middleware(Guard)], lifespan=lifespan)
    app.state.web = state
    return app
