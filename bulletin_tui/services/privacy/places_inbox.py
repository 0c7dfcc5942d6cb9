"""Places the team mailbox's return path fills: the messages read (sender, subject, excerpt), the changes made about
people, bounce scores (keyed by address) and contributions offered by partners (contact, kept attachments)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from ..context import AppContext
from ..inbox import privacy as inbox
from ..inbox.drafts import drafts_table
from ..inbox.records import bounce_scores, inbox_actions, inbox_messages
from .place import Held, Person, Place, Survey, oldest_of

if TYPE_CHECKING:
    from .subject import ErasureReport

CONTRIBUTIONS_FOLDER = "contributions"


def _messages_survey(ctx: AppContext) -> Survey:
    held = [m for m in inbox_messages(ctx) if m.sender]
    return Survey(len(held), "messages", oldest_of([m.received_at for m in held]))


def _messages_held(ctx: AppContext, person: Person) -> Held:
    found = [m.model_dump(mode="json") for m in inbox.messages_from(ctx, person.key)]
    return Held({"inbox": {"messages": found}}, len(found))


def _changes_survey(ctx: AppContext) -> Survey:
    held = [a for a in inbox_actions(ctx) if a.person]
    return Survey(len(held), "changes", oldest_of([a.at for a in held]))


def _changes_held(ctx: AppContext, person: Person) -> Held:
    found = [a.model_dump(mode="json") for a in inbox.changes_about(ctx, person.key)]
    return Held({"inbox": {"changes": found}}, len(found))


def _scores_survey(ctx: AppContext) -> Survey:
    scores = bounce_scores(ctx).all()
    days = [s.last_day for s in scores if s.last_day is not None]
    return Survey(len(scores), "scores", datetime.combine(min(days), time(), UTC) if days else None,
                  "dated by each address's last bounce")


def _score_held(ctx: AppContext, person: Person) -> Held:
    score = bounce_scores(ctx).get(person.key)
    return Held({"inbox": {"bounce_score": score.model_dump(mode="json") if score else None}}, int(bool(score)))


def _contributions_survey(ctx: AppContext) -> Survey:
    held = [d for d in drafts_table(ctx) if d.contact_email or d.contact_name or any(a.kept_as for a in d.attachments)]
    return Survey(len(held), "contributions", oldest_of([d.received_at for d in held]))


def _contributions_held(ctx: AppContext, person: Person) -> Held:
    found = [d.model_dump(mode="json") for d in inbox.contributions_from(ctx, person.key)]
    return Held({"inbox": {"contributions": found}}, len(found))


def _count_into_report(erase: str) -> Callable[[AppContext, Person, ErasureReport], int]:
    def run(ctx: AppContext, person: Person, report: ErasureReport) -> int:
        done: int = getattr(inbox, erase)(ctx, person.key)
        report.inbox_records += done
        return done

    return run


INBOX_PLACES = (
    Place("inbox_messages", "bulletin.json: inbox_messages", "sender, subject and opening lines of messages read",
          _messages_survey, _messages_held, _count_into_report("erase_messages"),
          "sender, subject and excerpt removed", tables=("inbox_messages",)),
    Place("inbox_changes", "bulletin.json: inbox_actions", "who each automatic change was about, and its undo data",
          _changes_survey, _changes_held, _count_into_report("erase_changes"),
          "person and undo data removed", tables=("inbox_actions",)),
    Place("bounce_scores", "bulletin.json: bounce_scores", "an address and how its mail bounced",
          _scores_survey, _score_held, _count_into_report("erase_score"),
          "removed", tables=("bounce_scores",)),
    Place("contributions", "bulletin.json: contributions, contributions/", "a partner contact's name and address, "
          "attachments kept from their e-mail", _contributions_survey, _contributions_held,
          _count_into_report("erase_contributions"),
          "contact and attachments removed", tables=("contributions",), paths=(CONTRIBUTIONS_FOLDER,)),
)
