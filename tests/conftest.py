"""Fixtures every area shares: a fresh data dir, a fixed clock, settings and an open context."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.services.context import AppContext, open_context

FIXED_NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
IN_CI = os.environ.get("CI") == "true"


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
    from bulletin_tui.services.demo import load_demo

    load_demo(ctx)
    return ctx
