"""`GET /healthz`: what the systemd and container healthchecks ask (docs/deploy.md). It answers "ok" without
reading anything, sets no cookie and carries the same security headers as every page."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from .server import Server, post


def test_healthz_answers_ok_with_the_usual_headers_and_no_cookie(server: Server) -> None:
    with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as response:
        assert response.status == 200
        assert response.read() == b"ok"
        assert response.headers["Content-Type"].startswith("text/plain")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Set-Cookie" not in response.headers


def test_healthz_is_read_only(server: Server) -> None:
    status, _ = post(f"{server.url}/healthz", b"")
    assert status == 405
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{server.url}/healthz/extra", timeout=5)
    assert refused.value.code == 404
