"""docs/ARCHITECTURE.md stays true and short: every path and module it names exists; under two pages."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "ARCHITECTURE.md"
FILE_SUFFIXES = (".py", ".md", ".toml", ".cfg", ".txt")


def named_paths(text: str) -> list[str]:
    """Back-ticked tokens that are paths (contain "/" or end like a file name) outside fenced blocks."""
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    return [t for t in re.findall(r"`([^`\n]+)`", prose) if "/" in t or t.endswith(FILE_SUFFIXES)]


def named_modules(text: str) -> list[str]:
    """Every dotted `bulletin_tui.x.y` name, in prose and in the layer diagram."""
    return re.findall(r"\bbulletin_tui(?:\.\w+)+", text)


def module_exists(dotted: str) -> bool:
    base = ROOT / dotted.replace(".", "/")
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def test_every_named_path_and_module_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    paths, modules = named_paths(text), named_modules(text)
    assert len(paths) > 20 and len(modules) > 8, "the checks see the names"
    assert [p for p in paths if not (ROOT / p).exists()] == []
    assert [m for m in modules if not module_exists(m)] == []


def test_named_paths_are_found_and_a_missing_one_would_fail() -> None:
    sample = "See `bulletin_tui/services/nowhere.py` and `bulletin_tui.nowhere`, not `make_app`.\n```\n`x/y`\n```"
    assert named_paths(sample) == ["bulletin_tui/services/nowhere.py"]
    assert not (ROOT / named_paths(sample)[0]).exists() and not module_exists(named_modules(sample)[0])


def test_under_two_pages() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert len(text.split()) < 1100 and len(text.splitlines()) < 120
