"""The `[retention]` settings section: how long each class of personal data is kept (docs/privacy.md)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RetentionSettings(BaseModel):
    """`[retention]`: how long each class of personal data is kept (docs/privacy.md). The council's records manager
    sets these from the council's retention schedule; `bulletin-tui privacy retention` applies them. Not here:
    suppression hashes (kept: they honour opt-outs and hold no address) and backups (30 days, storage)."""

    registrations_months: int = Field(default=24, ge=1)
    """Registrations, attendance and their session mail, after the session's last date (counts are kept)."""
    feedback_text_months: int = Field(default=24, ge=1)
    """Questionnaire comments and any name kept with them, after the response (the ratings stay, anonymous)."""
    inbox_months: int = Field(default=12, ge=1)
    """Team-mailbox records that hold addresses (messages, changes, bounce scores, contributions), after arrival."""
    sent_mail_months: int = Field(default=24, ge=1)
    """Send ledgers' recipients and outbox copies, after the send (each bulletin's reach is kept as counts)."""
    web_journal_days: int = Field(default=7, ge=1)
    """The web face's requests in the inbound journal, once applied (or never confirmed)."""
    leavers_months: int = Field(default=24, ge=0)
    """A person on no list any more: their record and consent evidence, after they left the last list."""
    exports_days: int = Field(default=90, ge=1)
    """Files in the data folder's exports/ (the app's default export place), after they were written."""
    logs_days: int = Field(default=90, ge=1)
    """Dated lines of the logs in logs/ (the worker's current log rotates by size and holds no addresses)."""
