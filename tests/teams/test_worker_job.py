"""The worker's Teams job (#24 + #28): one `worker --once` round moves a changed session's meeting and takes the
attendance that is due, and says so in one line of `logs/worker.log` (counts, never an address)."""

from __future__ import annotations

import asyncio

from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions import catalogue
from bulletin_tui.services.teams.graph import GraphClient
from bulletin_tui.services.worker.run import run_worker

from .graph import GraphState
from .test_attendance import PEOPLE, after, booked, held


def test_one_worker_round_moves_the_meeting_and_takes_attendance(tctx: AppContext, client: GraphClient,
                                                                  graph: GraphState, clock: FixedClock) -> None:
    meeting = booked(tctx, client, graph)
    catalogue.edit_session(tctx, "s1", title="CSIS: Scams and fraud")
    held(graph, meeting)
    after(clock, hours=1)
    asyncio.run(run_worker(tctx, once=True))
    log = (tctx.data_dir / "logs" / "worker.log").read_text()
    [line] = [line for line in log.splitlines() if " teams " in f" {line} " or "Teams meetings" in line]
    assert "1 moved" in line and "1 taken (4 attended, 1 no-shows, 2 to confirm)" in line
    assert meeting.subject == "CSIS: Scams and fraud"
    assert not any(address.casefold() in log.casefold() for address in PEOPLE)
