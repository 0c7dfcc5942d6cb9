"""Subject access as a structured view: a section per place personal data lives, with how many records it holds
about the person, what the place is and, opened, each record's fields. s saves the JSON answer (exports/)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static, Tree
from textual.widgets.tree import TreeNode

from ..containment import on
from .documents import DocumentScreen

if TYPE_CHECKING:
    from ...services.context import AppContext
    from ...services.privacy.subject_view import PlaceHeld, SubjectAccessView

RECORDS_SHOWN = 200
"""Records listed per place (the saved file has them all)."""
RECORDS_OPEN = 5
"""A place with this many records or fewer shows their one-line labels at once."""


def _value(value: Any) -> str:
    text = "–" if value in (None, "", [], {}) else str(value)
    return text if len(text) <= 100 else text[:99] + "…"


def _label(record: Any, number: int) -> str:
    """A record's one-line label: its identifying fields (`demo-2026-12-31 · invite · sent`)."""
    if isinstance(record, dict):
        keys = ("campaign", "session_slug", "list_slug", "kind", "action", "state", "status", "outcome", "at", "file")
        shown = [str(record[key]) for key in keys if record.get(key) not in (None, "")][:4]
        return f"{number}. " + (" · ".join(shown) or f"{len(record)} fields")
    return _value(record)


class SubjectAccessScreen(DocumentScreen):
    """Everything held about one person, place by place."""

    sar_tree = getters.query_one("#sar-tree", Tree)

    BINDINGS = [*DocumentScreen.BINDINGS, Binding("s", "save", "Save (JSON)")]

    def __init__(self, ctx: AppContext, view: SubjectAccessView) -> None:
        super().__init__(ctx, f"Everything held about {view.email}: {view.records:,} record(s) in "
                              f"{sum(1 for p in view.places if p.count and not p.copy)} place(s)")
        self.view = view

    def compose(self) -> ComposeResult:
        tree: Tree[None] = Tree(self.view.email, id="sar-tree", classes="document-body")
        tree.show_root = False
        body = [Static(f"Controller: {self.view.controller}. Generated {self.view.generated_at:%d %b %Y %H:%M} UTC. "
                       f"Not covered: {self.view.not_covered}", id="sar-note", markup=False), tree]
        yield from self.compose_box(iter(body), [("Save JSON (s)", "save")])

    def on_mount(self) -> None:
        tree = self.sar_tree
        for place in self.view.places:
            self._add_place(tree.root, place)
        tree.focus()

    def _add_place(self, root: TreeNode[None], place: PlaceHeld) -> None:
        label = Text.assemble((place.title, "bold" if place.count else "dim"),
                              (f"  {place.count:,}", "bold cyan" if place.count else "dim"),
                              ("  (a copy)" if place.copy else "", "dim"), (f"  {place.where}", "dim"))
        node = root.add(label, expand=bool(place.count) and not place.copy)
        node.add_leaf(Text(f"Holds: {place.holds}. Erasure: {place.erasure}.", style="italic dim"))
        for key, value in place.data.items():
            self._add_value(node, key, value)

    def _add_value(self, parent: TreeNode[None], key: str, value: Any) -> None:
        if isinstance(value, list):
            branch = parent.add(Text.assemble((key.replace("_", " "), "bold"), f"  {len(value):,}"),
                                expand=len(value) <= RECORDS_OPEN)
            for number, record in enumerate(value[:RECORDS_SHOWN], 1):
                self._add_record(branch, _label(record, number), record)
            if len(value) > RECORDS_SHOWN:
                branch.add_leaf(f"… {len(value) - RECORDS_SHOWN:,} more in the saved file")
        elif isinstance(value, dict):
            self._add_record(parent, key.replace("_", " "), value)
        else:
            parent.add_leaf(Text.assemble((f"{key.replace('_', ' ')}: ", "bold"), _value(value)))

    def _add_record(self, parent: TreeNode[None], label: str, record: Any) -> None:
        if not isinstance(record, dict):
            parent.add_leaf(_value(record))
            return
        node = parent.add(label, expand=False)
        for field, value in record.items():
            if isinstance(value, dict) and value:
                self._add_record(node, field.replace("_", " "), value)
            else:
                node.add_leaf(Text.assemble((f"{field.replace('_', ' ')}: ", "bold"), _value(value)))

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        from ...services.privacy.subject_view import write_subject_access

        self.save_as("Save the subject access answer (JSON) to:", "subject-access.json",
                     lambda path: write_subject_access(self.ctx, self.view.email, path))
