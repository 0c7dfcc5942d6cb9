"""Every public page, reached as a person reaches it, passes axe-core's WCAG 2.2 A and AA rules (wcag2a, wcag2aa,
wcag21a, wcag21aa, wcag22aa) with no violation of any impact at 320, 375 and 1280 CSS px, and nothing scrolls
sideways (reflow: document scrollWidth <= clientWidth, WCAG 1.4.10 at 320 px). The pages keep their
Content-Security-Policy, so each is checked as a visitor sees it (an archive page's inline styles included)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ..browser_support import axe_violations
from .browser_site import browser, confirmation_link, page, served, site  # noqa: F401 - fixtures
from .server import Server, running_server
from .site import HYBRID, READERS, SEVERAL, SINGLE, Site

pytestmark = pytest.mark.browser

WIDTHS = (320, 375, 1280)


def problems_at_every_width(page: Any, label: str) -> list[str]:  # noqa: F811
    """axe's findings and any sideways scrolling, at each width (the page resized, not reloaded)."""
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        found += [f"{label} at {width} px: {violation}" for violation in axe_violations(page)]
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client:
            found.append(f"{label} at {width} px: scrolls sideways ({scroll} > {client} CSS px)")
    return found


def submit(page: Any, button: str) -> None:  # noqa: F811
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


GET_PAGES = {
    "session list": "/sessions/",
    "session on one date": f"/sessions/{SINGLE}",
    "session on several dates": f"/sessions/{SEVERAL}",
    "hybrid session": f"/sessions/{HYBRID}",
    "sign-up": "/subscribe",
    "accessibility statement": "/accessibility",
    "archive index": "/bulletins/",
    "page not found": "/no-such-page",
    "session not found": "/sessions/no-such-session",
    "confirmation link that does not work": "/confirm/nonsense",
}


@pytest.mark.parametrize("label", GET_PAGES)
def test_pages_reached_by_a_link(page: Any, served: Server, label: str) -> None:  # noqa: F811
    page.goto(served.url + GET_PAGES[label])
    assert page.locator("footer a", has_text="Accessibility statement").count() == 1
    assert problems_at_every_width(page, label) == []


def test_an_archived_bulletin_in_its_own_styles(page: Any, served: Server, site: Site) -> None:  # noqa: F811
    page.goto(f"{served.url}/bulletins/{site.issue}.html")
    assert page.locator("footer a", has_text="Accessibility statement").count() == 1
    masthead = page.evaluate("getComputedStyle(document.querySelector('.mast')).backgroundColor")
    assert masthead not in ("rgba(0, 0, 0, 0)", "transparent"), "the page's inline styles apply (CSP allows them)"
    assert problems_at_every_width(page, "archived bulletin") == []


@pytest.mark.parametrize("slug", [SINGLE, SEVERAL, HYBRID])
def test_registration_forms_with_their_errors(page: Any, served: Server, slug: str) -> None:  # noqa: F811
    page.goto(f"{served.url}/sessions/{slug}")
    submit(page, "Register")
    assert page.title().startswith("Error: ") and page.locator(".error-summary").count() == 1
    assert problems_at_every_width(page, f"registration for {slug} with errors") == []


def test_sign_up_with_errors_then_confirmed(page: Any, served: Server, site: Site) -> None:  # noqa: F811
    page.goto(f"{served.url}/subscribe")
    page.get_by_label("Work e-mail address").fill("not an address")
    submit(page, "Send me a confirmation e-mail")
    found = problems_at_every_width(page, "sign-up with errors")
    page.get_by_label("Work e-mail address").fill("axe.walker@example.org")
    page.get_by_label(re.compile("I would like to receive")).check()
    submit(page, "Send me a confirmation e-mail")
    found += problems_at_every_width(page, "sign-up sent")
    link = confirmation_link(site.data_dir, "axe.walker@example.org")
    page.goto(link)
    found += problems_at_every_width(page, "confirm page")
    page.context.clear_cookies()  # the form's token has gone: the page says so at the top
    submit(page, "Confirm")
    assert page.locator(".error-summary").count() == 1
    found += problems_at_every_width(page, "confirm page, expired")
    submit(page, "Confirm")
    assert "You are subscribed" in page.content()
    found += problems_at_every_width(page, "confirmed")
    assert found == []


def test_unsubscribe_and_preferences(page: Any, served: Server, site: Site) -> None:  # noqa: F811
    page.goto(f"{served.url}/u/{site.tokens[READERS[0]]}")
    found = problems_at_every_width(page, "unsubscribe form")
    submit(page, "Unsubscribe")
    found += problems_at_every_width(page, "unsubscribed")
    page.goto(f"{served.url}/p/{site.tokens[READERS[1]]}")
    found += problems_at_every_width(page, "preferences")
    page.get_by_label("Road Safety").check()
    submit(page, "Save my choices")
    found += problems_at_every_width(page, "preferences saved")
    page.goto(f"{served.url}/p/{site.tokens[READERS[2]]}")
    page.context.clear_cookies()
    submit(page, "Save my choices")
    found += problems_at_every_width(page, "preferences, form expired")
    assert found == []


def test_a_method_not_allowed(page: Any, served: Server) -> None:  # noqa: F811
    page.goto(f"{served.url}/sessions/")
    with page.expect_navigation():  # what a stale bookmarklet or a form elsewhere might send
        page.evaluate("""() => { const form = document.createElement('form');
            form.method = 'post'; form.action = '/sessions/'; document.body.append(form); form.submit(); }""")
    assert page.title().startswith("This cannot be done here")
    assert problems_at_every_width(page, "405") == []


def test_too_many_requests(page: Any, site: Site) -> None:  # noqa: F811
    log = site.data_dir.parent / "serve-429.log"
    with running_server(site.data_dir, log, "--per-ip-per-minute", "1") as limited:  # its start-up check used it
        response = page.goto(f"{limited.url}/subscribe")
        assert response.status == 429 and page.title().startswith("Too many requests")
        assert problems_at_every_width(page, "429") == []
