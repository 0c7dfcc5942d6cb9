"""The real CLI in a subprocess, and a fingerprint of a data folder to prove a refusal changed nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path


def run_cli(
    data_dir: Path, *args: str, env: Mapping[str, str] | None = None, prefix: Sequence[str] = (),
    config: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`bulletin-tui --data-dir DATA_DIR ARGS` as a user runs it (no config file unless `config`)."""
    settings_file = config or data_dir.parent / "none.toml"
    full_env = {**os.environ, "BULLETIN_CONFIG": str(settings_file), **(env or {})}
    command = [*prefix, sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args]
    return subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=120)


def one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Assert a refusal: exit non-zero, exactly one line on stderr, no traceback, containing every needle."""
    assert result.returncode != 0, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    return result.stderr.strip()


def fingerprint(folder: Path) -> dict[str, str]:
    """Every path under `folder` (folders too) with the SHA-256 of its bytes: equal before and after means
    nothing was created, removed or changed."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = str(path.relative_to(folder))
        found[relative] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def copy_folder(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
