"""One-click unsubscribe exactly as Gmail makes it (RFC 8058), GET never changes anything, forged tokens refused,
and the access log holds no token or address."""

from __future__ import annotations

import time
from pathlib import Path

from bulletin_tui.config import Settings
from bulletin_tui.storage.journal import all_entries

from .conftest import PEOPLE, reopen, token_for
from .server import Server, get, post


def wait_applied(settings: Settings, email: str, list_slug: str = "e-bulletin", within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with reopen(settings) as ctx:
            person = ctx.store.subscribers.get(email)
            if person is not None and not person.is_subscribed(list_slug):
                return True
        time.sleep(0.2)
    return False


def test_one_click_post_as_gmail_sends_it(server: Server, web_data: Path, settings: Settings) -> None:
    token = token_for(web_data, settings, PEOPLE[0])
    status, body = post(f"{server.url}/u/{token}", b"List-Unsubscribe=One-Click")  # no cookie, no CSRF token
    assert status == 200 and "You will no longer receive" in body
    assert [e["token"] for e in all_entries(web_data) if e["kind"] == "unsubscribe"] == [token]  # durable already
    assert wait_applied(settings, PEOPLE[0])  # nobody holds the lock: the server applies it itself
    with reopen(settings) as ctx:
        person = ctx.store.subscribers.get(PEOPLE[0])
        assert person is not None and person.is_subscribed("csis")  # only that list
        assert person.consent[-1].source == "one-click unsubscribe (web)"


def test_get_never_changes_anything(server: Server, web_data: Path, settings: Settings) -> None:
    token = token_for(web_data, settings, PEOPLE[1])
    before = (web_data / "bulletin.json").read_bytes()
    for path in (f"/u/{token}", f"/p/{token}", "/subscribe", "/sessions/", "/sessions/csis-2027-01"):
        status, _ = get(server.url + path)
        assert status == 200, path
    time.sleep(2.5)  # a round of the server's applier
    assert (web_data / "bulletin.json").read_bytes() == before
    assert list(all_entries(web_data)) == []


def test_forged_or_mangled_tokens_change_nothing(server: Server, web_data: Path, settings: Settings) -> None:
    token = token_for(web_data, settings, PEOPLE[2])
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (forged, "u1.x", "not-a-token"):
        status, body = post(f"{server.url}/u/{bad}", b"List-Unsubscribe=One-Click")
        assert status == 404 and "does not work" in body
    assert list(all_entries(web_data)) == []


def test_access_log_holds_no_token_or_address(server: Server, web_data: Path, settings: Settings) -> None:
    token = token_for(web_data, settings, PEOPLE[3])
    post(f"{server.url}/u/{token}", b"List-Unsubscribe=One-Click")
    get(f"{server.url}/p/{token}")
    log = server.output()
    assert "POST /u/{…} 200" in log
    assert token not in log and token.split(".")[1] not in log and "example.org" not in log


def test_security_headers_and_body_limit(server: Server, web_data: Path, settings: Settings) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{server.url}/subscribe") as response:
        headers = response.headers
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        cookies = headers.get_all("Set-Cookie")
        assert len(cookies) == 1 and cookies[0].startswith("csrf=") and "HttpOnly" in cookies[0]
    status, _ = post(f"{server.url}/subscribe", b"x" * 20_000)
    assert status == 413
