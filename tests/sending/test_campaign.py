"""The campaign runner against a real aiosmtpd server with per-recipient scripted faults."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bulletin_tui.sending.ledger import State, read_records
from bulletin_tui.sending.progress import Progress, RunStatus

from .helpers import campaign, new_ledger, people, states_of
from .smtp_server import running_server


async def run_once(path: Path, port: int, **kwargs: object) -> object:
    runner = campaign(new_ledger(path, people(kwargs.pop("count", 20))), port, **kwargs)  # type: ignore[arg-type]
    try:
        return await runner.run()
    finally:
        await runner.close()


async def test_everyone_gets_exactly_one_message_with_progress(tmp_path: Path) -> None:
    events: list[Progress] = []
    async with running_server() as server:
        result = await run_once(tmp_path / "c.jsonl", server.port, count=30, on_progress=events.append)
    assert result.status is RunStatus.COMPLETE and result.counts == {"sent": 30}  # type: ignore[attr-defined]
    assert server.handler.by_recipient() == {f"r{n:03d}@example.org": 1 for n in range(1, 31)}
    assert all(m.parsed()["To"] == m.rcpt_tos[0] for m in server.messages)
    assert events[-1].state == "complete" and events[-1].counts == {"sent": 30} and events[-1].pending == 0
    assert max(e.rate for e in events) > 0
    records = list(read_records(tmp_path / "c.jsonl"))
    sent = [r for r in records if r.get("state") == "sent"]
    assert len(sent) == 30 and all(r["code"] == 250 and r["message_id"].startswith("<") for r in sent)
    attempting_line = {r["key"]: i for i, r in enumerate(records) if r.get("state") == "attempting"}
    assert all(attempting_line[r["key"]] < records.index(r) for r in sent)


async def test_451_twice_then_250_is_sent_once_and_never_suppressed(tmp_path: Path) -> None:
    bounced: list[str] = []
    async with running_server() as server:
        server.script.rcpt["r005@example.org"] = ["451 4.3.0 try again later"] * 2
        result = await run_once(tmp_path / "c.jsonl", server.port,
                                on_hard_bounce=lambda r, d: bounced.append(r.email))
    assert result.counts == {"sent": 20}  # type: ignore[attr-defined]
    assert server.handler.by_recipient()["r005@example.org"] == 1 and bounced == []
    r5 = [r for r in read_records(tmp_path / "c.jsonl") if r.get("key") == "r005@example.org"]
    assert [r["state"] for r in r5] == ["queued", "attempting", "deferred", "attempting", "deferred",
                                        "attempting", "sent"]
    assert r5[2]["code"] == 451 and r5[2]["retry_at"]


async def test_550_511_fails_and_suppresses_only_that_recipient(tmp_path: Path) -> None:
    bounced: list[str] = []
    async with running_server() as server:
        server.script.rcpt["r007@example.org"] = ["550 5.1.1 no such user"]
        result = await run_once(tmp_path / "c.jsonl", server.port,
                                on_hard_bounce=lambda r, d: bounced.append(r.email))
    assert result.status is RunStatus.COMPLETE and result.counts == {"sent": 19, "failed": 1}  # type: ignore
    assert result.exit_code == 3  # type: ignore[attr-defined]
    assert bounced == ["r007@example.org"] and "r007@example.org" not in server.handler.by_recipient()
    assert len(server.messages) == 19


async def test_552_on_rcpt_is_temporary(tmp_path: Path) -> None:
    bounced: list[str] = []
    async with running_server() as server:
        server.script.rcpt["r003@example.org"] = ["552 5.2.2 mailbox full"]
        result = await run_once(tmp_path / "c.jsonl", server.port,
                                on_hard_bounce=lambda r, d: bounced.append(r.email))
    assert result.counts == {"sent": 20} and bounced == []  # type: ignore[attr-defined]
    assert server.handler.by_recipient()["r003@example.org"] == 1


async def test_quota_error_at_mail_from_pauses_then_resume_completes(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    async with running_server() as server:
        server.script.mail[39] = "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException"
        first = campaign(new_ledger(path, people(200)), server.port, options={"concurrency": 1})
        paused = await first.run()
        await first.close()
        assert paused.status is RunStatus.PAUSED and "5.2.0" in paused.reason and paused.exit_code == 4
        assert paused.counts == {"sent": 39, "deferred": 1, "queued": 160}
        assert len(server.messages) == 39
        from bulletin_tui.sending.ledger import Ledger

        second = campaign(Ledger(path), server.port)
        done = await second.run()
        await second.close()
    assert done.status is RunStatus.COMPLETE and done.counts == {"sent": 200}
    counts = server.handler.by_recipient()
    assert len(counts) == 200 and set(counts.values()) == {1}
    assert [m.rcpt_tos[0] for m in server.messages][39] == "r040@example.org"


async def test_connection_dropped_during_rcpt_and_data_is_deferred_then_sent_once(tmp_path: Path) -> None:
    async with running_server() as server:
        server.script.rcpt["r002@example.org"] = ["drop"]
        server.script.data["r009@example.org"] = ["drop"]
        result = await run_once(tmp_path / "c.jsonl", server.port)
    assert result.counts == {"sent": 20}  # type: ignore[attr-defined]
    counts = server.handler.by_recipient()
    assert counts["r002@example.org"] == 1 and counts["r009@example.org"] == 1 and len(counts) == 20
    states = [r["state"] for r in read_records(tmp_path / "c.jsonl") if r.get("key") == "r009@example.org"]
    assert states == ["queued", "attempting", "deferred", "attempting", "sent"]


async def test_421_greeting_backs_off_then_sends(tmp_path: Path) -> None:
    events: list[Progress] = []
    async with running_server() as server:
        server.script.greeting = ["421 4.3.2 too busy, come back later"] * 2
        result = await run_once(tmp_path / "c.jsonl", server.port, count=5, on_progress=events.append)
    assert result.counts == {"sent": 5}  # type: ignore[attr-defined]
    assert any(e.state == "waiting" for e in events)
    deferred = [r for r in read_records(tmp_path / "c.jsonl") if r.get("state") == "deferred"]
    assert deferred and all(r["code"] == 421 and "(connect)" in r["reply"] for r in deferred)
    assert set(server.handler.by_recipient().values()) == {1}


async def test_errors_in_a_row_pause_without_failing_anyone(tmp_path: Path) -> None:
    async with running_server() as server:
        server.script.greeting = ["421 4.3.2 down for maintenance"] * 100
        result = await run_once(tmp_path / "c.jsonl", server.port, count=10,
                                options={"max_consecutive_errors": 3})
    assert result.status is RunStatus.PAUSED and "3 errors in a row" in result.reason  # type: ignore
    assert "failed" not in result.counts and server.messages == []  # type: ignore[attr-defined]


async def test_slow_data_reply_no_duplicate_and_pause_works_while_waiting(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    async with running_server() as server:
        server.script.end_delay = 0.4
        runner = campaign(new_ledger(path, people(4)), server.port, smtp={"data_timeout": 5},
                          options={"concurrency": 1})
        task = asyncio.create_task(runner.run())
        while not any(r.get("state") == "attempting" for r in read_records(path)):
            await asyncio.sleep(0.01)
        runner.pause()
        await asyncio.sleep(1.0)  # the in-flight message completes; nothing new starts
        assert states_of(path)["r001@example.org"] is State.SENT
        assert list(states_of(path).values()).count(State.QUEUED) == 3 and len(server.messages) == 1
        runner.resume()
        result = await task
        await runner.close()
    assert result.counts == {"sent": 4} and set(server.handler.by_recipient().values()) == {1}


async def test_data_reply_timeout_is_uncertain_and_not_resent(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    async with running_server() as server:
        server.script.end_delay = 0.5
        result = await run_once(path, server.port, count=2, smtp={"data_timeout": 0.1},
                                options={"concurrency": 1})
        assert result.counts == {"uncertain": 2} and result.exit_code == 3  # type: ignore[attr-defined]
        await asyncio.sleep(0.6)
        server.script.end_delay = 0
        from bulletin_tui.sending.ledger import Ledger

        again = campaign(Ledger(path), server.port)
        assert (await again.run()).counts == {"uncertain": 2}
        await again.close()
        assert len(server.messages) == 2  # the server did get them, once each
        retry = campaign(Ledger(path), server.port)
        retry.prepare(resend_uncertain=True)
        assert (await retry.run()).counts == {"sent": 2}
        await retry.close()
    assert len(server.messages) == 4  # only because the operator explicitly asked


async def test_cancel_stops_and_resume_finishes(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    async with running_server() as server:
        server.script.end_delay = 0.05
        runner = campaign(new_ledger(path, people(30)), server.port, options={"concurrency": 1})
        task = asyncio.create_task(runner.run())
        while len(server.messages) < 3:
            await asyncio.sleep(0.01)
        runner.cancel()
        stopped = await task
        await runner.close()
        assert stopped.status is RunStatus.STOPPED and stopped.exit_code == 5
        from bulletin_tui.sending.ledger import Ledger

        rest = campaign(Ledger(path), server.port)
        assert (await rest.run()).counts == {"sent": 30}
        await rest.close()
    assert set(server.handler.by_recipient().values()) == {1} and len(server.messages) == 30


async def test_header_injection_refused_server_sees_nothing_extra(tmp_path: Path) -> None:
    from bulletin_tui.sending.progress import Recipient

    path = tmp_path / "c.jsonl"
    sneaky = [Recipient("ok@example.org", "Fine"), Recipient("evil@example.org\r\nBcc: spy@example.org", "X"),
              Recipient("name@example.org", "Pat\r\nBcc: spy@example.org"),
              Recipient("two@example.org, spy@example.org", "Y")]
    async with running_server() as server:
        runner = campaign(new_ledger(path, sneaky), server.port)
        result = await runner.run()
        await runner.close()
    assert result.counts == {"sent": 1, "failed": 3}
    assert [m.rcpt_tos for m in server.messages] == [["ok@example.org"]]
    assert b"spy@" not in server.messages[0].data and b"Bcc" not in server.messages[0].data
    assert not any("spy" in c for c in server.handler.commands)
    failed = [r for r in read_records(path) if r.get("state") == "failed"]
    assert all(r["reply"].startswith("not sent: header") for r in failed)


async def test_retry_failed_is_explicit(tmp_path: Path) -> None:
    from bulletin_tui.sending.ledger import Ledger

    path = tmp_path / "c.jsonl"
    async with running_server() as server:
        server.script.rcpt["r002@example.org"] = ["550 5.7.1 rejected by policy"]
        first = await run_once(path, server.port, count=3)
        assert first.counts == {"sent": 2, "failed": 1}  # type: ignore[attr-defined]
        plain = campaign(Ledger(path), server.port)
        assert (await plain.run()).counts == {"sent": 2, "failed": 1}
        await plain.close()
        retry = campaign(Ledger(path), server.port)
        retry.prepare(retry_failed=True)
        assert (await retry.run()).counts == {"sent": 3}
        await retry.close()
    assert set(server.handler.by_recipient().values()) == {1}


async def test_a_run_of_bad_addresses_does_not_pause(tmp_path: Path) -> None:
    """Past the first recipients of a run, a row of recipient-specific refusals (5.1.1) is real."""
    async with running_server() as server:
        for n in range(31, 38):
            server.script.rcpt[f"r{n:03d}@example.org"] = ["550 5.1.1 no such user"]
        result = await run_once(tmp_path / "c.jsonl", server.port, count=40, options={"max_consecutive_errors": 3})
    assert result.status is RunStatus.COMPLETE and result.counts == {"failed": 7, "sent": 33}  # type: ignore
