"""A typed collection over one table: models in, models out; no TinyDB document or id leaves this module."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from ..domain.errors import describe_validation_error
from .database import Database
from .errors import RecordInvalidError

M = TypeVar("M", bound=BaseModel)


class Collection(Generic[M]):
    """Models of one type, keyed by `key_of(model)`. Every change is validated first, then saved atomically."""

    def __init__(self, db: Database, table: str, model: type[M], key_of: Callable[[M], str]) -> None:
        self.db = db
        self.model = model
        self.key_of = key_of
        self.name = table
        self._table: Any = db.table(table)  # TinyDB's types assume int ids; ours are strings

    def _raw(self) -> dict[str, Any]:
        raw: dict[str, Any] = self._table._read_table()
        return raw

    def _invalid(self, key: str, problem: str) -> RecordInvalidError:
        return RecordInvalidError(f"{self.db.path}: {self.name} record {key!r}: {problem}; fix or remove that "
                                  "record (the file was left as it is)")

    def _model(self, key: str, raw: Any) -> M:
        try:
            return self.model.model_validate(raw)
        except ValidationError as exc:
            raise self._invalid(key, describe_validation_error(exc)) from None

    def first_invalid(self) -> RecordInvalidError | None:
        """The error naming the first stored record its model refuses (slow: validates every row). Raw readers
        (`rows()`, `row()`) skip validation for speed; when one of them trips over a damaged record, this names it."""
        for key, raw in list(self._raw().items()):
            try:
                self._model(key, raw)
            except RecordInvalidError as exc:
                return exc
        return None

    def get(self, key: str) -> M | None:
        raw = self._raw().get(key)
        return None if raw is None else self._model(key, raw)

    def row(self, key: str) -> dict[str, Any] | None:
        """One raw stored row (a read-only view, JSON types), without building the model; do not mutate it."""
        found: dict[str, Any] | None = self._raw().get(key)
        return found

    def __contains__(self, key: str) -> bool:
        return key in self._raw()

    def __len__(self) -> int:
        return len(self._raw())

    def keys(self) -> list[str]:
        return list(self._raw())

    def all(self) -> list[M]:
        return [self._model(key, raw) for key, raw in self._raw().items()]

    def __iter__(self) -> Iterator[M]:
        for key, raw in list(self._raw().items()):
            yield self._model(key, raw)

    def rows(self) -> Iterator[dict[str, Any]]:
        """Raw stored rows (read-only views, JSON types) for fast listings; do not mutate them."""
        return iter(list(self._raw().values()))

    def filter(self, predicate: Callable[[M], bool]) -> list[M]:
        return [model for model in self if predicate(model)]

    def put(self, model: M) -> M:
        """Insert or replace one model."""
        return self.put_many([model])[0]

    def put_many(self, models: Iterable[M]) -> list[M]:
        """Insert or replace many models in one write (none when every row is already stored as it is: a save
        that changes nothing would make every other process re-read the file)."""
        checked = list(models)
        for model in checked:
            if not isinstance(model, self.model):
                raise TypeError(f"expected {self.model.__name__}, got {type(model).__name__}")
        shared: dict[Any, Any] = {}
        encoded = {self.key_of(m): _share_parts(m.model_dump(mode="json"), shared) for m in checked}
        with self.db.storage.transaction():
            current = self._raw()
            changed = {key: row for key, row in encoded.items() if current.get(key) != row}
            if changed:
                self.db.storage.note(self.name, changed, deleted=False)
                self._table._update_table(lambda table: table.update(changed))
        return checked

    def delete(self, key: str) -> bool:
        return bool(self.delete_many([key]))

    def delete_many(self, keys: Iterable[str]) -> list[str]:
        wanted = set(keys)
        removed: list[str] = []

        def drop(table: dict[str, Any]) -> None:
            for key in wanted & set(table):
                del table[key]
                removed.append(key)

        with self.db.storage.transaction():
            present = wanted & self._raw().keys()
            if present:
                self.db.storage.note(self.name, present, deleted=True)
                self._table._update_table(drop)
        return removed


def _share_parts(row: dict[str, Any], shared: dict[Any, Any]) -> dict[str, Any]:
    """Make equal strings, and equal nested lists and dicts, one object across the rows of one write.

    The rows of an import share their timestamps, consent record and list membership, so 100,000 new people
    cost about half the memory. Safe because stored rows are never changed in place: a change replaces the row."""
    for key, item in row.items():
        row[key] = _canonical(item, shared)
    return row


def _canonical(value: Any, shared: dict[Any, Any]) -> Any:
    if type(value) is str:
        return shared.setdefault(value, value)
    parts: Any
    if type(value) is dict:
        parts = {k: _canonical(v, shared) for k, v in value.items()}
        identities = [_identity(v) for v in parts.values()]
        identity: Any = ("d", *parts, *identities)
    elif type(value) is list:
        parts = [_canonical(v, shared) for v in value]
        identities = [_identity(v) for v in parts]
        identity = ("l", *identities)
    else:
        return value
    if None in identities:  # holds a float: -0.0 == 0.0, so never merged
        return parts
    return shared.setdefault(identity, parts)


def _identity(value: Any) -> Any:
    """What makes a canonical part equal to another: its object for containers, type and value for the rest."""
    if type(value) in (dict, list):
        return id(value)
    return None if type(value) is float else (type(value), value)
