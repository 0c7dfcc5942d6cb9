"""A server problem is not a bounce (#11 item 6): the same refusal for everyone pauses the run, requeues those
recipients and suppresses nobody; only recipient-specific replies (5.1.1, 5.2.1 ...) suppress."""

from __future__ import annotations

from pathlib import Path

from bulletin_tui.sending.ledger import Ledger, State, read_records
from bulletin_tui.sending.progress import RunStatus

from .helpers import campaign, new_ledger, people, states_of
from .smtp_server import running_server


def refuse_all(server, count: int, reply: str) -> None:  # type: ignore[no-untyped-def]
    for n in range(1, count + 1):
        server.script.rcpt[f"r{n:03d}@example.org"] = [reply]


async def run(path: Path, port: int, bounced: list[str], count: int = 30, fresh: bool = True, **kw: object):  # type: ignore
    ledger = new_ledger(path, people(count)) if fresh else Ledger(path)
    runner = campaign(ledger, port, on_hard_bounce=lambda r, d: bounced.append(r.email), **kw)  # type: ignore[arg-type]
    try:
        return await runner.run()
    finally:
        await runner.close()


async def test_relaying_denied_to_everyone_pauses_requeues_and_suppresses_no_one(tmp_path: Path) -> None:
    path, bounced = tmp_path / "c.jsonl", []
    async with running_server() as server:
        refuse_all(server, 30, "550 Relaying denied")
        paused = await run(path, server.port, bounced)
        assert paused.status is RunStatus.PAUSED and paused.exit_code == 4
        assert '"550 Relaying denied (rcpt)"' in paused.reason and "5 recipients in a row" in paused.reason
        assert paused.counts == {"queued": 30} and bounced == [] and server.messages == []
        refused = [r for r in read_records(path) if r.get("state") == "failed"]
        requeued = [r["key"] for r in read_records(path) if r.get("reply", "").startswith("requeued")]
        assert sorted(requeued) == sorted(r["key"] for r in refused) and len(refused) >= 5
        server.script.rcpt.clear()  # the operator fixed the relay: a plain resume sends everyone, once
        done = await run(path, server.port, bounced, fresh=False)
    assert done.status is RunStatus.COMPLETE and done.counts == {"sent": 30} and bounced == []
    assert set(server.handler.by_recipient().values()) == {1} and len(server.messages) == 30


async def test_most_of_the_first_20_refused_alike_pauses_even_without_a_streak(tmp_path: Path) -> None:
    path, bounced = tmp_path / "c.jsonl", []
    async with running_server() as server:
        for n in range(1, 41):
            if n % 3:  # two of every three: never 5 in a row
                server.script.rcpt[f"r{n:03d}@example.org"] = [f"554 5.7.1 <r{n:03d}@example.org>: access denied"]
        paused = await run(path, server.port, bounced, count=40, options={"concurrency": 1})
    assert paused.status is RunStatus.PAUSED and "of the first" in paused.reason
    assert "[recipient]" in paused.reason and "@example.org" not in paused.reason
    assert "failed" not in paused.counts and bounced == []
    assert {s for s in states_of(path).values()} == {State.SENT, State.QUEUED}


async def test_first_recipients_all_5_1_1_alike_is_a_server_problem_too(tmp_path: Path) -> None:
    path, bounced = tmp_path / "c.jsonl", []
    async with running_server() as server:
        for n in range(1, 31):
            server.script.rcpt[f"r{n:03d}@example.org"] = [f"550 5.1.1 <r{n:03d}@example.org>: user unknown"]
        paused = await run(path, server.port, bounced)
    assert paused.status is RunStatus.PAUSED and "failed" not in paused.counts and bounced == []


async def test_only_recipient_specific_codes_suppress(tmp_path: Path) -> None:
    path, bounced = tmp_path / "c.jsonl", []
    async with running_server() as server:
        server.script.rcpt["r003@example.org"] = ["550 5.1.1 no such user"]
        server.script.rcpt["r005@example.org"] = ["550 mailbox unavailable"]
        server.script.rcpt["r007@example.org"] = ["550 5.7.1 message refused by policy"]
        server.script.rcpt["r009@example.org"] = ["550 5.2.1 mailbox disabled"]
        result = await run(path, server.port, bounced, count=20)
    assert result.status is RunStatus.COMPLETE and result.counts == {"sent": 16, "failed": 4}
    assert sorted(bounced) == ["r003@example.org", "r009@example.org"]


async def test_bounces_in_the_first_window_wait_until_it_shows_they_are_real(tmp_path: Path) -> None:
    """While the first 20 outcomes are open a hard bounce is held; the run goes on and then suppresses it."""
    path, bounced = tmp_path / "c.jsonl", []
    async with running_server() as server:
        server.script.rcpt["r001@example.org"] = ["550 5.1.1 no such user"]
        server.script.rcpt["r002@example.org"] = ["550 5.1.1 no such user"]
        events: list[list[str]] = []
        result = await run(path, server.port, bounced, count=25, options={"concurrency": 1},
                           on_progress=lambda p: events.append(list(bounced)))
    assert result.counts == {"sent": 23, "failed": 2} and sorted(bounced) == ["r001@example.org", "r002@example.org"]
    assert events[5] == []  # not yet: the window was still open after six outcomes


async def test_the_operator_can_turn_the_rule_off_when_the_first_addresses_really_are_dead(tmp_path: Path) -> None:
    path, bounced = tmp_path / "c.jsonl", []
    async with running_server() as server:
        refuse_all(server, 6, "550 5.1.1 no such user")
        paused = await run(path, server.port, bounced, count=10)
        assert paused.status is RunStatus.PAUSED and bounced == []
        refuse_all(server, 6, "550 5.1.1 no such user")
        done = await run(path, server.port, bounced, count=10, fresh=False, options={"same_refusal_streak": 0})
    assert done.status is RunStatus.COMPLETE and done.counts == {"failed": 6, "sent": 4}
    assert sorted(bounced) == [f"r{n:03d}@example.org" for n in range(1, 7)]
