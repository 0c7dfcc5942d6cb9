"""`bulletin check`: the issue's pre-send checks plus the privacy notice's (the TUI's check list leaves those to
`mail check`)."""

from __future__ import annotations

from collections.abc import Sequence

from ...rendering.checks import Finding
from ...rendering.footer import privacy_notice_warnings
from ..context import AppContext
from .issues import run_checks


def issue_findings(ctx: AppContext, issue: str, list_slug: Sequence[str] | None = None) -> list[Finding]:
    """Every finding of the issue's checks for these lists (default: every list), then the privacy notice's
    warnings."""
    privacy = [Finding("privacy-notice", text, "warning") for text in privacy_notice_warnings(ctx.settings.sender)]
    return run_checks(ctx, issue, list_slug=list_slug) + privacy
