"""The ASGI application: routes, the guard, the published archive, and a background task that applies the
journal whenever no one else holds the writer lock."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
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
from .guard import BODY_TIMEOUT_S, Guard
from .protocol import AcceptErrors
from .state import RELOAD_EVERY_S, WebState

APPLY_EVERY_S = 5.0
APPLY_IN_BURST_S = 30.0
BURST_BYTES_PER_S = 20_000  # about 130 one-click requests a second


def apply_when_free(settings: Settings) -> None:
    """Apply pending journal entries in a short-lived `bulletin-tui web-apply` process when the writer lock is free
    (so the whole database is never loaded into the long-running server); a held lock means its holder applies."""
    from ..storage.lock import DataDirLock

    if DataDirLock(settings.data_dir).held_elsewhere():
        return
    subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(settings.data_dir), "web-apply"],
                   capture_output=True, timeout=300, check=False, preexec_fn=_lower_priority)


def _lower_priority() -> None:
    """The applier yields the CPU to the server answering requests (a burst of one-click POSTs comes first)."""
    os.nice(10)



async def _applier(state: WebState) -> None:
    """Every APPLY_EVERY_S when the journal grew; during a burst (the journal growing faster than BURST_BYTES_PER_S)
    at most every APPLY_IN_BURST_S: each apply saves the whole database, and the send engine honours journalled
    unsubscribes before they are applied, so answering the burst comes first."""
    journal = state.settings.data_dir / "inbound" / "journal.jsonl"
    applied_size, last_size, last_apply = -1, 0, 0.0
    while True:
        await asyncio.sleep(APPLY_EVERY_S)
        size = journal.stat().st_size if journal.exists() else 0
        bursting = (size - last_size) / APPLY_EVERY_S > BURST_BYTES_PER_S
        last_size, now = size, time.monotonic()
        if size != applied_size and not (bursting and now - last_apply < APPLY_IN_BURST_S):
            with contextlib.suppress(Exception):  # a busy folder: the next round tries again
                await asyncio.to_thread(apply_when_free, state.settings)
                applied_size, last_apply = size, now


async def _refresher(state: WebState) -> None:
    while True:
        await asyncio.sleep(RELOAD_EVERY_S)
        with contextlib.suppress(Exception):  # a save in progress: the next round reads it
            await state.refresh()


async def _home(request: Request) -> Response:
    return RedirectResponse("/sessions/", status_code=302)


def make_web_app(settings: Settings, *, base_url: str, archive_dir: Path | None = None, apply_journal: bool = True,
                 body_timeout: float = BODY_TIMEOUT_S) -> Starlette:
    state = WebState(settings=settings, base_url=base_url.rstrip("/"), archive_dir=archive_dir)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state.ctx  # noqa: B018 - load the view before the first request
        asyncio.get_running_loop().set_exception_handler(AcceptErrors())
        tasks = [asyncio.create_task(_refresher(state))]
        if apply_journal:
            tasks.append(asyncio.create_task(_applier(state)))
        try:
            yield
        finally:
            for task in tasks:
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
        archive = StaticFiles(directory=str(archive_dir), html=True, follow_symlink=False)  # never out of the folder
        routes.append(Mount("/bulletins", archive, name="bulletins"))
    app = Starlette(routes=routes, middleware=[Middleware(Guard, body_timeout=body_timeout)], lifespan=lifespan)
    app.state.web = state
    return app
