"""Edit forms that remember the record's version (#24): a form opens on the stored row, saves through
`Store.guarded()`, and a save over someone else's change meanwhile asks what to do instead of overwriting it.

A form shows a record as a *view*: its widgets' values by field name (the text of an Input, a TextArea's text, a
Select's value, a Checkbox's state). The row the form opened on, their row now and the form's widgets are compared
as views, so the conflict dialog speaks the form's language (dates as typed, lists as ticks): a field is in
conflict when they changed it and the form would save something else. When nothing they changed is in conflict
(they changed a field this form does not show, or made the same change) the form saves over their version at once:
the services merge a form's fields onto the stored record, so nothing of theirs is lost."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, TextArea

from ...storage.collection import Collection
from ...storage.errors import EditConflictError
from ...storage.repositories import Store
from ..errors import EXPECTED_ERRORS, one_line_cause
from .conflict import Choice, ConflictModal, ConflictView, FieldClash
from .form_screen import FormScreen, widget_value

V = TypeVar("V")
R = TypeVar("R")
View = dict[str, object]
BOOKKEEPING = frozenset({"updated_at", "updated_by"})
"""Fields every save changes: not worth naming when someone else's save changed them."""
AUTOMATIC_RETRIES = 3


@dataclass
class RecordSaving(Generic[V, R]):
    """Where a form's record is stored and the service calls that save it.

    `update` changes the stored record to the form's values; `create` makes a new one (a new record, or the form's
    values again after someone else removed the record). `key` is the record's key; for a new record it comes
    from the values (`key_of`, e.g. a typed address) or, when the service makes a fresh key, is None."""

    store: Store
    collection: Collection[Any]
    key: str | None
    update: Callable[[V], R] | None
    create: Callable[[V], R] | None
    noun: str = "record"
    key_of: Callable[[V], str] | None = None

    def row(self) -> dict[str, Any] | None:
        return self.collection.row(self.key) if self.key is not None else None

    def model(self, row: dict[str, Any] | None) -> Any:
        """The record as its model (None for no row)."""
        return None if row is None else self.collection.model.model_validate(row)


