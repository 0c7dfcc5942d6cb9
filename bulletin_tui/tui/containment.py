"""Keeping the app alive through bugs: an unexpected exception in an action, an event handler or a dialog's
result callback becomes a notification plus a traceback in `logs/tui-errors.log`.

Textual ends the app on any unhandled exception (and stops the failing widget's message loop first), so the
exception has to be caught before it reaches Textual: around actions (`BulletinApp.run_action`), around the screens'
message handlers (`on` here, and `on_*` methods of a `ContainHandlerErrors` screen), and around the callbacks given
to `push_screen`. Only when the app runs for a user: tests leave it off so a bug still fails its test. Errors while a
screen is being built (compose, mount) are never contained."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import events
from textual import on as textual_on
from textual.message import Message

from .app_typing import OfBulletinApp
from .errors import one_line_cause, record_unexpected

if TYPE_CHECKING:
    from .app import BulletinApp

BUILDING = (events.Compose, events.Mount)
BUILDING_HANDLERS = {"on_compose", "on_mount"}
Handler = TypeVar("Handler", bound=Callable[..., Any])
_CONTAINED: set[Callable[..., Any]] = set()
"""The handlers `contained` made (not to be wrapped twice)."""


def report(app: BulletinApp, where: str, error: Exception) -> None:
    """Log the traceback in the data dir and show the one-line cause."""
    log = record_unexpected(app.ctx.data_dir, where, error)
    app.notify(f"{one_line_cause(error)}. The details are in {log}.", title=f"{where} failed",
               severity="error", timeout=15)


def guard_callback(app: BulletinApp, where: str, callback: Callable[[Any], Any]) -> Callable[[Any], Any]:
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


async def _awaited(app: BulletinApp, where: str, outcome: Awaitable[Any]) -> Any:
    try:
        return await outcome
    except Exception as error:  # noqa: BLE001 - reported, the app carries on
        report(app, where, error)
        return None


def on(message_type: type[Message], selector: str | None = None, **kwargs: str) -> Callable[[Handler], Handler]:
    """Textual's `on`, with the handler's failure reported instead of ending the app (not while building)."""

    def decorator(handler: Handler) -> Handler:
        chosen = handler if issubclass(message_type, BUILDING) or handler in _CONTAINED else contained(handler)
        return textual_on(message_type, selector, **kwargs)(chosen)

    return decorator


def contained(handler: Handler) -> Handler:
    """A message handler (sync or async, with or without the message) whose failure is reported when the app
    contains errors. Called as a method (without a message: an action, another handler), it leaves the failure to
    its caller, which names it."""
    wanted = len(inspect.signature(handler).parameters) - 1

    if inspect.iscoroutinefunction(handler):
        async def guarded_async(self: OfBulletinApp, *args: Any) -> Any:
            try:
                return await handler(self, *args[:wanted])
            except Exception as error:
                _report_or_raise(self, args, error)
                return None

        guarded: Callable[..., Any] = guarded_async
    else:
        def guarded_sync(self: OfBulletinApp, *args: Any) -> Any:
            try:
                return handler(self, *args[:wanted])
            except Exception as error:
                _report_or_raise(self, args, error)
                return None

        guarded = guarded_sync
    guarded.__name__, guarded.__qualname__, guarded.__doc__ = handler.__name__, handler.__qualname__, handler.__doc__
    _CONTAINED.add(guarded)
    return cast(Handler, guarded)


def _report_or_raise(screen: OfBulletinApp, args: tuple[Any, ...], error: Exception) -> None:
    message = args[0] if args and isinstance(args[0], Message) else None
    if message is None or not screen.bulletin_app.contain_errors or isinstance(message, BUILDING):
        raise error
    report(screen.bulletin_app, type(message).__name__, error)


class ContainHandlerErrors(OfBulletinApp):
    """Mixin for screens: a failing `on_*` handler method is reported; the screen keeps taking input (handlers
    declared with `@on` are contained by this module's `on`)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for owner in cls.__mro__:
            if not owner.__module__.startswith(__package__ or "bulletin_tui.tui"):
                continue
            for name, value in list(vars(owner).items()):
                if (name.startswith("on_") and name not in BUILDING_HANDLERS and inspect.isfunction(value)
                        and value not in _CONTAINED):
                    setattr(owner, name, contained(value))
