"""The whole `bulletin-tui send` command against Postfix's smtp-sink, next to what the wire allows (#11 item 19).

Three measurements per round, in the same run and against the same sink (`smtp-sink -u nobody 127.0.0.1:PORT 256`):
- **CLI**: `python -m bulletin_tui send ISSUE --list bench --concurrency 4 ...` in a subprocess, 8,000 recipients,
  timed from exec to exit: start-up, opening the database, checks skipped (--force), one render, the audience
  snapshot, a token and a still-wanted check per person, the fsynced ledger, 4 real SMTP connections;
- **bare aiosmtplib**: one pre-built copy of the same message (same size) sent 8,000 times over 4 connections;
- **smtp-source**: Postfix's own load generator, 4 sessions, a message of the same size (the sink's ceiling).
The target is CLI / bare >= 0.6. Rounds alternate, so machine load hits both alike.

    .venv/bin/python benchmarks/bench_send_sink.py        # 3 rounds, under 2 minutes here
    BENCH_ROUNDS=1 BENCH_RECIPIENTS=2000 .venv/bin/python benchmarks/bench_send_sink.py
Needs Debian's `postfix` package (smtp-sink, smtp-source); skipped with a message when it is missing.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import DEMO_ISSUE, NOW, report  # noqa: E402

SINK, SOURCE = "/usr/sbin/smtp-sink", "/usr/sbin/smtp-source"
CONNECTIONS = 4
RECIPIENTS = int(os.environ.get("BENCH_RECIPIENTS", "8000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ISSUE, LIST, SENDER = DEMO_ISSUE, "bench", "kcst@kent.gov.uk"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_sink(port: int) -> subprocess.Popen[bytes]:
    sink = subprocess.Popen([SINK, "-u", "nobody", f"127.0.0.1:{port}", "256"])
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return sink
        except OSError:
            time.sleep(0.02)
    sink.kill()
    raise RuntimeError("smtp-sink did not start")


def seed(data_dir: Path) -> bytes:
    """Demo data plus `RECIPIENTS` fake people on list `bench`; returns one message as the CLI would build it."""
    from bulletin_tui.config import Settings
    from bulletin_tui.domain.subscribers import Membership, MembershipStatus, Subscriber
    from bulletin_tui.sending.progress import Recipient
    from bulletin_tui.services.bulletins.prepare import prepare_issue
    from bulletin_tui.services.context import open_context
    from bulletin_tui.services.demo.loader import load_demo
    from bulletin_tui.services.mailings.send import bulletin_builder
    from bulletin_tui.services.subscribers.lists import add_list

    ctx = open_context(Settings(data_dir=data_dir), create=True)
    load_demo(ctx)
    dl = add_list(ctx, LIST, "Benchmark readers")
    member = {LIST: Membership(status=MembershipStatus.SUBSCRIBED, changed_at=NOW)}
    ctx.store.subscribers.put_many(
        Subscriber(email=f"reader{n}@district{n % 13}.example.org", name=f"Test Reader {n}", lists=member,
                   created_at=NOW, updated_at=NOW) for n in range(RECIPIENTS))
    message = bulletin_builder(ctx, prepare_issue(ctx, ISSUE), dl)(Recipient("reader1@district1.example.org",
                                                                             "Test Reader 1"))
    ctx.close()
    return message


def run_cli(seeded: Path, port: int, work: Path) -> dict[str, float]:
    """The real command in a subprocess, on a fresh copy of the seeded data folder."""
    data_dir = work / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(seeded, data_dir)
    env = {**os.environ, "BULLETIN_CONFIG": str(work / "none.toml"), "BULLETIN_LIMITS__RATE_PER_DAY": "0",
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    command = [sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), "send", ISSUE, "--list", LIST,
               "--force", "--rate-per-minute", "0", "--concurrency", str(CONNECTIONS), "--smtp-host", "127.0.0.1",
               "--smtp-port", str(port), "--smtp-security", "none"]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or f"({RECIPIENTS} sent of {RECIPIENTS})" not in done.stdout:
        raise RuntimeError(f"send failed ({done.returncode}): {done.stdout[-300:]} {done.stderr[-300:]}")
    return {"rate": RECIPIENTS / elapsed, "seconds": elapsed}


def run_bare(port: int, message_file: Path) -> dict[str, float]:
    """Child: bare aiosmtplib, one pre-built message, `CONNECTIONS` connections; prints one JSON line."""
    import aiosmtplib

    raw = message_file.read_bytes()

    async def worker(share: int) -> None:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False, local_hostname="bench")
        await smtp.connect()
        for _ in range(share):
            await smtp.sendmail(SENDER, ["reader1@district1.example.org"], raw)
        await smtp.quit()

    async def main() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(worker(RECIPIENTS // CONNECTIONS) for _ in range(CONNECTIONS)))
        return time.perf_counter() - started

    elapsed = asyncio.run(main())
    return {"rate": RECIPIENTS / elapsed, "bytes": len(raw)}


def run_source(port: int, size: int) -> float:
    """Postfix smtp-source: `CONNECTIONS` sessions, messages of `size` bytes; msg/s."""
    started = time.perf_counter()
    subprocess.run([SOURCE, "-c", "-l", str(size), "-m", str(RECIPIENTS), "-s", str(CONNECTIONS), "-f", SENDER,
                    "-t", "reader1@district1.example.org", f"127.0.0.1:{port}"], check=True, capture_output=True,
                   timeout=300)
    return RECIPIENTS / (time.perf_counter() - started)


def child_bare(port: int, message_file: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "bare", str(port), str(message_file)], capture_output=True,
                         text=True, check=True, timeout=300)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if not (os.access(SINK, os.X_OK) and os.access(SOURCE, os.X_OK)):
        print("smtp-sink/smtp-source not found: apt-get install postfix (the benchmark is skipped)")
        return
    port = free_port()
    sink = start_sink(port)
    try:
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            message = seed(work / "seeded")
            message_file = work / "message.eml"
            message_file.write_bytes(message)
            rounds = []
            for _ in range(ROUNDS):
                bare = child_bare(port, message_file)
                cli = run_cli(work / "seeded", port, work)
                rounds.append((cli["rate"], bare["rate"], run_source(port, len(message))))
    finally:
        sink.terminate()
        sink.wait()
    show(rounds, len(message))


def show(rounds: list[tuple[float, float, float]], size: int) -> None:
    def runs(values: list[float], fmt: str = "{:.0f}") -> str:
        return ", ".join(fmt.format(v) for v in values)

    cli, bare, source = ([r[i] for r in rounds] for i in range(3))
    ratios = [c / b for c, b, _ in rounds]
    mid = len(rounds) // 2
    report(f"`bulletin-tui send` of {RECIPIENTS:,} messages ({size / 1024:.1f} KB each) to Postfix smtp-sink, "
           f"{CONNECTIONS} connections; median of {len(rounds)} alternating rounds", [
        ("whole CLI command", f"{sorted(cli)[mid]:.0f} msg/s", f"subprocess, start to exit (runs: {runs(cli)})"),
        ("bare aiosmtplib loop", f"{sorted(bare)[mid]:.0f} msg/s", f"one pre-built message (runs: {runs(bare)})"),
        ("ratio CLI / bare", f"{sorted(ratios)[mid]:.2f}", f"target >= 0.6 (runs: {runs(ratios, '{:.2f}')})"),
        ("smtp-source", f"{sorted(source)[mid]:.0f} msg/s", f"Postfix's load generator (runs: {runs(source)})"),
    ])


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "bare":
        print(json.dumps(run_bare(int(sys.argv[2]), Path(sys.argv[3]))))
    else:
        main()
