"""The web registration form of a session on several dates: the dates to come with their places, a date must be
chosen (the form says so and nothing is journalled), and the confirmed registration is for that date; a hybrid
session's form asks how the person will attend."""

from __future__ import annotations

import html
import re
import time
import urllib.parse
import urllib.request
from email import message_from_bytes, policy
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.domain.sessions import AttendanceMode, SessionFormat
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions import catalogue, occurrences, registrations
from bulletin_tui.storage.journal import all_entries

from .conftest import reopen
from .server import Server, running_server


@pytest.fixture
def cpd_data(ctx: AppContext) -> Path:
    start, end = catalogue.parse_times("2031-02-04 09:30", "16:00")
    catalogue.create_session(
        ctx,
        slug="asb-cpd",
        title="ASB Tools & Powers CPD",
        start=start,
        end=end,
        capacity=1,
        venue="To be confirmed (district/borough partner)",
    )
    for day in ("2031-02-18", "2031-03-04"):
        start, end = catalogue.parse_times(f"{day} 09:30", "16:00")
        occurrences.add_occurrence(ctx, "asb-cpd", start=start, end=end)
    occurrences.cancel_occurrence(ctx, "asb-cpd", "3")
    registrations.register(ctx, "asb-cpd", "first@example.org", occurrence="1")
    ctx.close()
    return ctx.data_dir


class Browser:
    """urllib with a cookie jar (the form's CSRF cookie)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return str(response.read().decode())

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=10) as response:
                return response.status, str(response.read().decode())
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def _link(data_dir: Path, to: str) -> str:
    deadline = time.monotonic() + 40  # serve's applier sends it within seconds
    while time.monotonic() < deadline:
        for path in (data_dir / "outbox").glob("*.eml"):
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            if message["To"] == to:
                body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
                found = re.search(r"https?://\S+/(confirm/\S+)", body)
                assert found
                return "/" + found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no confirmation e-mail to {to}")


def test_a_date_is_chosen_on_the_form(cpd_data: Path, settings: Settings, tmp_path: Path) -> None:
    with running_server(cpd_data, tmp_path / "serve.log") as server:
        _register_through_the_form(server, cpd_data, settings)


def _register_through_the_form(server: Server, data_dir: Path, settings: Settings) -> None:
    browser = Browser(server.url)
    listing = html.unescape(browser.get("/sessions/"))
    assert "From Tuesday 4 February 2031" in listing and "2 dates: 1 place left" in listing
    page = html.unescape(browser.get("/sessions/asb-cpd"))
    assert "Tuesday 4 February 2031, 9.30 am to 4 pm (Fully booked: join the waiting list)" in page
    assert "Tuesday 18 February 2031, 9.30 am to 4 pm (1 place left)" in page
    assert "4 March 2031" not in page  # the cancelled date is not offered
    fields = {"csrf": _csrf(page), "name": "Jordan Housing", "email": "jordan@example.org", "consent": "yes"}
    status, answer = browser.post("/sessions/asb-cpd", fields)
    assert status == 400 and "Choose the date you want to attend." in answer
    assert [e for e in all_entries(data_dir) if e["kind"] == "registration_requested"] == []
    status, answer = browser.post("/sessions/asb-cpd", {**fields, "occurrence": "2"})
    assert status == 200 and "Check your e-mail" in answer
    confirm_page = browser.get(_link(data_dir, "jordan@example.org"))
    status, answer = browser.post(_link(data_dir, "jordan@example.org"), {"csrf": _csrf(confirm_page)})
    assert status == 200 and "registration is confirmed" in answer
    found = _wait_for_registration(settings, "asb-cpd", "jordan@example.org")
    assert (found.occurrence_id, found.status.value) == ("2", "confirmed")


@pytest.fixture
def hybrid_data(ctx: AppContext) -> Path:
    start, end = catalogue.parse_times("2031-02-28 09:30", "13:00")
    catalogue.create_session(
        ctx,
        slug="pve",
        title="Preventing Hateful Extremism",
        start=start,
        end=end,
        format=SessionFormat.HYBRID,
        venue="Oakwood House",
        capacity_in_person=1,
        capacity_online=200,
    )
    registrations.register(ctx, "pve", "room@example.org", mode=AttendanceMode.IN_PERSON)
    ctx.close()
    return ctx.data_dir


def test_a_hybrid_form_asks_how_they_will_attend(hybrid_data: Path, settings: Settings, tmp_path: Path) -> None:
    with running_server(hybrid_data, tmp_path / "serve.log") as server:
        browser = Browser(server.url)
        page = html.unescape(browser.get("/sessions/pve"))
        assert "How will you attend?" in page and "In person, at Oakwood House" in page
        fields = {"csrf": _csrf(page), "name": "Sam Web", "email": "sam@example.org", "consent": "yes"}
        status, answer = browser.post("/sessions/pve", fields)
        assert status == 400 and "Choose how you will attend: in person or online." in html.unescape(answer)
        assert browser.post("/sessions/pve", {**fields, "mode": "online"})[0] == 200
        confirm_page = browser.get(_link(hybrid_data, "sam@example.org"))
        assert browser.post(_link(hybrid_data, "sam@example.org"), {"csrf": _csrf(confirm_page)})[0] == 200
        found = _wait_for_registration(settings, "pve", "sam@example.org")
        assert (found.mode, found.status.value) == (AttendanceMode.ONLINE, "confirmed")  # online had places


def _wait_for_registration(settings: Settings, slug: str, email: str):  # type: ignore[no-untyped-def]
    key = registrations.registration_id(slug, email)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with reopen(settings) as ctx:
            found = ctx.store.registrations.get(key)
        if found is not None:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{email} was not registered")
