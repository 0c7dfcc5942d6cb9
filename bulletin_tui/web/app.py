"""The ASGI application: routes, the guard, the published archive, and a background task that applies the
journal beside whoever else works on the folder."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..config import Settings
from ..locations import confirmations_ledger
from ..rendering.environment import builtin_templates_dir
from . import info, pages
from .applier import run_applier
from .guard import BODY_TIMEOUT_S, Guard
from .protocol import AcceptErrors
from .state import RELOAD_EVERY_S, WebState

APPLY_EVERY_S = 5.0
APPLY_IN_BURST_S = 30.0
BURST_BYTES_PER_S = 20_000  # about 130 one-click requests a second
RETRY_FAILED_S = 60.0


async def _applier(state: WebState, config_file: Path | None) -> None:
    """Every APPLY_EVERY_S when the journal grew; during a burst (the journal growing faster than BURST_BYTES_PER_S)
    at most every APPLY_IN_BURST_S: each apply saves the whole database, and the send engine honours journalled
    unsubscribes before they are applied, so answering the burst comes first. A failed run is retried every
    RETRY_FAILED_S (its warning is logged each time). A sign-up or registration (asked or confirmed) wakes it at once:
    its confirmation e-mail, or its effect, should not wait for the next round."""
    journal = state.settings.data_dir / "inbound" / "journal.jsonl"
    outgoing = confirmations_ledger(state.settings.data_dir)  # confirmations queued by another writer go too
    applied_size: tuple[int, int] = (-1, -1)
    last_size, last_apply, failed = 0, 0.0, False
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(state.wake_applier.wait(), APPLY_EVERY_S)
        woken = state.wake_applier.is_set()
        state.wake_applier.clear()
        size = (_size(journal), _size(outgoing))
        bursting = (size[0] - last_size) / APPLY_EVERY_S > BURST_BYTES_PER_S
        last_size, now = size[0], time.monotonic()
        wait = RETRY_FAILED_S if failed else 0.0 if woken else APPLY_IN_BURST_S if bursting else 0.0
        if size != applied_size and now - last_apply >= wait:
            with contextlib.suppress(Exception):  # a busy folder: the next round tries again
                outcome = await asyncio.to_thread(run_applier, state.settings, config_file)
                failed = not outcome.ok
                applied_size, last_apply = (applied_size if failed else size), now


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


async def _refresher(state: WebState) -> None:
    while True:
        await asyncio.sleep(RELOAD_EVERY_S)
        with contextlib.suppress(Exception):  # a save in progress: the next round reads it
            await state.refresh()


async def _home(request: Request) -> Response:
    return RedirectResponse("/sessions/", status_code=302)


async def _healthz(request: Request) -> Response:
    """For the service manager and the container healthcheck (docs/deploy.md): up and answering; reads nothing."""
    return PlainTextResponse("ok")


def make_web_app(settings: Settings, *, base_url: str, archive_dir: Path | None = None, apply_journal: bool = True,
                 config_file: Path | None = None, body_timeout: float = BODY_TIMEOUT_S) -> Starlette:
    """The whole web face; `config_file` is the settings file the applier process is given (as `serve` was)."""
    state = WebState(settings=settings, base_url=base_url.rstrip("/"), archive_dir=archive_dir)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state.ctx  # noqa: B018 - load the view before the first request
        asyncio.get_running_loop().set_exception_handler(AcceptErrors())
        tasks = [asyncio.create_task(_refresher(state))]
        if apply_journal:
            tasks.append(asyncio.create_task(_applier(state, config_file)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            state.close()

    routes = [
        Route("/", _home),
        Route("/healthz", _healthz, methods=["GET"]),
        Route("/u/{token}", pages.unsubscribe_form, methods=["GET"]),
        Route("/u/{token}", pages.unsubscribe_one_click, methods=["POST"]),
        Route("/p/{token}", pages.preferences, methods=["GET", "POST"]),
        Route("/subscribe", pages.subscribe, methods=["GET", "POST"]),
        Route("/confirm/{signed}", pages.confirm, methods=["GET", "POST"]),
        Route("/sessions/", pages.sessions_list),
        Route("/sessions/{slug}", pages.session_page, methods=["GET", "POST"]),
        Route("/accessibility", info.accessibility, methods=["GET"]),
        Mount("/static", StaticFiles(directory=str(builtin_templates_dir() / "web" / "static")), name="static"),
    ]
    if archive_dir is not None:
        archive = StaticFiles(directory=str(archive_dir), html=True, follow_symlink=False)  # never out of the folder
        routes.append(Mount("/bulletins", archive, name="bulletins"))
    app = Starlette(routes=routes, middleware=[Middleware(Guard, body_timeout=body_timeout)], lifespan=lifespan,
                    exception_handlers={HTTPException: info.http_error})
    app.state.web = state
    return app
