"""What one campaign run writes to its ledger: each recipient's state changes and the run's events, with the
recipients' current states and the count in each state.

Addresses stay in the `email` field only (never in a reply text), an erased person's records carry no address, and
a run over a ledger without addresses (session mail) never writes one. A record that cannot be written whole (a
full disk) raises `AppendError` after telling the runner (`on_write_failure`), so no message goes out unless its
`attempting` is on disk.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection
from typing import Any

from ..domain.clock import Clock
from ..storage.appendlog import AppendError
from .ledger import ERASED_PREFIX, Ledger, RecipientState, State, apply, stamp
from .scrub import without_address

_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.M | re.I)


def message_id_of(message: bytes) -> str:
    """The Message-ID in the message's header (the first 8 KB), or ''."""
    found = _MESSAGE_ID.search(message, 0, 8192)
    return found.group(1).decode() if found else ""


class RunBook:
    """The ledger side of one run: load the recipients, record what happens to each, count them by state."""

    def __init__(self, ledger: Ledger, clock: Clock, *, on_write_failure: Callable[[AppendError], None],
                 address_of: Callable[[str], str] | None = None) -> None:
        self.ledger, self.clock = ledger, clock
        self._on_write_failure, self._address_of = on_write_failure, address_of
        """`address_of`: a ledger of message keys without addresses (session mail); each key's address, found
        when the ledger is loaded and never written to it."""
        self.states: dict[str, RecipientState] = {}
        self.counts: Counter[str] = Counter()

    def load(self, only: Collection[str] | None = None) -> None:
        """Every recipient's state from the ledger (`only` these keys: one run over a long-lived ledger)."""
        self.states, _ = self.ledger.states()
        if only is not None:
            self.states = {key: self.states[key] for key in only if key in self.states}
        if self._address_of is not None:
            for person in self.states.values():
                person.email = "" if person.erased else self._address_of(person.key)
        self.recount()

    def recount(self) -> None:
        self.counts = Counter(p.state.value for p in self.states.values())

    def tally(self) -> dict[str, int]:
        """How many recipients are in each state (states with none left out)."""
        return {k: v for k, v in self.counts.items() if v > 0}

    def honour_redaction(self, person: RecipientState) -> None:
        """If the person was erased while this run was going, forget their address here too."""
        replacement = self.ledger.redacted.get(person.key)
        if replacement:
            person.key, person.email, person.name = replacement, "", ""

    def record(self, person: RecipientState, state: State, **fields: Any) -> None:
        """Write the person's new state (with the reply and other details) and apply it."""
        self.honour_redaction(person)
        if fields.get("reply") and person.email:  # the address is kept in `email` only, never in reply texts
            fields["reply"] = without_address(fields["reply"], person.email)
        record = {"at": stamp(self.clock.now()), "key": person.key, "email": person.email,
                  "state": state.value, **{k: v for k, v in fields.items() if v is not None}}
        if person.key.startswith(ERASED_PREFIX) or self._address_of:
            record.pop("email")
        self._append(record)
        self.counts[person.state.value] -= 1
        apply(person, record)
        self.counts[person.state.value] += 1

    def event(self, name: str, **fields: Any) -> None:
        """A run event (`run-started`, `run-complete`, ...)."""
        self._append({"at": stamp(self.clock.now()), "event": name, **fields})

    def _append(self, record: dict[str, Any]) -> None:
        try:
            self.ledger.append(record)
        except AppendError as exc:
            self._on_write_failure(exc)
            raise
