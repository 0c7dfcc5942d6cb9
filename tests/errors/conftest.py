"""One demo data folder made by the real CLI, copied for each test that may be refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import copy_folder, run_cli


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("errors-demo") / "data"
    made = run_cli(data_dir, "demo")
    assert made.returncode == 0, made.stderr
    return data_dir


@pytest.fixture
def data_dir(demo_folder: Path, tmp_path: Path) -> Path:
    """A private copy of the demo folder."""
    return copy_folder(demo_folder, tmp_path / "data")
