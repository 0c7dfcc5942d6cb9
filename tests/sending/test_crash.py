"""Crash safety with a real SIGKILL of a separate sending process, then a resume: no duplicates, nobody lost."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bulletin_tui.sending.ledger import Ledger, State
from bulletin_tui.sending.progress import RunStatus

from .helpers import campaign, new_ledger, people, states_of
from .smtp_server import running_server

ROOT = Path(__file__).resolve().parents[2]


async def start_child(port: int, ledger: Path, kill_after_sent: int) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.sending.kill_child", str(port), str(ledger), str(kill_after_sent), cwd=ROOT,
    )


async def resume(path: Path, port: int) -> object:
    runner = campaign(Ledger(path), port)
    try:
        return await runner.run()
    finally:
        await runner.close()


async def test_sigkill_after_the_73rd_recorded_250_then_resume_sends_200_distinct(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    new_ledger(path, people(200)).close()
    async with running_server() as server:
        child = await start_child(server.port, path, kill_after_sent=73)
        assert await asyncio.wait_for(child.wait(), 60) == -signal.SIGKILL
        states = list(states_of(path).values())
        assert states.count(State.SENT) == 73 and states.count(State.QUEUED) == 127
        assert len(server.messages) == 73
        result = await resume(path, server.port)
    assert result.status is RunStatus.COMPLETE and result.counts == {"sent": 200}  # type: ignore[attr-defined]
    counts = server.handler.by_recipient()
    assert len(counts) == 200 and set(counts.values()) == {1} and len(server.messages) == 200


async def test_kill_between_end_of_data_and_reply_is_uncertain_and_not_resent(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    new_ledger(path, people(20)).close()
    async with running_server() as server:
        child = await start_child(server.port, path, kill_after_sent=0)

        def kill_sender(received: object) -> None:
            if received.rcpt_tos == ["r010@example.org"]:  # type: ignore[attr-defined]
                os.kill(child.pid, signal.SIGKILL)  # the server has the message; the 250 never arrives

        server.script.on_message = kill_sender
        server.script.end_delay = 0.2
        assert await asyncio.wait_for(child.wait(), 60) == -signal.SIGKILL
        server.script.on_message, server.script.end_delay = None, 0
        result = await resume(path, server.port)
    assert result.status is RunStatus.COMPLETE and result.exit_code == 3  # type: ignore[attr-defined]
    assert result.counts == {"sent": 19, "uncertain": 1}  # type: ignore[attr-defined]
    assert states_of(path)["r010@example.org"] is State.UNCERTAIN
    counts = server.handler.by_recipient()
    assert len(counts) == 20 and set(counts.values()) == {1}
