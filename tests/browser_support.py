"""Headless Debian Chromium through Playwright, and axe-core, for the tests that look at pages as a person does."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("BULLETIN_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
"""axe-core's rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA (what the government's monitoring tests)."""
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def missing() -> str | None:
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        return f"chromium not found at {CHROMIUM}"
    if not AXE.exists():
        return f"axe-core not found at {AXE} (run scripts/test-deps.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


@contextmanager
def chromium(profile: Path, **options: Any) -> Iterator[Any]:
    """A persistent headless context (skips, or fails in CI, when the browser is missing)."""
    reason = missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS, **options)
        try:
            yield context
        finally:
            context.close()


def serious_axe_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (the page must allow the script)."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert results["passes"], "axe must actually have run its rules"
    return [f"{v['id']} ({v['impact']}): {v['help']} x{len(v['nodes'])}"
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Any, tags: tuple[str, ...] = WCAG_22_AA) -> list[str]:
    """Every axe-core finding, whatever its impact, for the rules with these tags, on the page as a visitor sees it:
    axe is evaluated through the browser's devtools protocol, so the page's Content-Security-Policy stays on (no
    `bypass_csp`, no script tag added to the page)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(_axe_source())
    results = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                            "resultTypes: ['violations']})", list(tags))
    assert results["passes"], "axe must actually have run its rules"
    return [f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
            for v in results["violations"]]
