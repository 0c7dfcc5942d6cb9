"""The collaborators every service needs, built once by the CLI or the TUI (or a test)."""

from __future__ import annotations

import functools
import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from ..config import Settings
from ..domain.clock import Clock, SystemClock
from ..storage.repositories import Store


@dataclass
class AppContext:
    settings: Settings
    store: Store
    clock: Clock = field(default_factory=SystemClock)
    operator: str = field(default_factory=getpass.getuser)

    @property
    def data_dir(self) -> Path:
        return self.store.data_dir

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> AppContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_context(
    settings: Settings, *, create: bool = False, read_only: bool = False, fallback_read_only: bool = False,
    clock: Clock | None = None, role: str = "command line",
) -> AppContext:
    """Open the store in the settings' data dir; each save names the operator and `role` (who changed what)."""
    operator = getpass.getuser()
    store = Store.open(settings.data_dir, create=create, read_only=read_only, fallback_read_only=fallback_read_only,
                       author=f"{operator} ({role})")
    return AppContext(settings=settings, store=store, clock=clock or SystemClock(), operator=operator)


Service = TypeVar("Service", bound=Callable[..., Any])


def one_write(service: Service) -> Service:
    """A service that changes records runs as one write transaction: what it reads is the newest save of any
    process, and nobody else saves between its reads and its writes (another app, a command, the worker or the
    web face's applier may have saved a moment ago). Not for services that send mail or call the network."""

    @functools.wraps(service)
    def in_one_write(ctx: AppContext, *args: Any, **kwargs: Any) -> Any:
        with ctx.store.transaction():
            return service(ctx, *args, **kwargs)

    return cast(Service, in_one_write)
