"""GET /accessibility: the accessibility statement under the GOV.UK model statement's headings, with the team's
contact details from the settings and the dates of its template (never today's); the council replaces it from its
templates folder without touching code; every page's footer links it, and the privacy notice when one is set."""

from __future__ import annotations

import asyncio
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.web.app import make_web_app

from .conftest import PEOPLE, token_for

MODEL_HEADINGS = [
    ("h1", "Accessibility statement for Kent Community Safety Team web pages"),
    ("h2", "How accessible this website is"),
    ("h2", "Feedback and contact information"),
    ("h2", "Reporting accessibility problems with this website"),
    ("h2", "Enforcement procedure"),
    ("h2", "Technical information about this website's accessibility"),
    ("h3", "Compliance status"),
    ("h2", "Non-accessible content"),
    ("h3", "Content that's not within the scope of the accessibility regulations"),
    ("h2", "What we're doing to improve accessibility"),
    ("h2", "Preparation of this accessibility statement"),
]
NOTICE = "https://www.kent.gov.uk/privacy/kcst"


class Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("h1", "h2", "h3", "h4"):
            self._open, self._text = tag, ""

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self.found.append((tag, " ".join(self._text.split())))
            self._open = None


def headings(html: str) -> list[tuple[str, str]]:
    parser = Headings()
    parser.feed(html)
    return parser.found


def get(settings: Settings, path: str) -> tuple[int, dict[str, str], str]:
    """One GET through the whole ASGI app (guard included), in this process."""
    app = make_web_app(settings, base_url="https://bulletin.example.org", apply_journal=False)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(b"host", b"bulletin.example.org")], "client": ("127.0.0.1", 5000),
             "server": ("bulletin.example.org", 443), "scheme": "https", "http_version": "1.1", "root_path": ""}
    asyncio.run(app(scope, receive, send))
    app.state.web.close()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body.decode()


@pytest.fixture
def team(web_data: Path) -> Settings:
    return Settings(data_dir=web_data, sender={"from_address": "kcst@kent.example",  # type: ignore[arg-type]
                                               "telephone": "03000 999888"})


def test_the_statement_follows_the_model_and_names_the_team(team: Settings) -> None:
    status, headers, html = get(team, "/accessibility")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert headings(html)[:len(MODEL_HEADINGS)] == MODEL_HEADINGS
    assert 'href="mailto:kcst@kent.example"' in html and "03000 999888" in html
    assert "applies to the pages at bulletin.example.org" in html
    assert "Equality Advisory and Support Service" in html and "(No. 2) Accessibility Regulations 2018" in html
    assert "This statement was prepared on 6 December 2026. It was last reviewed on 6 December 2026." in html
    assert "22 November 2026" not in html  # the tests' clock: the dates are the template's, not today's
    assert "<script" not in html


def test_the_council_replaces_the_whole_statement(team: Settings, tmp_path: Path) -> None:
    (tmp_path / "own" / "web").mkdir(parents=True)
    (tmp_path / "own" / "web" / "accessibility.html.j2").write_text(
        '{% extends "base.html.j2" %}{% set title = "Accessibility statement for the KCST pages" %}'
        "{% block body %}<p>Our own words. Call {{ telephone }}.</p>{% endblock %}")
    status, _, html = get(team.model_copy(update={"templates_dir": tmp_path / "own"}), "/accessibility")
    assert status == 200 and "Our own words. Call 03000 999888." in html
    assert headings(html) == [("h1", "Accessibility statement for the KCST pages")]


def test_the_council_keeps_the_model_and_changes_its_dates_and_a_section(team: Settings, tmp_path: Path) -> None:
    (tmp_path / "own" / "web").mkdir(parents=True)
    (tmp_path / "own" / "web" / "accessibility.html.j2").write_text(
        '{% extends "builtin/accessibility.html.j2" %}\n{% set reviewed_on = "1 April 2027" %}\n'
        "{% block compliance %}<p>This website is partially compliant.</p>{% endblock %}\n")
    _, _, html = get(team.model_copy(update={"templates_dir": tmp_path / "own"}), "/accessibility")
    assert "It was last reviewed on 1 April 2027." in html and "prepared on 6 December 2026" in html
    assert "partially compliant" in html and "fully compliant" not in html
    assert headings(html)[:len(MODEL_HEADINGS)] == MODEL_HEADINGS


@pytest.mark.parametrize("notice", [NOTICE, ""])
def test_every_page_links_the_statement_and_the_privacy_notice(team: Settings, notice: str) -> None:
    settings = team.model_copy(update={"sender": team.sender.model_copy(update={"privacy_notice_url": notice})})
    token = token_for(team.data_dir, team, PEOPLE[0])
    for path in ("/sessions/", "/sessions/csis-2027-01", "/subscribe", f"/u/{token}", f"/p/{token}",
                 "/accessibility", "/confirm/nonsense", "/no-such-page"):
        status, _, html = get(settings, path)
        footer = html.split("<footer>")[1]
        assert '<a href="/accessibility">Accessibility statement</a>' in footer, path
        assert (f'<a href="{NOTICE}">Privacy notice</a>' in footer) is bool(notice), path
        assert ("Your details: we use what you give on these pages" in footer) is not bool(notice), path


def test_an_address_that_leads_nowhere_is_a_page(team: Settings) -> None:
    status, headers, html = get(team, "/no-such-page")
    assert status == 404 and headers["content-type"].startswith("text/html")
    assert '<html lang="en-GB">' in html and re.search(r"<title>Page not found – ", html)
    assert "content-security-policy" in headers
