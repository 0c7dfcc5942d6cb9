"""The project's collections, one per record type, opened together on one database."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from ..domain.bulletins import BulletinIssue, BulletinItem
from ..domain.sessions import InfoSession, Registration
from ..domain.subscribers import DistributionList, Subscriber
from .collection import Collection
from .database import Database
from .errors import EditConflictError, RecordInvalidError
from .generation import last_change

M = TypeVar("M", bound=BaseModel)


class Store:
    """Everything the services read and write; one `transaction()` makes several changes one save."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.subscribers = Collection(db, "subscribers", Subscriber, lambda s: s.key)
        self.lists = Collection(db, "lists", DistributionList, lambda d: d.slug)
        self.items = Collection(db, "items", BulletinItem, lambda i: i.id)
        self.issues = Collection(db, "issues", BulletinIssue, lambda i: i.slug)
        self.sessions = Collection(db, "sessions", InfoSession, lambda s: s.slug)
        self.registrations = Collection(db, "registrations", Registration, lambda r: r.id)

        self._extra: dict[str, Collection[Any]] = {}

    def collection(self, table: str, model: type[M], key_of: Callable[[M], str]) -> Collection[M]:
        """A further collection on the same database (one per table name, created on first use)."""
        found = self._extra.get(table)
        if found is None:
            found = self._extra[table] = Collection(self.db, table, model, key_of)
        if found.model is not model:
            raise TypeError(f"table {table!r} already holds {found.model.__name__}")
        return found

    def first_invalid_record(self) -> RecordInvalidError | None:
        """The first stored record, in any collection opened so far, that its model refuses (slow; for
        explaining a failure of a fast raw reader, never on the happy path)."""
        collections: list[Collection[Any]] = [self.subscribers, self.lists, self.items, self.issues, self.sessions,
                                              self.registrations, *self._extra.values()]
        for collection in collections:
            found = collection.first_invalid()
            if found is not None:
                return found
        return None

    @classmethod
    def open(cls, data_dir: Path, *, author: str = "", **options: bool) -> Store:
        return cls(Database.open(data_dir, author=author, **options))

    @property
    def data_dir(self) -> Path:
        return self.db.path.parent

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    def transaction(self) -> AbstractContextManager[None]:
        return self.db.transaction()

    @contextlib.contextmanager
    def guarded(self, collection: Collection[Any], key: str, original: dict[str, Any] | None) -> Iterator[None]:
        """A transaction that first checks the record is still what an edit began from (`original`, its raw row
        when the form opened; None for a new record): EditConflictError, saving nothing, when someone else
        changed, removed or (for a new one) made it meanwhile."""
        with self.transaction():
            current = collection.row(key)
            if current != original:
                noted = last_change(self.db.storage.read(), collection.name, key)
                raise EditConflictError(collection.name, key, original, current,
                                        by=noted.by if noted else "", at=noted.at if noted else "")
            yield

    def refresh(self) -> bool:
        """Catch up with another process's save (True when there was one); cheap when there was none."""
        return self.db.refresh()

    def changed_on_disk(self) -> bool:
        return self.db.changed_on_disk()

    @property
    def generation(self) -> str | None:
        """The save this process's data is (changes with each save here and each re-read of another's)."""
        return self.db.storage.generation

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
