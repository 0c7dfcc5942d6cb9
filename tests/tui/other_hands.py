"""Another process on the app's data folder, for the live-screen and edit-conflict tests (#24): a real CLI
subprocess, or a second open context (its own storage, lock handle and generation, as another process has)."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bulletin_tui.domain.clock import Clock
from bulletin_tui.services.context import AppContext, open_context

ROOT = Path(__file__).resolve().parents[2]


def second_context(ctx: AppContext, clock: Clock, who: str = "bob (second app)") -> AppContext:
    """Another opening of the app's data folder; its saves are noted as made by `who`."""
    other = open_context(ctx.settings, clock=clock, role="second app")
    other.store.db.author = who
    return other


async def run_cli(data_dir: Path, *args: str) -> str:
    """`bulletin-tui --data-dir DIR ARGS` in a subprocess, awaited without blocking the app's loop; its stdout."""
    env = {**os.environ, "BULLETIN_CONFIG": str(data_dir.parent / "no-config.toml")}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    return out.decode()


async def wait_for(pilot: object, condition: Callable[[], bool], timeout: float = 5.0) -> float:
    """Let the app run until `condition()` holds; the seconds it took (AssertionError after `timeout`)."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise AssertionError(f"not within {timeout} s")
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    return time.perf_counter() - started
