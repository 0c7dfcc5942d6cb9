"""Each form used with the keyboard alone, at 320 and 1280 CSS px: Tab through every stop (focus always visible,
never hidden, every target at least 24 by 24 px or spaced), send it with a mistake (the error summary at the top
has focus, is announced and links to each field, which is marked invalid with its message beside it), follow a
summary link to the field, put it right with the keyboard and send it with Enter or Space."""

from __future__ import annotations

from typing import Any

import pytest

from .browser_site import browser, page, served, site  # noqa: F401 - fixtures
from .keyboard import Walk, error_problems
from .server import Server
from .site import HYBRID, READERS, SEVERAL, Site

pytestmark = pytest.mark.browser

WIDTHS = (320, 1280)


def start(page: Any, url: str, width: int) -> Walk:  # noqa: F811
    """The page at this width, every stop walked and checked once, then focus back at the top."""
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(url)
    walk = Walk(page)
    assert walk.walk_all() >= 4, walk.stops
    page.goto(url)
    return walk


def active(page: Any) -> str:  # noqa: F811
    return str(page.evaluate("document.activeElement.id || document.activeElement.className"))


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_up(page: Any, served: Server, width: int) -> None:  # noqa: F811
    walk = start(page, f"{served.url}/subscribe", width)
    walk.tab()
    assert "skip-link" in walk.stops[-1]
    walk.press("Enter")  # skip the header: the next stop is the form's first field
    assert walk.tab() is not None and active(page) == "name"
    walk.tab_to("#email")
    page.keyboard.type("not an address")
    walk.press("Enter", navigates=True)
    assert error_problems(page) == []
    walk.check_here()  # the summary, focused
    walk.tab()
    assert walk.stops[-1].startswith('a "Enter a valid e-mail address')
    walk.press("Enter")
    assert active(page) == "email"
    walk.check_here()
    page.keyboard.press("Control+A")
    page.keyboard.type(f"keyboard.{width}@example.org")
    walk.tab_to("#consent")
    walk.press("Space")
    assert page.is_checked("#consent")
    walk.tab_to("button[type=submit]")
    walk.press("Enter", navigates=True)
    assert "Check your e-mail" in page.title()
    walk.walk_all()
    assert walk.problems == []


@pytest.mark.parametrize(("slug", "choice"), [(SEVERAL, "occurrence"), (HYBRID, "mode")])
@pytest.mark.parametrize("width", WIDTHS)
def test_registration(page: Any, served: Server, slug: str, choice: str, width: int) -> None:  # noqa: F811
    walk = start(page, f"{served.url}/sessions/{slug}", width)
    walk.tab_to("#name")
    walk.press("Enter", navigates=True)  # nothing filled in
    assert error_problems(page) == []
    walk.check_here()
    walk.tab()
    walk.press("Enter")  # the first summary link: the first choice of the group
    assert active(page).startswith(f"{choice}-")
    walk.check_here()
    walk.press("ArrowDown")  # the second choice, chosen
    walk.check_here()
    chosen = page.evaluate(f"document.querySelector('input[name={choice}]:checked').id")
    assert chosen == active(page) and chosen.startswith(f"{choice}-")
    walk.tab_to("#name")
    page.keyboard.type("Kim Keyboard")
    walk.tab_to("#email")
    page.keyboard.type(f"kim.{width}.{slug}@example.org")
    walk.tab_to("#consent")
    walk.press("Space")
    walk.tab_to("button[type=submit]")
    walk.press("Space", navigates=True)
    assert "Check your e-mail" in page.title()
    assert walk.problems == []


@pytest.mark.parametrize("width", WIDTHS)
def test_preferences(page: Any, served: Server, site: Site, width: int) -> None:  # noqa: F811
    walk = start(page, f"{served.url}/p/{site.tokens[READERS[2 + WIDTHS.index(width)]]}", width)
    walk.tab_to('input[value="Road Safety"]')
    walk.press("Space")
    assert page.is_checked('input[value="Road Safety"]')
    walk.tab_to("button[type=submit]")
    walk.press("Enter", navigates=True)
    assert "Your choices are saved" in page.title()
    walk.walk_all()
    assert walk.problems == []


@pytest.mark.parametrize("width", WIDTHS)
def test_unsubscribe(page: Any, served: Server, site: Site, width: int) -> None:  # noqa: F811
    walk = start(page, f"{served.url}/u/{site.tokens[READERS[WIDTHS.index(width)]]}", width)
    walk.tab_to("button[type=submit]")
    walk.press("Enter", navigates=True)
    assert "You are unsubscribed" in page.title()
    walk.walk_all()
    assert walk.problems == []
