"""The read model: what the services the web face calls read from a store, named as Protocols.

The full `Store` (`repositories.py`) and the web face's fast reader (`web/view.py`, one streaming pass over
bulletin.json) both fit these structurally, so mypy checks that a service annotated with `ReadContext` reads
nothing the web face's reader does not hold. Those services are the keyed ones: unsubscribe tokens and their
reference index (`services/subscribers/tokens.py`), suppression checks (`suppression.suppressed_among`), the web
face's signers (`services/web/signing.py`) and the per-purpose keys under them (`subscribers/secret.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol


class KeyKeeper(Protocol):
    """Makes the installation secret when it is missing (a writable store only; a read-only one is never asked)."""

    def ensure_key(self) -> None: ...


class SubscriberRows(Protocol):
    """Subscribers as raw rows: `row(key)["lists"][slug]` holds `status` and `token_version`."""

    def row(self, key: str) -> dict[str, Any] | None: ...

    def keys(self) -> list[str]: ...


class ReadModel(Protocol):
    """The store as those services read it."""

    @property
    def read_only(self) -> bool: ...

    @property
    def db(self) -> KeyKeeper: ...

    @property
    def subscribers(self) -> SubscriberRows: ...


class ReadContext(Protocol):
    """The context as those services read it: the data folder (where the secret lives) and the store."""

    @property
    def data_dir(self) -> Path: ...

    @property
    def store(self) -> ReadModel: ...