class RecordForm(FormScreen[R], Generic[V, R]):
    """A modal form over one record: subclasses describe their view; this saves it without overwriting anyone.

    Subclasses set LABELS (view key -> label) and SHOWN_FIELDS (the stored fields the form covers), implement
    `view_of(model)`, and call `save_values(values)` once their fields are valid; the form is dismissed with the
    service's result when it is saved, and stays open (nothing typed lost) otherwise."""

    LABELS: dict[str, str] = {}
    SHOWN_FIELDS: frozenset[str] = frozenset()

    def __init__(self, saving: RecordSaving[V, R]) -> None:
        super().__init__()
        self.saving = saving
        self.original = saving.row()
        """The stored row this form began from (None: a new record); what a save checks is still there."""
        self._retries = 0

    @property
    def record(self) -> Any:
        """The record as it was when the form opened (or as last taken from someone else), or None."""
        return self.saving.model(self.original)

    # -- the view: subclasses override view_of; the rest works on widgets named f-<key> ---------------------------
    def view_of(self, model: Any) -> View:
        """What the form's widgets show for `model` (a record's model, or None for an empty form)."""
        raise NotImplementedError

    def labels(self) -> dict[str, str]:
        return self.LABELS

    def widget_id(self, key: str) -> str:
        return f"f-{key}"

    def text_of(self, key: str, value: object) -> str:
        """One field's value as the conflict dialog shows it."""
        return shown_text(value)

    def _widget(self, key: str) -> Widget | None:
        found = self.query(f"#{self.widget_id(key)}")
        return found.first() if found else None

    def shown(self) -> View:
        """The widgets' values now (what a save would send), by view key."""
        view: View = {}
        for key in self.view_of(self.record):
            widget = self._widget(key)
            if widget is not None:
                view[key] = widget_value(widget)
        return view

    def load_view(self, view: View) -> None:
        """Put a view into the widgets (taking someone else's version)."""
        for key, value in view.items():
            widget = self._widget(key)
            if widget is not None:
                set_widget_value(widget, value)

    def took_theirs(self) -> None:
        """Called after their version was loaded (a form may re-read what depends on the record)."""

    def key_fixed(self) -> None:
        """Called when a new record's key became an existing record's (a form may disable the key's input)."""

    def kept_mine(self, values: V, conflict: EditConflictError) -> V:
        """The values to save over theirs ("keep mine"): a form whose values say "unchanged" for a field makes
        that "as it was when the form opened"."""
        return values

    # -- saving ----------------------------------------------------------------------------------------------
    def save_values(self, values: V) -> None:
        """Save through `Store.guarded`: dismissed with the result, or an offer when someone changed the record."""
        saving = self.saving
        if saving.store.read_only:
            why = saving.store.db.read_only_reason or "this data folder was opened read-only"
            self.notify(f"Read-only: {why}.", title="Not saved", severity="warning")
            return
        key = saving.key if saving.key is not None or saving.key_of is None else saving.key_of(values)
        call = saving.update if self.original is not None else saving.create
        if call is None:
            self.notify(f"This {saving.noun} cannot be saved from here.", severity="error")
            return
        try:
            if key is None:
                with saving.store.transaction():
                    result = call(values)
            else:
                with saving.store.guarded(saving.collection, key, self.original):
                    result = call(values)
        except EditConflictError as conflict:
            self._conflicted(conflict, key or "", values)
            return
        except EXPECTED_ERRORS as exc:
            self.notify(one_line_cause(exc), title=f"{saving.noun.capitalize()} not saved", severity="error",
                        timeout=10)
            return
        self.dismiss(result)

    def _conflicted(self, conflict: EditConflictError, key: str, values: V) -> None:
        view = self.conflict_view(conflict)
        if not view.removed and not view.clashes and self._retries < AUTOMATIC_RETRIES:
            self._retries += 1  # nothing of theirs would be lost: save over their version
            self._adopt(conflict, key)
            if view.hidden:
                self.notify(f"{view.who} changed {view.hidden_names()} meanwhile; theirs is kept.", timeout=6)
            self.save_values(values)
            return
        self._retries = 0
        self.app.push_screen(ConflictModal(view), lambda choice: self._resolve(choice, conflict, key, values))

    def conflict_view(self, conflict: EditConflictError) -> ConflictView:
        opened = self.view_of(self.saving.model(conflict.original)) if conflict.original is not None else {}
        theirs = self.view_of(self.saving.model(conflict.theirs)) if conflict.theirs is not None else {}
        mine, labels = self.shown(), self.labels()
        clashes = [
            FieldClash(labels.get(key, key), self.text_of(key, opened.get(key)), self.text_of(key, theirs.get(key)),
                       self.text_of(key, mine.get(key)))
            for key in _ordered(labels, opened, theirs, mine)
            if _differs(theirs.get(key), opened.get(key)) and _differs(mine.get(key), theirs.get(key))
        ]
        hidden = [name for name in conflict.fields if name not in self.SHOWN_FIELDS | BOOKKEEPING]
        return ConflictView(noun=self.saving.noun, by=conflict.by, at=conflict.at, removed=conflict.removed,
                            created=conflict.original is None, clashes=clashes, hidden=hidden)

    def _adopt(self, conflict: EditConflictError, key: str) -> None:
        """Their row becomes the version this form edits (a new record's key becomes fixed)."""
        self.original = conflict.theirs
        if conflict.original is None and conflict.theirs is not None:
            self.saving.key = key
            self.key_fixed()

    def _resolve(self, choice: Choice | None, conflict: EditConflictError, key: str, values: V) -> None:
        if choice == "mine":
            values = self.kept_mine(values, conflict)
            self._adopt(conflict, key)
            self.save_values(values)
        elif choice == "theirs":
            self._adopt(conflict, key)
            self.load_view(self.view_of(self.record))
            self.took_theirs()
            self.call_after_refresh(self.remember_values)  # their version is now what "unchanged" means
            self.notify(f"The form now shows the {self.saving.noun} as saved by "
                        f"{conflict.by or 'someone else'}; what you had typed was dropped.", timeout=8)
        elif choice == "new":
            self.original = None
            self.save_values(values)
        elif choice == "discard":
            self.dismiss(None)


def shown_text(value: object) -> str:
    """A view value on one line: yes/no for ticks, — for nothing."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == "" or value is Select.BLANK:
        return "—"
    return " ⏎ ".join(str(value).splitlines())


def set_widget_value(widget: Widget, value: object) -> None:
    if isinstance(widget, TextArea):
        widget.load_text(str(value))
    elif isinstance(widget, Input):
        widget.value = str(value)
    elif isinstance(widget, Checkbox):
        widget.value = bool(value)
    elif isinstance(widget, Select):
        widget.value = value


def _differs(one: object, other: object) -> bool:
    """Two view values differ (an empty text and a missing value are the same: nothing)."""
    return (one if one not in (None, "") else "") != (other if other not in (None, "") else "")


def _ordered(labels: dict[str, str], *views: View) -> list[str]:
    """The form's fields in its own order, then any a view has besides (e.g. a list created meanwhile)."""
    keys = list(labels)
    for view in views:
        keys += [key for key in view if key not in keys]
    return keys
