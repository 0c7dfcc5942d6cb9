"""Picking a file: a directory tree that shows only spreadsheet exports, and path completion for an input."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.suggester import Suggester
from textual.widgets import DirectoryTree

TABLE_SUFFIXES = (".csv", ".tsv", ".txt")


class TableFileTree(DirectoryTree):
    """Folders and .csv/.tsv/.txt files; hidden ones left out."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if not path.name.startswith(".")
                and (path.is_dir() or path.suffix.lower() in TABLE_SUFFIXES)]


class PathSuggester(Suggester):
    """Completes the last part of a typed path from what is on disk (folders get a trailing slash)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = Path(value).expanduser()
        folder, stem = (typed, "") if value.endswith("/") else (typed.parent, typed.name)
        try:
            names = sorted(entry.name + ("/" if entry.is_dir() else "") for entry in folder.iterdir()
                           if entry.name.startswith(stem) and not entry.name.startswith(".")
                           and (entry.is_dir() or entry.suffix.lower() in TABLE_SUFFIXES))
        except OSError:
            return None
        return value + names[0][len(stem):] if names and names[0] != stem else None
