"""Pre-send checks for the TUI: the bulletin service's findings, with the item each one is about (to jump to)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..services.bulletins import issues as bulletins
from ..services.context import AppContext
from .errors import EXPECTED_ERRORS, one_line_cause

ITEM_ID_RE = re.compile(r"item '([a-z0-9][a-z0-9-]*)'")
ITEM_PREFIX_RE = re.compile(r"^item '[a-z0-9][a-z0-9-]*' \((.*?)\): ")
PLACEHOLDER_FIELD_RE = re.compile(r"\): (title|summary|link text) contains placeholder")
FIELD_OF_CODE = {"missing-link": "link", "past-closing": "closing_date"}
"""The item form's field a finding of an item is about, by the check's code (placeholders name theirs)."""


@dataclass
class Finding:
    severity: str
    message: str
    item_id: str | None = None
    field: str | None = None
    """The item's field the finding is about (`link`, `title`, …), for the form to open on; None if unknown."""

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
    return CheckOutcome([_finding(f.severity, f.message, f.code) for f in raw])


def _finding(severity: str, message: str, code: str = "") -> Finding:
    found = ITEM_ID_RE.search(message)
    item_id = found[1] if found else None
    return Finding("error" if severity == "error" else "warning", message, item_id,
                   _field(code, message) if item_id else None)


def _field(code: str, message: str) -> str | None:
    placeholder = PLACEHOLDER_FIELD_RE.search(message) if code == "placeholder" else None
    if placeholder:
        return placeholder[1].replace(" ", "_")
    return FIELD_OF_CODE.get(code)
