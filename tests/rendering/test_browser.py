"""What readers open, in headless Chromium: the demo issue, its archive page, the published archive index and a
session invite. No horizontal overflow at 600 and 375 px (screenshots of each are written to the test's tmp
folder); axe-core finds nothing serious."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.rendering import personal_values, substitute
from bulletin_tui.services.bulletins.prepare import prepare_issue
from bulletin_tui.services.bulletins.publish import publish_site
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions.catalogue import create_session, parse_times
from bulletin_tui.services.sessions.mail import pending_mail, render_mail
from bulletin_tui.services.sessions.registrations import register

from ..browser_support import chromium, serious_axe_violations

pytestmark = pytest.mark.browser

WIDTHS = [600, 375]
PAGES = ["email", "archive", "index", "invite"]
TEAMS = ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjM4ZTk0YjEtMzQ4Ny00OWE2LWI4ZjYtZDc0%40thread.v2/0"
         "?context=%7b%22Tid%22%3a%22a1b2c3d4%22%2c%22Oid%22%3a%22e5f6%22%7d")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-profile"), offline=True) as context:
        yield context


@pytest.fixture
def demo_pages(demo_ctx: AppContext, tmp_path: Path) -> dict[str, Path]:
    """The demo issue as a reader sees it (sample values), its archive page, the archive index and an invite."""
    slug = f"{demo_ctx.clock.now():%Y-%m}"
    prepared = prepare_issue(demo_ctx, slug)
    html_values, _ = personal_values(prepared, name="Alex Example", unsubscribe_url="https://example.org/u/abc",
                                     email="alex@example.org", list_name="E-bulletin")
    pages = {name: tmp_path / f"{name}.html" for name in ("email", "archive", "index", "invite")}
    pages["email"].write_text(substitute(prepared.html, html_values), encoding="utf-8")
    pages["archive"].write_text(prepared.archive_html, encoding="utf-8")
    publish_site(demo_ctx, tmp_path / "site")
    pages["index"].write_text((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), encoding="utf-8")
    pages["invite"].write_text(_invite_html(demo_ctx), encoding="utf-8")
    return pages


def _invite_html(ctx: AppContext) -> str:
    """The HTML part of a real invite for an online session with a long Teams link."""
    starts, ends = parse_times("2026-12-03 12:30", "13:30")
    create_session(ctx, slug="csis-browser", title="CSIS: Safeguarding on the Railway (Southeastern Railway)",
                   start=starts, end=ends, join_link=TEAMS)
    register(ctx, "csis-browser", "alex.example@police.example.org", name="Alex Example")
    [mail] = pending_mail(ctx, "csis-browser")
    session, registration = ctx.store.sessions.get("csis-browser"), ctx.store.registrations.get(mail.registration_id)
    assert session is not None and registration is not None
    message = email.message_from_bytes(render_mail(ctx, mail, session, registration), policy=email.policy.default)
    return message.get_body(("html",)).get_content()  # type: ignore[union-attr]


def _open(browser: Any, page_file: Path, width: int) -> Any:
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page_file.as_uri())
    return page


@pytest.mark.parametrize("which", PAGES)
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
        if which in ("email", "invite"):
            content = page.evaluate("document.querySelector('.wrap').getBoundingClientRect().width")
            assert content == min(width, 600)
            padding = page.evaluate("getComputedStyle(document.querySelector('.main')).paddingLeft")
            assert padding == ("14px" if width < 620 else "24px"), "the responsive rules (kept !important) apply"
    finally:
        page.close()


@pytest.mark.parametrize("which", PAGES)
def test_axe_core_finds_no_serious_violations(browser: Any, demo_pages: dict[str, Path], which: str) -> None:
    page = _open(browser, demo_pages[which], 600)
    try:
        assert serious_axe_violations(page) == []
    finally:
        page.close()


def test_desktop_keeps_the_inlined_layout(browser: Any, demo_pages: dict[str, Path]) -> None:
    page = _open(browser, demo_pages["email"], 900)
    try:
        assert page.evaluate("document.querySelector('.wrap').getBoundingClientRect().width") == 600
        assert page.evaluate("getComputedStyle(document.querySelector('.main')).paddingLeft") == "24px"
    finally:
        page.close()


def test_invite_join_link_is_a_real_link(browser: Any, demo_pages: dict[str, Path]) -> None:
    page = _open(browser, demo_pages["invite"], 375)
    try:
        link = page.get_by_role("link", name="Join the session (Microsoft Teams)")
        assert link.get_attribute("href") == TEAMS
        box = link.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 375
        assert page.evaluate("document.querySelector('meta[name=viewport]') !== null")
    finally:
        page.close()
