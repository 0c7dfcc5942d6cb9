"""A quick start: `bulletin list --json` imports none of the heavy libraries it does not use, and `--help` lists
every command (with the help the command itself declares) without importing the command modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from bulletin_tui.cli import COMMANDS, mount

HEAVY = ["premailer", "lxml", "cssutils", "requests", "icalendar", "aiosmtplib", "textual", "jinja2", "markdown_it",
         "pydantic_settings", "email_validator", "asyncio", "bulletin_tui.commands.sessions",
         "bulletin_tui.commands.send", "docx", "matplotlib"]
RUN_AND_LIST_MODULES = """
import sys
from bulletin_tui.cli import main
sys.argv = ["bulletin-tui", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
sys.stderr.write("LOADED " + ",".join(sorted(name for name in {heavy!r} if name in sys.modules)) + "\\n")
"""


def run_listing_modules(*args: str, env: dict[str, str]) -> tuple[str, list[str]]:
    code = RUN_AND_LIST_MODULES.format(heavy=HEAVY)
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    loaded = result.stderr.rsplit("LOADED ", 1)[1].strip()
    return result.stdout, [name for name in loaded.split(",") if name]


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("startup")
    env = {**os.environ, "BULLETIN_CONFIG": str(folder / "none.toml"), "BULLETIN_DATA_DIR": str(folder / "data")}
    created = subprocess.run([sys.executable, "-m", "bulletin_tui", "--create", "demo"], capture_output=True,
                             text=True, env=env, timeout=120)
    assert created.returncode == 0, created.stderr
    return env


def test_bulletin_list_json_imports_no_heavy_library(demo_env: dict[str, str]) -> None:
    output, loaded = run_listing_modules("bulletin", "list", "--json", env=demo_env)
    assert [row["slug"] for row in json.loads(output)], "the demo issue is listed"
    assert loaded == [], f"imported at start-up although `bulletin list` does not use them: {loaded}"


def test_help_lists_every_command_without_importing_them(demo_env: dict[str, str]) -> None:
    output, loaded = run_listing_modules("--help", env=demo_env)
    for name, (_module, short_help) in COMMANDS.items():
        if short_help:  # no help text: a hidden command (web-apply), left out of --help
            assert name in output and short_help.split()[0] in output
        else:
            assert name not in output
    assert [name for name in loaded if name.startswith("bulletin_tui.")] == []  # (rich's help needs markdown_it)


def test_the_listed_help_is_what_each_command_declares(tmp_path: Path) -> None:
    """`COMMANDS` repeats each command's first help line so `--help` needs no import; it must not drift."""
    app = typer.Typer()
    for module_name in sorted({module for module, _help in COMMANDS.values()}):
        mount(app, module_name)
    loaded = typer.main.get_group(app).commands
    assert set(loaded) == set(COMMANDS), "every command module's commands are in COMMANDS"
    for name, (_module, short_help) in COMMANDS.items():
        declared = (loaded[name].help or "").strip().splitlines()[0]
        assert declared == short_help or (loaded[name].hidden and short_help == ""), name
