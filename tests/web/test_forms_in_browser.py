"""A person in Chromium: signs up and registers through the forms, follows the confirmation link from the e-mail
the outbox holds, and ends up in the database; every page passes axe-core at 375 and 1280 px with no sideways
scrolling."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.domain.sessions import RegistrationStatus
from bulletin_tui.services.sessions.registrations import registration_id

from ..browser_support import chromium, serious_axe_violations
from .conftest import PEOPLE, reopen, token_for
from .server import Server

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    with chromium(tmp_path / "profile", bypass_csp=True) as context:  # only so axe's script can be added
        yield context


def confirmation_link(data_dir: Path, to: str, within: float = 40) -> str:
    """The link in the newest confirmation e-mail to `to` in the outbox (serve's applier sends it within seconds)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for path in sorted((data_dir / "outbox").glob("*.eml"), reverse=True):
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            if message["To"] == to:
                found = re.search(r"https?://\S+/confirm/\S+", message.get_body(("plain",)).get_content())
                assert found, "the confirmation e-mail carries a link"
                return found.group(0)
        time.sleep(0.1)
    raise AssertionError(f"no confirmation e-mail to {to}")


def wait_for(check: Any, within: float = 10) -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    return check()


def test_sign_up_with_double_opt_in(browser: Any, server: Server, web_data: Path, settings: Settings) -> None:
    page = browser.new_page()
    page.goto(f"{server.url}/subscribe")
    page.get_by_label("Your name", exact=True).fill("Sam New")
    page.get_by_label("Work e-mail address").fill("sam.new@swale.example")
    page.get_by_label("Organisation", exact=True).fill("Swale Borough Council")
    page.get_by_label("Preventing Extremism and Hate").check()
    page.get_by_label(re.compile("I would like to receive")).check()
    page.get_by_role("button", name="Send me a confirmation e-mail").click()
    assert "Check your e-mail" in page.content()
    with reopen(settings) as ctx:
        assert ctx.store.subscribers.get("sam.new@swale.example") is None  # nothing until the link is followed

    page.goto(confirmation_link(web_data, "sam.new@swale.example"))
    page.get_by_role("button", name="Confirm").click()
    assert "You are subscribed" in page.content()

    def subscribed() -> Any:
        with reopen(settings) as ctx:
            return ctx.store.subscribers.get("sam.new@swale.example")

    person = wait_for(subscribed)
    assert person is not None and person.is_subscribed("e-bulletin") and person.topics == [
        "Preventing Extremism and Hate"]
    consent = person.consent[-1]
    assert consent.source == "web sign-up (double opt-in)" and "confirmed" in consent.reference
    page.close()


def test_registration_with_double_opt_in_never_shows_the_join_link(browser: Any, server: Server, web_data: Path,
                                                                   settings: Settings) -> None:
    page = browser.new_page()
    page.goto(f"{server.url}/sessions/")
    page.get_by_role("link", name="CSIS: Serious Violence Duty").click()
    assert "secret-join-link" not in page.content()
    page.get_by_label("Your name", exact=True).fill("Jordan Housing")
    page.get_by_label("Work e-mail address").fill("jordan@folkestone-hythe.example")
    page.get_by_label("Accessibility needs (optional)").fill("Captions please")
    page.get_by_label(re.compile("may use my name")).check()
    page.get_by_role("button", name="Register").click()
    page.goto(confirmation_link(web_data, "jordan@folkestone-hythe.example"))
    page.get_by_role("button", name="Confirm").click()
    assert "registration is confirmed" in page.content()

    def registered() -> Any:
        with reopen(settings) as ctx:
            return ctx.store.registrations.get(registration_id("csis-2027-01", "jordan@folkestone-hythe.example"))

    registration = wait_for(registered)
    assert registration is not None and registration.status is RegistrationStatus.CONFIRMED
    assert registration.access_needs == "Captions please"

    def full() -> bool:  # capacity 1: the page sees the new place once the server re-reads the database (<= 10 s)
        page.goto(f"{server.url}/sessions/")
        return "Fully booked: join the waiting list" in page.content()

    assert wait_for(full, within=20)
    page.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_every_page_is_accessible_and_fits(browser: Any, server: Server, web_data: Path, settings: Settings,
                                           width: int, tmp_path: Path) -> None:
    token = token_for(web_data, settings, PEOPLE[0])
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/subscribe", "/sessions/", "/sessions/csis-2027-01", f"/u/{token}", f"/p/{token}",
                 "/confirm/nonsense"):
        page.goto(server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert serious_axe_violations(page) == [], path
        page.screenshot(path=str(tmp_path / f"{path.strip('/').split('/')[0] or 'home'}-{width}.png"), full_page=True)
    page.close()
