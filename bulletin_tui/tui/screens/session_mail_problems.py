"""The reasons session mail did not arrive, as the sessions screen shows them: under the session (from the queue)
and in the notice after a send (from its results)."""

from __future__ import annotations

from collections.abc import Sequence

from ...services.context import AppContext
from ...services.mailings.session_delivery import Delivered
from ...services.sessions.mail import MailOutcome
from ...services.sessions.mail_problems import mail_problems

SHOWN = 3
"""Problems listed under a session; the rest are counted (all of them: `bulletin-tui sessions mail SLUG`)."""


def problems_text(ctx: AppContext, slug: str) -> str:
    """"\\n✘ jo@example.org (invite) failed: 550 5.1.1 …" per problem, or ""."""
    problems = mail_problems(ctx, slug)
    lines = [f"\n✘ {problem.line()}" for problem in problems[:SHOWN]]
    if len(problems) > SHOWN:
        lines.append(f"\n… and {len(problems) - SHOWN} more (bulletin-tui sessions mail {slug})")
    return "".join(lines)


def delivery_problems(delivered: Sequence[Delivered]) -> str:
    """" Failed: jo@example.org (invite): 550 …" for the messages of a send that failed or are uncertain."""
    failed = [d for d in delivered if d.outcome in (MailOutcome.FAILED, MailOutcome.UNCERTAIN)]
    reasons = "; ".join(f"{d.to or '(erased)'} ({d.kind.value}): {d.reply or d.outcome.value}" for d in failed[:SHOWN])
    more = f"; and {len(failed) - SHOWN} more" if len(failed) > SHOWN else ""
    return f". Not delivered: {reasons}{more}." if failed else ""
