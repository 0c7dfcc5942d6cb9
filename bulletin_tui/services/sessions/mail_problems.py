"""Session mail that did not arrive, with the reason the queue holds (the server's reply, or why it was skipped):
what the sessions screen shows under a session and after a send, as `sessions mail` does."""

from __future__ import annotations

from dataclasses import dataclass

from ..context import AppContext
from .mail import MailOutcome, mail_queue

PROBLEMS = (MailOutcome.FAILED, MailOutcome.UNCERTAIN, MailOutcome.DEFERRED)


@dataclass(frozen=True)
class MailProblem:
    to: str  # "(erased)" when the registration is gone
    kind: str  # invite, update, cancellation, reminder...
    outcome: str  # failed, uncertain or deferred
    reason: str

    def line(self) -> str:
        """`jo@example.org (invite) failed: 550 5.1.1 mailbox unknown`"""
        return f"{self.to} ({self.kind}) {self.outcome}: {self.reason or 'no reply recorded'}"


def mail_problems(ctx: AppContext, session_slug: str) -> list[MailProblem]:
    """The session's failed, uncertain and deferred messages with their reasons, in queue order."""
    found = sorted((m for m in mail_queue(ctx) if m.session_slug == session_slug and m.outcome in PROBLEMS),
                   key=lambda m: m.order)
    problems = []
    for mail in found:
        registration = ctx.store.registrations.get(mail.registration_id)
        problems.append(MailProblem(registration.email if registration else "(erased)", mail.kind.value,
                                    mail.outcome.value, mail.reply))
    return problems
