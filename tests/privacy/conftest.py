"""The data folder seeded over three simulated years (built once per test session, copied for each test), and the
real CLI in a child process (it lives at FIXED_NOW, like this process: tests/conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.services.context import AppContext, open_context
from tests.conftest import FIXED_NOW

from .seed import seed_three_years

ROOT = Path(__file__).resolve().parents[2]


def run_cli(data_dir: Path, *args: str, code: int = 0, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`bulletin-tui --data-dir DATA ARGS` in a child process; asserts the exit code."""
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir.parent / "no-config.toml")}
    done = subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300, input=stdin)
    assert done.returncode == code, (done.stdout, done.stderr)
    return done


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("three-years")
    return seed_three_years(base / "data", base).data_dir


@pytest.fixture
def seeded(seeded_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the three-year data folder for one test."""
    target = tmp_path / "three-years" / "data"  # beside (not in) the `ctx` fixture's folder
    shutil.copytree(seeded_template, target)
    return target


@pytest.fixture
def seeded_ctx(seeded: Path) -> Iterator[AppContext]:
    from bulletin_tui.domain.clock import FixedClock

    context = open_context(Settings(data_dir=seeded), clock=FixedClock(FIXED_NOW))
    context.operator = "test-operator"
    yield context
    context.close()
