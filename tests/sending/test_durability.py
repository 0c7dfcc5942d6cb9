"""The send engine's speed-up (fsync in a thread, overlapping MAIL and RCPT) keeps the promise: every message's
`attempting` record is on disk before the server receives its data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bulletin_tui.sending.ledger import Ledger, read_records
from bulletin_tui.sending.progress import RunStatus

from .helpers import campaign, new_ledger, people
from .smtp_server import Received, running_server


async def test_attempting_is_fsynced_before_the_server_gets_the_data(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.jsonl"
    durable = {"bytes": 0}
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        size = os.fstat(fd).st_size
        real_fsync(fd)
        if os.path.samestat(os.fstat(fd), os.stat(path)):
            durable["bytes"] = max(durable["bytes"], size)

    late: list[str] = []

    def check(received: Received) -> None:
        recipient, offset = received.rcpt_tos[0], 0
        for line in path.read_bytes().splitlines(keepends=True):
            offset += len(line)
            if b'"attempting"' in line and recipient.encode() in line:
                break
        if offset > durable["bytes"]:
            late.append(recipient)

    monkeypatch.setattr(os, "fsync", fsync)
    async with running_server() as server:
        server.script.on_message = check
        runner = campaign(new_ledger(path, people(120)), server.port, options={"concurrency": 4})
        result = await runner.run()
        await runner.close()
    assert result.status is RunStatus.COMPLETE and len(server.messages) == 120 and late == []
    commits = sum(1 for r in read_records(path) if r.get("state") == "attempting")
    assert commits == 120


async def test_a_ledger_that_cannot_be_saved_pauses_before_any_data(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.jsonl"
    ledger = new_ledger(path, people(5))

    failures = [OSError(5, "Input/output error")]  # the first commit fails (a disk hiccup), later ones work
    real_fsync = os.fsync

    def flaky(fd: int) -> None:
        if failures:
            raise failures.pop()
        real_fsync(fd)

    async with running_server() as server:
        runner = campaign(ledger, server.port, options={"concurrency": 1})
        runner.prepare()
        monkeypatch.setattr(os, "fsync", flaky)
        result = await runner.run()
        await runner.close()
    assert result.status is RunStatus.PAUSED and "send ledger could not be saved" in result.reason
    assert server.messages == [] and "failed" not in result.counts
    assert result.counts == {"deferred": 1, "queued": 4}  # resume sends all five
    assert [p.state.value for p in Ledger(path).states()[0].values()].count("deferred") == 1
