"""Pre-send checks for the TUI: the bulletin service's findings, with the item each one is about (to jump to)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..services.bulletins import issues as bulletins
from ..services.context import AppContext
from .errors import EXPECTED_ERRORS, one_line_cause

ITEM_ID_RE = re.compile(r"item '([a-z0-9][a-z0-9-]*)'")
ITEM_PREFIX_RE = re.compile(r"^item '[a-z0-9][a-z0-9-]*' \((.*?)\): ")


@dataclass
class Finding:
    severity: str
    message: str
    item_id: str | None = None

    @property
    def short(self) -> str:
        """The message with the item named by its title only (`Title: has no link ...`)."""
        return ITEM_PREFIX_RE.sub(r"“\1”: ", self.message)


@dataclass
class CheckOutcome:
    findings: list[Finding] = field(default_factory=list)
    unavailable: str = ""

    @property
    def passed(self) -> bool:
        return not self.unavailable and not any(f.severity == "error" for f in self.findings)

    def summary(self) -> str:
        if self.unavailable:
            return f"checks could not run: {self.unavailable}"
        errors = sum(f.severity == "error" for f in self.findings)
        warnings = len(self.findings) - errors
        if not self.findings:
            return "all checks passed"
        return f"{errors} problem(s), {warnings} warning(s)"


def run_checks(ctx: AppContext, slug: str, list_slug: str | list[str] | None = None) -> CheckOutcome:
    """Run the issue's pre-send checks; a failure to run them is reported, not raised."""
    try:
        raw = bulletins.run_checks(ctx, slug, list_slug=list_slug)
    except (*EXPECTED_ERRORS, RuntimeError) as exc:
        return CheckOutcome(unavailable=one_line_cause(exc))
    return CheckOutcome([_finding(f.severity, f.message) for f in raw])


def _finding(severity: str, message: str) -> Finding:
    found = ITEM_ID_RE.search(message)
    return Finding("error" if severity == "error" else "warning", message, found[1] if found else None)
