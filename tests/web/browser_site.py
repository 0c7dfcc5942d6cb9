"""Fixtures for the browser tests that walk the whole site: the site built once per module, `serve --archive`
serving it, and one headless Chromium whose pages keep their Content-Security-Policy (no `bypass_csp`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.storage.journal import all_entries

from ..browser_support import chromium
from .server import Server, running_server
from .site import Site, build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def served(site: Site) -> Iterator[Server]:
    with running_server(site.data_dir, site.data_dir.parent / "serve.log", "--archive", str(site.archive)) as server:
        yield server


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("profile")) as context:
        yield context


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    opened = browser.new_page()
    yield opened
    opened.close()


def confirmation_link(data_dir: Path, email: str, within: float = 10) -> str:
    """The link the confirmation e-mail to `email` will carry, read from the journal `serve` wrote."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for entry in reversed(list(all_entries(data_dir))):
            if entry["kind"].endswith("_requested") and entry["request"]["email"] == email:
                return str(entry["confirm"]["link"])
        time.sleep(0.1)
    raise AssertionError(f"no request from {email} in the journal")
