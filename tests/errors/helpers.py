"""The real CLI in a subprocess, and a fingerprint of a data folder to prove a refusal changed nothing."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from unittest import mock

from bulletin_tui.cli import main


def run_cli(
    data_dir: Path, *args: str, env: Mapping[str, str] | None = None, prefix: Sequence[str] = (),
    config: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`bulletin-tui --data-dir DATA_DIR ARGS` as a user runs it (no config file unless `config`)."""
    settings_file = config or data_dir.parent / "none.toml"
    full_env = {**os.environ, "BULLETIN_CONFIG": str(settings_file), **(env or {})}
    command = [*prefix, sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args]
    return subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=120)


def run_main(
    data_dir: Path, *args: str, env: Mapping[str, str] | None = None, config: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`run_cli` in this process: the same entry point (`main()`, with its one-line guard), without the ~1 s
    start-up of a new interpreter. stdout and stderr are captured as a terminal would see them."""
    settings_file = config or data_dir.parent / "none.toml"
    argv = ["bulletin-tui", "--data-dir", str(data_dir), *args]
    stdout, stderr = io.TextIOWrapper(io.BytesIO(), "utf-8"), io.TextIOWrapper(io.BytesIO(), "utf-8")
    code: int | str | None = 0
    with _environment({"BULLETIN_CONFIG": str(settings_file), **(env or {})}), mock.patch.object(sys, "argv", argv), \
            contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            main()
        except SystemExit as exited:
            code = exited.code
    texts = []
    for stream in (stdout, stderr):
        stream.flush()
        texts.append(stream.buffer.getvalue().decode("utf-8"))  # type: ignore[attr-defined]
    returncode = code if isinstance(code, int) else (0 if code is None else 1)
    return subprocess.CompletedProcess(argv, returncode, texts[0], texts[1])


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Assert a refusal: exit non-zero, exactly one line on stderr, no traceback, containing every needle."""
    assert result.returncode != 0, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    return result.stderr.strip()


def fingerprint(folder: Path) -> dict[str, str]:
    """Every path under `folder` (folders too) with the SHA-256 of its bytes: equal before and after means
    nothing was created, removed or changed. The write lock's file only names its last holder: its presence
    counts, not its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = str(path.relative_to(folder))
        found[relative] = ("dir" if path.is_dir() else "lock" if path.name == "bulletin.lock"
                           else hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def copy_folder(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
