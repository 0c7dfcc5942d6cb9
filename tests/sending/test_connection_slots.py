"""Connection slots: the mailbox's N connections shared by every sender of a data folder (here: transports with their
own slot handles, as separate processes have), and what the pool does after `432 4.3.2`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bulletin_tui.config import SmtpSettings
from bulletin_tui.sending.budget import ConnectionSlots
from bulletin_tui.sending.ledger import State
from bulletin_tui.sending.progress import RunStatus
from bulletin_tui.sending.smtp import SmtpTransport
from bulletin_tui.sending.transport import Outcome

from .helpers import campaign, new_ledger, people, states_of
from .limited_server import limited_server

MESSAGE = b"Subject: x\r\n\r\nx\r\n"


def transport(port: int, concurrency: int, slots: ConnectionSlots | None) -> SmtpTransport:
    settings = SmtpSettings(host="127.0.0.1", port=port, security="none", timeout=5)
    return SmtpTransport(settings, concurrency=concurrency, slots=slots)


async def test_slots_are_shared_and_a_waiting_sender_is_noticed(tmp_path: Path) -> None:
    first, second = ConnectionSlots(tmp_path, 2), ConnectionSlots(tmp_path, 2)
    held = [first.try_take(), first.try_take()]
    assert all(held) and first.try_take() is None and second.try_take() is None
    assert not first.others_waiting()
    waiter = asyncio.create_task(second.take(patience=5))
    await asyncio.sleep(0.05)
    assert first.others_waiting()  # so a sender holding two gives one up
    held[0].release()  # type: ignore[union-attr]
    lease = await asyncio.wait_for(waiter, 2)
    assert lease is not None and lease.number == 1 and not first.others_waiting()
    assert await second.take(patience=0.1) is None  # nothing free: it gives up after its patience
    lease.release()


async def test_two_senders_wanting_five_connections_open_three_and_everyone_is_sent(tmp_path: Path) -> None:
    with limited_server(max_connections=3) as server:
        runs = [campaign(new_ledger(tmp_path / f"{name}.jsonl", people(30)), server.port,
                         transport=transport(server.port, concurrency, ConnectionSlots(tmp_path, 3)),
                         options={"concurrency": concurrency}) for name, concurrency in (("a", 3), ("b", 2))]
        try:
            results = await asyncio.gather(*(run.run() for run in runs))
        finally:
            for run in runs:
                await run.close()
        assert server.max_open == 3 and server.refused == 0
    assert [r.counts for r in results] == [{"sent": 30}, {"sent": 30}]
    assert set(states_of(tmp_path / "a.jsonl").values()) == {State.SENT}


async def test_a_432_closes_that_connection_and_the_pool_uses_one_fewer(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    with limited_server(max_connections=2) as server:  # the server allows fewer than the settings say
        sender = transport(server.port, 3, None)
        run = campaign(new_ledger(path, people(40)), server.port, transport=sender, options={"concurrency": 3})
        try:
            result = await run.run()
        finally:
            await run.close()
        assert server.refused >= 1
    assert result.status is RunStatus.COMPLETE and result.counts == {"sent": 40}
    assert sender.connections == 2  # and stays there: no more refusals once it shrank
    assert server.handler.by_recipient() == {person.email: 1 for person in people(40)}


async def test_a_sender_without_a_slot_waits_then_defers_without_failing_anyone(tmp_path: Path) -> None:
    slots = ConnectionSlots(tmp_path, 1)
    taken = ConnectionSlots(tmp_path, 1).try_take()  # another process holds the only connection
    with limited_server() as server:
        sender = transport(server.port, 1, slots)
        sender._pool.patience = 0.2
        waited = await sender.deliver("team@kent.gov.uk", "r001@example.org", MESSAGE)
        assert waited.outcome is Outcome.DEFERRED and waited.unreachable and "in use by other sends" in waited.reply
        taken.release()  # type: ignore[union-attr]
        sent = await sender.deliver("team@kent.gov.uk", "r001@example.org", MESSAGE)
        await sender.close()
        assert sent.outcome is Outcome.SENT and server.max_open == 1
    assert slots.try_take() is not None  # the connection closed: its slot was given back
