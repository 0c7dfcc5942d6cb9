"""The web face (issue 15): one-click unsubscribe POSTs, each journalled and fsynced before its 200, from 50
concurrent connections (`wrk`, Debian), against `bulletin-tui serve` over a 50,000-subscriber database.

Targets: >= 500 requests/s, p99 <= 100 ms, server memory <= 150 MB. Baseline in the same run: GET /sessions/
(a page render, nothing written), so the cost of durability is visible as a ratio.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import report, subscriber_rows  # noqa: E402
from bulletin_tui.config import Settings  # noqa: E402
from bulletin_tui.services.context import open_context  # noqa: E402
from bulletin_tui.services.subscribers.import_commit import commit_import  # noqa: E402
from bulletin_tui.services.subscribers.imports import preview_import  # noqa: E402
from bulletin_tui.services.subscribers.lists import add_list  # noqa: E402
from bulletin_tui.services.subscribers.tokens import unsubscribe_token  # noqa: E402
from bulletin_tui.storage.journal import all_entries  # noqa: E402
from tests.web.server import running_server  # noqa: E402

PEOPLE = 50_000
SECONDS, CONNECTIONS, THREADS = 10, 50, 2


def build(folder: Path) -> tuple[Settings, list[str]]:
    settings = Settings(data_dir=folder / "data")
    csv = folder / "people.csv"
    rows = subscriber_rows(PEOPLE)
    csv.write_text("email,name,organisation\n" + "".join(f"{r['email']},{r['name']},{r['organisation']}\n"
                                                         for r in rows))
    with open_context(settings, create=True) as ctx:
        add_list(ctx, "e-bulletin", "E-bulletin")
        commit_import(ctx, preview_import(ctx, csv, "e-bulletin"))
        tokens = [unsubscribe_token(ctx, row["email"], "e-bulletin") for row in rows]
    return settings, tokens


def post_script(folder: Path, tokens: list[str]) -> Path:
    """wrk's Lua: every request a different person's token (a replayed token is answered without journalling,
    so one token would measure the deduplication, not the durable append); each thread its own half."""
    lua = folder / "post.lua"
    paths = ",".join(f'"/u/{token}"' for token in tokens)
    lua.write_text(
        f"paths = {{{paths}}}\ncounter = 0\nfunction setup(thread) thread:set('id', counter); "
        "counter = counter + 1 end\n"
        "function init(args) n = id * math.floor(#paths / 2) end\n"
        'function request() n = n + 1; return wrk.format("POST", paths[(n % #paths) + 1], '
        '{["Content-Type"] = "application/x-www-form-urlencoded"}, "List-Unsubscribe=One-Click") end\n')
    return lua


def wrk(url: str, script: Path | None) -> tuple[float, float]:
    """(requests/s, p99 ms) from wrk's latency report."""
    command = ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{SECONDS}s", "--latency", url]
    if script is not None:
        command[1:1] = ["-s", str(script)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert "Non-2xx" not in out, out
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99, out
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return rate, float(p99.group(1)) * scale


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("bench_web needs wrk (apt-get install wrk)")
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as folder:
        settings, tokens = build(Path(folder))
        lua = post_script(Path(folder), tokens)
        # one load generator is one client address: its per-address limit is lifted for the measurement
        with running_server(settings.data_dir, Path(folder) / "serve.log", "--per-ip-per-minute",
                            "100000000") as server:
            base_rate, base_p99 = wrk(f"{server.url}/sessions/", None)
            time.sleep(1)
            rate, p99 = wrk(server.url, lua)
            memory = rss_mb(server.process.pid)  # uvicorn serves in this one process
        journalled = sum(1 for _ in all_entries(settings.data_dir))
    report(f"web face: one-click unsubscribe, {CONNECTIONS} connections, {SECONDS} s, {PEOPLE:,} subscribers", [
        ("POST /u/{token} (journalled, fsynced)", f"{rate:,.0f} req/s", f"p99 {p99:.1f} ms; target >= 500, <= 100 ms"),
        ("GET /sessions/ (nothing written)", f"{base_rate:,.0f} req/s", f"p99 {base_p99:.1f} ms; "
                                                                         f"ratio {rate / base_rate:.2f}"),
        ("entries in the journal", f"{journalled:,}", "every answered POST"),
        ("server peak RSS", f"{memory:.0f} MB", "target <= 150 MB"),
    ])


if __name__ == "__main__":
    main()
