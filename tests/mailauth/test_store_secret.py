"""`bulletin-tui mail store-secret` through the real CLI: it says it stored the secret only when the keyring gives
it back; the null backend (keeps nothing) and the fail backend are named in one line, exit non-zero."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SECRET = "app-secret-value-for-tests"


def store_secret(tmp_path: Path, backend: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": backend, "BULLETIN_CONFIG": str(tmp_path / "none.toml"),
           "BULLETIN_OAUTH__CLIENT_ID": "app-1", "BULLETIN_OAUTH__TENANT": "kent.gov.uk"}
    env.pop("BULLETIN_OAUTH__CLIENT_SECRET", None)
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(tmp_path / "data"), "mail",
                           "store-secret"], input=SECRET + "\n", cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, start_new_session=True)  # no terminal: getpass reads stdin


@pytest.mark.parametrize("backend", ["keyring.backends.null.Keyring", "keyring.backends.fail.Keyring"])
def test_a_keyring_that_keeps_nothing_is_refused_and_named(tmp_path: Path, backend: str) -> None:
    result = store_secret(tmp_path, backend)
    assert result.returncode != 0 and "Stored" not in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("bulletin-tui:")]
    assert len(errors) == 1 and backend in errors[0] and "BULLETIN_OAUTH__CLIENT_SECRET" in errors[0]
    assert SECRET not in result.stdout + result.stderr


def test_a_keyring_that_gives_the_secret_back_is_reported_with_its_name(tmp_path: Path) -> None:
    backend = "tests.mailauth.keyring_backends.ProcessKeyring"
    result = store_secret(tmp_path, backend)
    assert result.returncode == 0, result.stderr
    assert f"Stored the client secret for app-1 in the OS keyring ({backend})." in result.stdout
    assert SECRET not in result.stdout + result.stderr
