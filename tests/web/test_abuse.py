"""No enumeration, CSRF on every form, three confirmation e-mails an hour per address, and serve refusing to listen
beyond this machine without an https base URL."""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from bulletin_tui.storage.journal import all_entries

from .conftest import PEOPLE
from .server import ROOT, Server, confirmations_sent


class Visitor:
    """A browser without JavaScript: keeps its cookie, reads the form token from the page."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def submit(self, path: str, fields: dict[str, str | list[str]], *, csrf: bool = True) -> tuple[int, str]:
        form = dict(fields)
        if csrf:
            form["csrf"] = re.search(r'name="csrf" value="([^"]+)"', self.get(path)).group(1)  # type: ignore[union-attr]
        data = urllib.parse.urlencode(form, doseq=True).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def sign_up(visitor: Visitor, email: str) -> tuple[int, str]:
    return visitor.submit("/subscribe", {"name": "A", "email": email, "list": "e-bulletin", "consent": "yes"})


def answer_text(body: str) -> str:
    found = re.search(r"<main>(.*)</main>", body, re.S)
    return found.group(1) if found else body


def test_the_answer_is_the_same_for_known_and_unknown_addresses(server: Server, web_data: Path) -> None:
    visitor = Visitor(server.url)
    known = answer_text(sign_up(visitor, PEOPLE[0])[1]).replace(PEOPLE[0], "ADDRESS")
    unknown = answer_text(sign_up(visitor, "nobody.here@example.org")[1]).replace("nobody.here@example.org", "ADDRESS")
    assert known == unknown


def test_forms_need_the_csrf_token(server: Server, web_data: Path) -> None:
    status, body = Visitor(server.url).submit(
        "/subscribe", {"email": "x@example.org", "list": "e-bulletin", "consent": "yes"}, csrf=False)
    assert status == 400 and "expired" in body
    assert list(all_entries(web_data)) == []


def test_three_confirmation_emails_an_hour_per_address(server: Server, web_data: Path) -> None:
    visitor = Visitor(server.url)
    answers = {answer_text(sign_up(visitor, "Repeat@Example.org")[1]) for _ in range(5)}
    assert len(answers) == 1  # the same answer every time
    sent = confirmations_sent(web_data)
    assert len(sent) == 3
    assert len([e for e in all_entries(web_data) if e["kind"] == "signup_requested"]) == 3


def test_serve_refuses_a_public_address_without_https(web_data: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(web_data), "serve",
                             "--host", "0.0.0.0"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode != 0 and "--base-url https://" in result.stderr
