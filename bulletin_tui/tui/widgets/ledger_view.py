"""The ledger of one campaign as a table: one row per recipient, filterable by state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from ...sending.ledger import RecipientState, State, fold, read_records
from ...services.context import AppContext
from ...services.mailings.runs import ledger_path
from .cells import plain_row
from .table_place import place_of, restore_place

STATE_FILTERS = [("Every recipient", "all"), *((state.value.capitalize(), state.value) for state in State
                                                if state is not State.ATTEMPTING)]
ROW_LIMIT = 500


def ledger_states(ctx: AppContext, campaign_id: str) -> list[RecipientState]:
    """Each recipient's current state (an attempt with no outcome counts as uncertain)."""
    path = ledger_path(ctx, campaign_id)
    if not path.exists():
        return []
    states, _events = fold(read_records(path))
    return list(states.values())


def shown_state(person: RecipientState) -> str:
    return State.UNCERTAIN.value if person.state is State.ATTEMPTING else person.state.value


class LedgerTable(DataTable[Text]):
    """Recipients of a campaign with state, time and the server's reply."""

    _keys: list[str] = []

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns("Recipient", "State", "At", "Server reply")

    def show(self, people: list[RecipientState], state_filter: str) -> int:
        """Fill with the people in the chosen state (at most ROW_LIMIT rows); returns how many matched."""
        chosen = [p for p in people if state_filter == "all" or shown_state(p) == state_filter]
        place = place_of(self, self._keys)
        self.clear()
        for person in chosen[:ROW_LIMIT]:
            self.add_row(*plain_row(person.email or person.key, shown_state(person),
                                    person.at[:19].replace("T", " "), person.reply[:70]))
        self._keys = [person.key for person in chosen[:ROW_LIMIT]]
        restore_place(self, place, self._keys)  # the same recipient stays chosen as the ledger grows
        return len(chosen)
