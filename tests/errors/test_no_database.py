"""Issue #11 item 14: a mistyped --data-dir, or a dry run on an empty folder, creates nothing and says where
no database was found; `demo`, `--create`, writing commands and the terminal app still start one."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.storage.database import DB_NAME

from .helpers import fingerprint, one_line_error, run_cli, run_main

DATA = Path(__file__).parent.parent / "data"
READERS = [
    ("subscribers", "list"), ("subscribers", "lists"), ("subscribers", "show-data", "pat@example.org"),
    ("bulletin", "list"), ("mailings", "list"), ("sessions", "list"), ("report", "--year", "2026/27"),
]


def _hint(folder: Path) -> str:
    return f"no database in {folder} (bulletin-tui --data-dir {folder} demo, or --create)"


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_a_reading_command_on_a_mistyped_folder_creates_nothing(tmp_path: Path, args: tuple[str, ...]) -> None:
    typo = tmp_path / "bulletin-dta"
    one_line_error(run_main(typo, *args), _hint(typo))
    assert not typo.exists()


def test_dry_runs_on_an_empty_folder_create_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    form = tmp_path / "form.csv"
    form.write_text("Full name,Email address\nAlex First,alex@kent.police.uk\n", encoding="utf-8")
    for args in [("subscribers", "import", str(DATA / "utf8_no_bom_plain.csv"), "--dry-run"),
                 ("sessions", "import-registrations", "s1", str(form), "--dry-run")]:
        one_line_error(run_cli(empty, *args), _hint(empty))
        assert list(empty.iterdir()) == []


def test_a_dry_run_on_a_real_database_changes_nothing(data_dir: Path) -> None:
    before = fingerprint(data_dir)
    result = run_main(data_dir, "subscribers", "import", str(DATA / "utf8_no_bom_plain.csv"), "--dry-run")
    assert result.returncode == 0 and "Dry run" in result.stdout, result.stderr
    assert fingerprint(data_dir) == before


def test_create_demo_and_writing_commands_still_start_a_database(tmp_path: Path) -> None:
    asked = tmp_path / "asked"
    created = run_main(asked, "--create", "bulletin", "list")
    assert created.returncode == 0 and "Created a new database" in created.stderr
    assert (asked / DB_NAME).exists()
    demo = run_main(tmp_path / "demo", "demo")
    assert demo.returncode == 0 and "240 subscribers" in demo.stdout
    first_use = run_main(tmp_path / "new", "bulletin", "new", "2099-01")
    assert first_use.returncode == 0 and "Created a new database" in first_use.stderr


def test_the_terminal_app_on_an_empty_data_dir_starts_writable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make run` on a new machine: the app opens a new, writable database (and then offers the demo data)."""
    from bulletin_tui.tui import app as tui_app

    seen: list[tuple[bool, bool]] = []

    class Recorder:
        def __init__(self, ctx, **_options):  # type: ignore[no-untyped-def]
            self.ctx = ctx

        def run(self) -> None:
            seen.append((self.ctx.store.read_only, len(self.ctx.store.subscribers) == 0))

    monkeypatch.setattr(tui_app, "make_app", Recorder)
    tui_app.run_app(Settings(data_dir=tmp_path / "default"))
    assert seen == [(False, True)] and (tmp_path / "default" / DB_NAME).exists()
