"""The demo issue in headless Chromium: no horizontal overflow at 600 and 375 px; axe-core finds nothing serious."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.rendering import personal_values, substitute
from bulletin_tui.services.bulletins import prepare_issue
from bulletin_tui.services.context import AppContext

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("BULLETIN_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
WIDTHS = [600, 375]


def _missing() -> str | None:
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        return f"chromium not found at {CHROMIUM}"
    if not AXE.exists():
        return f"axe-core not found at {AXE} (run scripts/test-deps.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS, offline=True)
        yield context
        context.close()


@pytest.fixture
def demo_pages(demo_ctx: AppContext, tmp_path: Path) -> dict[str, Path]:
    """The demo issue as a reader sees it (sample values) and its archive page, as files."""
    slug = f"{demo_ctx.clock.now():%Y-%m}"
    prepared = prepare_issue(demo_ctx, slug)
    html_values, _ = personal_values(prepared, name="Alex Example", unsubscribe_url="https://example.org/u/abc",
                                     email="alex@example.org", list_name="E-bulletin")
    pages = {"email": tmp_path / "email.html", "archive": tmp_path / "archive.html"}
    pages["email"].write_text(substitute(prepared.html, html_values), encoding="utf-8")
    pages["archive"].write_text(prepared.archive_html, encoding="utf-8")
    return pages


def _open(browser: Any, page_file: Path, width: int) -> Any:
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page_file.as_uri())
    return page


@pytest.mark.parametrize("which", ["email", "archive"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_overflow(browser: Any, demo_pages: dict[str, Path], tmp_path: Path, which: str,
                                width: int) -> None:
    page = _open(browser, demo_pages[which], width)
    try:
        shot = tmp_path / f"{which}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{which} overflows at {width}px: content is {scroll_width}px wide"
        wide = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > limit + 0.5)
                 .map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40))""", width)
        assert wide == []
        if which == "email":
            content = page.evaluate("document.querySelector('.wrap').getBoundingClientRect().width")
            assert content == min(width, 600)
            padding = page.evaluate("getComputedStyle(document.querySelector('.main')).paddingLeft")
            assert padding == ("14px" if width < 620 else "24px"), "the responsive rules (kept !important) apply"
    finally:
        page.close()


@pytest.mark.parametrize("which", ["email", "archive"])
def test_axe_core_finds_no_serious_violations(browser: Any, demo_pages: dict[str, Path], which: str) -> None:
    page = _open(browser, demo_pages[which], 600)
    try:
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [f"{v['id']} ({v['impact']}): {v['help']} x{len(v['nodes'])}"
                   for v in results["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == []
        assert results["passes"], "axe must actually have run its rules"
    finally:
        page.close()


def test_desktop_keeps_the_inlined_layout(browser: Any, demo_pages: dict[str, Path]) -> None:
    page = _open(browser, demo_pages["email"], 900)
    try:
        assert page.evaluate("document.querySelector('.wrap').getBoundingClientRect().width") == 600
        assert page.evaluate("getComputedStyle(document.querySelector('.main')).paddingLeft") == "24px"
    finally:
        page.close()
