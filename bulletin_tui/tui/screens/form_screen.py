"""What every modal form shares so that nothing typed is lost (#25).

- The first field has the focus when the form opens, scrolled to the top (a scroll container used to take the
  focus, and the first text typed went nowhere); a form may name another field to start in (`start_in`).
- Focusing a field puts the cursor at the end of its text instead of selecting it all, so typing adds to a value
  rather than replacing it.
- Escape (or Cancel) on a form whose fields changed asks before throwing the changes away; on an unchanged form it
  just closes."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import events
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, TextArea
from textual.widgets.input import Selection

from ..containment import ContainHandlerErrors, on
from .confirm import ConfirmModal

T = TypeVar("T")
FIELDS = "Input, TextArea, Select, Checkbox"
"""The widgets that hold what a form collects."""


class FormScreen(ContainHandlerErrors, ModalScreen[T | None], Generic[T]):
    """A modal form: dismissed with its result, or None when cancelled (after asking, if anything changed)."""

    AUTO_FOCUS = ""  # the form focuses its first field itself, without scrolling it to the middle
    DISCARD_QUESTION = "Throw away what you changed in this form?"
    start_in: str | None = None
    """The id of the field to focus on opening (None: the first field)."""
    opened_with: dict[str, object] | None = None
    """Each field's value when the form opened (by widget id), to tell whether anything changed."""

    @on(events.Mount)
    def _keep_typing(self) -> None:
        for field in self.query(Input):
            field.select_on_focus = False
        named = self.query(f"#{self.start_in}") if self.start_in is not None else None
        start = named.first() if named else next((w for w in self.query(FIELDS) if w.focusable), None)
        if start is not None:  # the first field is not scrolled to the middle: the form opens at its title
            self.set_focus(start, scroll_visible=named is not None)
        self.call_after_refresh(self.remember_values)

    @on(events.DescendantFocus)
    def _cursor_to_the_end(self, event: events.DescendantFocus) -> None:
        """A field that takes the focus shows the cursor after its text, nothing selected (whatever focused it:
        opening, tab, a click), so the first key typed never replaces a title."""
        field = event.widget
        if isinstance(field, Input) and field.selection != Selection.cursor(len(field.value)):
            field.selection = Selection.cursor(len(field.value))

    def field_values(self) -> dict[str, object]:
        """What the form's fields hold now, by widget id."""
        return {widget.id: widget_value(widget) for widget in self.query(FIELDS) if widget.id}

    def remember_values(self) -> None:
        """What the fields hold now is what "unchanged" means (on opening; after taking someone else's version)."""
        self.opened_with = self.field_values()

    def changed(self) -> bool:
        return self.opened_with is not None and self.field_values() != self.opened_with

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving: at once when nothing changed, else after asking."""
        if not self.changed():
            self.dismiss(None)
            return
        self.app.push_screen(ConfirmModal(self.DISCARD_QUESTION, confirm_label="Discard changes", danger=True),
                             self._discard_if_confirmed)

    def _discard_if_confirmed(self, confirmed: bool | None) -> None:
        if confirmed:
            self.dismiss(None)


def widget_value(widget: Widget) -> object:
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input | Select | Checkbox):
        return widget.value
    raise TypeError(f"no value for {type(widget).__name__}")
