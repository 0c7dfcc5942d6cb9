"""`--concurrency N` opens N SMTP connections (counted at a real aiosmtpd server), from the CLI and the runner."""

from __future__ import annotations

from pathlib import Path

from bulletin_tui.sending.progress import RunStatus
from tests.conftest import DEMO_ISSUE, CliRun

from .helpers import campaign, new_ledger, people
from .smtp_server import running_server, threaded_server

ISSUE, LIST = DEMO_ISSUE, "e-bulletin"


def test_cli_concurrency_4_opens_4_connections(cli: CliRun) -> None:
    cli("demo")
    with threaded_server() as server:
        server.script.end_delay = 0.01  # keep each connection busy long enough for all four to be needed
        smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--smtp-security", "none"]
        out = cli("send", ISSUE, "--list", LIST, "--force", "--rate-per-minute", "0", "--concurrency", "4", *smtp)
        assert "Mailing complete (240 sent of 240)" in out
        assert server.handler.connections == 4 and len(server.messages) == 240


async def test_runner_widens_and_narrows_the_transport_pool(tmp_path: Path) -> None:
    async with running_server() as server:
        server.script.end_delay = 0.01
        wide = campaign(new_ledger(tmp_path / "a.jsonl", people(40)), server.port, options={"concurrency": 6})
        assert (await wide.run()).status is RunStatus.COMPLETE
        await wide.close()
        assert server.handler.connections == 6
        narrow = campaign(new_ledger(tmp_path / "b.jsonl", people(10)), server.port, options={"concurrency": 1})
        assert (await narrow.run()).counts == {"sent": 10}
        await narrow.close()
        assert server.handler.connections == 7  # one more: a transport made for 2 used only 1
