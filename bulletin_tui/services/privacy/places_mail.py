"""Places what was sent leaves behind: send ledgers (who was sent what, when, the server's reply) and outbox copies
(whole messages, in outbox mode)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ...sending.ledger import ERASED_PREFIX
from ..context import AppContext
from ..mailings.runs import entries_for, redact
from .files import outbox_messages, outbox_messages_to, remove_outbox_messages, written_at
from .ledger_files import due_recipients, ledger_paths, redact_events
from .place import Held, Person, Place, Survey, oldest_of

if TYPE_CHECKING:
    from .subject import ErasureReport

_NEVER = datetime.max.replace(tzinfo=UTC)


def _ledgers_survey(ctx: AppContext) -> Survey:
    paths = ledger_paths(ctx)
    held = [due_recipients(path, _NEVER) for path in paths]  # every recipient holding an address or a name
    return Survey(sum(len(d.last_seen) for d in held), "recipients", oldest_of([d.oldest for d in held]),
                  f"in {len(paths)} ledger file(s); dated by each recipient's last record")


def _ledgers_held(ctx: AppContext, person: Person) -> Held:
    found = entries_for(ctx, person.email)
    return Held({"send_ledger": found}, len(found))


def _erase_ledgers(ctx: AppContext, person: Person, report: ErasureReport) -> int:
    """Replace the address (and name) with `erased:<digest>` in every ledger, events naming them too."""
    redacted = redact(ctx, person.email, report.digest)
    report.ledger_entries = redacted + redact_events(ctx, person.key, ERASED_PREFIX + report.digest)
    return report.ledger_entries


def _outbox_survey(ctx: AppContext) -> Survey:
    paths = outbox_messages(ctx)
    return Survey(len(paths), "messages", oldest_of([written_at(path) for path in paths]))


def _outbox_held(ctx: AppContext, person: Person) -> Held:
    found = [str(path) for path in outbox_messages_to(ctx, person.email)]
    return Held({"outbox_messages": found}, len(found))


def _erase_outbox(ctx: AppContext, person: Person, report: ErasureReport) -> int:
    report.outbox_messages = remove_outbox_messages(ctx, person.email)
    return report.outbox_messages


MAIL_PLACES = (
    Place("send_ledgers", "ledgers/", "each recipient's address, name, state, server reply and message id",
          _ledgers_survey, _ledgers_held, _erase_ledgers, "address and name replaced by a keyed hash",
          paths=("ledgers",)),
    Place("outbox", "outbox/", "whole messages as they would have been sent (outbox mode)",
          _outbox_survey, _outbox_held, _erase_outbox, "removed", paths=("outbox",)),
)
