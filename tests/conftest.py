"""Fixtures every area shares: a fresh data dir, a fixed clock, settings and an open context."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin_tui.cli import app
from bulletin_tui.config import Settings
from bulletin_tui.domain.clock import ANCHOR_VARIABLE, NOW_VARIABLE, FixedClock, process_offset
from bulletin_tui.domain.times import financial_year_of
from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.demo.schedule import draft_issue_slug, draft_issue_title, online_session_slugs
from bulletin_tui.storage import Database

FIXED_NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
IN_CI = os.environ.get("CI") == "true"

# The whole test process, and every CLI, app or server it starts, lives at FIXED_NOW (and runs on from there):
# nothing a test checks depends on the day the suite runs (docs/reproducible-runs.md). Anchored here, once, so
# this process and its children share one timeline.
os.environ[NOW_VARIABLE] = FIXED_NOW.isoformat()
os.environ.pop(ANCHOR_VARIABLE, None)
process_offset()

# What the demo derives from the clock, derived here from the same instant (never written as a literal month).
DEMO_ISSUE = draft_issue_slug(FIXED_NOW)
DEMO_ISSUE_TITLE = draft_issue_title(FIXED_NOW)
DEMO_SESSION, DEMO_WEBINAR = online_session_slugs(FIXED_NOW)
DEMO_YEAR = financial_year_of(FIXED_NOW.date())  # the April-March year the draft issue falls in


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(FIXED_NOW)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def ctx(settings: Settings, clock: FixedClock) -> Iterator[AppContext]:
    context = open_context(settings, create=True, clock=clock)
    context.operator = "test-operator"
    yield context
    context.close()


@pytest.fixture
def demo_ctx(ctx: AppContext) -> AppContext:
    from bulletin_tui.services.demo.loader import load_demo

    load_demo(ctx)
    return ctx


class CliRun:
    """`bulletin-tui --data-dir DIR PREFIX... ARGS` through typer's runner; asserts the exit code, returns stdout."""

    def __init__(self, data_dir: Path, *prefix: str) -> None:
        self.data_dir, self.prefix, self.runner = data_dir, prefix, CliRunner()

    def __call__(self, *args: str, code: int = 0, stdin: str | None = None) -> str:
        result = self.runner.invoke(app, ["--data-dir", str(self.data_dir), *self.prefix, *args], input=stdin)
        assert result.exit_code == code, (result.output, result.exception)
        return result.stdout


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRun:
    """The whole CLI on a fresh data dir with a new, empty database (no config file); subfolders narrow or seed
    it. (Reading commands never create a database: see tests/errors/test_no_database.py.)"""
    monkeypatch.setenv("BULLETIN_CONFIG", str(tmp_path / "none.toml"))
    Database.open(tmp_path / "data", create=True).close()
    return CliRun(tmp_path / "data")
