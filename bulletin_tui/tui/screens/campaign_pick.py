"""Offer the awareness campaigns of an issue's month as items: tick the ones to add (space), enter adds them."""

from __future__ import annotations

from datetime import date

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, SelectionList, Static
from textual.widgets.selection_list import Selection

from ...domain.awareness import Occurrence, is_guess, span_words
from ..containment import ContainHandlerErrors, on


class CampaignPickModal(ContainHandlerErrors, ModalScreen[list[str] | None]):
    """Dismisses with the slugs of the ticked campaigns, or None when skipped. Campaigns that start in the month
    are ticked to begin with; those running on from the month before are offered unticked."""

    campaign_list = getters.query_one("#campaign-list", SelectionList)

    BINDINGS = [Binding("escape", "skip", "Skip"), Binding("ctrl+s", "add", "Add ticked")]

    def __init__(self, issue_slug: str, offered: list[Occurrence], month_start: date) -> None:
        super().__init__()
        self.issue_slug = issue_slug
        self.offered = offered
        self.month_start = month_start

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="campaign-pick"):
            yield Static(
                f"Awareness campaigns in {self.issue_slug}: space ticks or unticks, "
                "ctrl+s adds the ticked ones as items, escape skips",
                classes="modal-title",
                markup=False,
            )
            yield SelectionList[str](*(self._selection(o) for o in self.offered), id="campaign-list")
            yield Static(
                "Dates marked 'usual' come from the rule: check the organiser's before sending.",
                classes="hint",
                markup=False,
            )
            with Horizontal(classes="modal-buttons"):
                yield Button("Add ticked", id="add", variant="primary")
                yield Button("Skip", id="skip")

    def _selection(self, occurrence: Occurrence) -> Selection[str]:
        usual = " (usual)" if is_guess(occurrence) else ""
        label = f"{occurrence.campaign.name}: {span_words(occurrence.start, occurrence.end, short=True)}{usual}"
        return Selection(label, occurrence.campaign.slug, occurrence.start >= self.month_start)

    def on_mount(self) -> None:
        self.campaign_list.focus()

    @on(Button.Pressed, "#add")
    def action_add(self) -> None:
        self.dismiss(list(self.campaign_list.selected))

    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        self.dismiss(None)
