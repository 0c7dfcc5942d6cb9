"""`mail check`: the mailbox steps (a fresh token when signing in with OAuth2), then, with [teams] organiser set,
each Microsoft Graph permission Teams meetings and attendance need."""

from __future__ import annotations

import asyncio

from ...config import Settings
from ..mailauth.steps import MailCheck
from ..mailauth.wiring import token_provider, uses_oauth
from .check import check_mail


def check_setup(settings: Settings) -> MailCheck:
    """Every step of the mail set-up (and Teams, when configured), one step each; nothing is sent."""
    make = (lambda: token_provider(settings)) if uses_oauth(settings) else None
    report = asyncio.run(check_mail(settings, make_token_source=make))
    if settings.teams.organiser.strip():  # Teams through Microsoft Graph: one line per permission problem
        from ..teams.check import teams_steps

        report.steps += teams_steps(settings)
    return report
