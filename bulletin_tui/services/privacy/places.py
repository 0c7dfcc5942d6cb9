"""Every place personal data lives, in one list that subject access, erasure, the retention schedule and the audit
all iterate (issue #27). A new table or file that holds people belongs here, with a survey, what subject access
shows and what erasure does; `tests/privacy/test_places.py` fails for a table or folder of a real data folder that
is neither here nor in `NOT_PERSONAL` with its reason."""

from __future__ import annotations

from .place import Place
from .places_files import FILE_PLACES
from .places_inbox import INBOX_PLACES
from .places_mail import MAIL_PLACES
from .places_people import PEOPLE_PLACES
from .places_sessions import SESSION_PLACES

PLACES: tuple[Place, ...] = (*PEOPLE_PLACES, *SESSION_PLACES, *INBOX_PLACES, *MAIL_PLACES, *FILE_PLACES)
"""In the order erasure visits them (a registration's queued mail before the registration; copies last)."""

NOT_PERSONAL: dict[str, str] = {
    # database tables
    "_meta": "the schema version and the last save (which staff account saved)",
    "_changes": "who on the staff changed a record, under a hash of its key (never the key)",
    "lists": "distribution lists", "issues": "bulletin issues", "sessions": "sessions and their dates",
    "items": "bulletin items: text written for publication (a contributor's credit goes with the contribution)",
    "session_followups": "materials sent after a session", "awareness_campaigns": "the awareness calendar",
    "feedback_mappings": "questionnaire column mappings", "scheduled_sends": "scheduled sends: lists and times",
    "journal_applied": "ids of web requests applied and what was done, without an address",
    "audit": "the privacy audit trail: counts and hash prefixes, never an address",
    "retention_runs": "what each retention run did: counts per class, when, who",
    "kept_sessions": "kept figures: counts per session", "kept_bulletins": "kept figures: counts per bulletin",
    "kept_subscribers": "kept figures: counts per year",
    # files and folders in the data folder
    "bulletin.json": "the database: its tables are listed one by one", "bulletin.lock": "the write lock",
    "secret.key": "the installation key (no personal data; it keys the suppression hashes)",
    "previews": "bulletin previews rendered for a sample reader", "worker": "the worker's status: counts only",
    "oauth-token-cache.json": "the team mailbox's sign-in tokens (a secret, not about the people mailed)",
}


def place(name: str) -> Place:
    """The place of that name (KeyError for an unknown one)."""
    for found in PLACES:
        if found.name == name:
            return found
    raise KeyError(name)
