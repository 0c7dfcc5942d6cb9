"""Keeping the app alive through bugs: an unexpected exception in an action, an event handler or a dialog's
result callback becomes a notification plus a traceback in `logs/tui-errors.log`.

Textual ends the app on any unhandled exception (and stops the failing widget's message loop first), so the
exception has to be caught before it reaches Textual: around action dispatch (App), around message handlers
(screens), and around the callbacks given to `push_screen`. Only when the app runs for a user: tests leave it off so
a bug still fails its test. Errors while a screen is being built (compose, mount) are never contained."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.message import Message

from .errors import one_line_cause, record_unexpected

if TYPE_CHECKING:
    from textual.app import App

BUILDING = (events.Compose, events.Mount)


def report(app: App[Any], where: str, error: Exception) -> None:
    """Log the traceback in the data dir and show the one-line cause."""
    log = record_unexpected(app.ctx.data_dir, where, error)  # type: ignore[attr-defined]
    app.notify(f"{one_line_cause(error)}. The details are in {log}.", title=f"{where} failed",
               severity="error", timeout=15)


def containing(app: App[Any]) -> bool:
    return bool(getattr(app, "contain_errors", False))


def guard_callback(app: App[Any], where: str, callback: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A dialog result callback (sync or async) whose failure is reported instead of ending the app."""

    def guarded(result: Any) -> Any:
        try:
            outcome = callback(result)
        except Exception as error:  # noqa: BLE001 - reported, the app carries on
            report(app, where, error)
            return None
        if inspect.isawaitable(outcome):
            return _awaited(app, where, outcome)
        return outcome

    return guarded


async def _awaited(app: App[Any], where: str, outcome: Awaitable[Any]) -> Any:
    try:
        return await outcome
    except Exception as error:  # noqa: BLE001 - reported, the app carries on
        report(app, where, error)
        return None


class ContainHandlerErrors:
    """Mixin for screens: a failing message handler is reported; the screen keeps taking input."""

    app: App[Any]

    async def _on_message(self, message: Message) -> None:
        try:
            await super()._on_message(message)  # type: ignore[misc]
        except Exception as error:
            if not containing(self.app) or isinstance(message, BUILDING):
                raise
            report(self.app, type(message).__name__, error)
