"""Sending throughput: 10,000 personalised bulletin messages over SMTP to a local sink in another process.

Full pipeline (issue 6): `campaigns.handle.send_bulletin` with the demo issue, a fresh unsubscribe token per person,
the unsubscribe/erasure re-check before each send, the group-committed fsynced ledger, 4 SMTP connections,
rate limit off. Targets: >= 400 msg/s, peak RSS <= 200 MB, growth 1,000 -> 10,000 recipients <= 30 MB, and
>= 0.6 of the ceiling: a bare aiosmtplib loop sending one pre-built message over the same 4 connections.
Also the per-message build cost against the obvious baseline (email.message + generator for every recipient).

    .venv/bin/python benchmarks/bench_send.py            # everything (about a minute)
Each measured run is a fresh process, so peak memory (ru_maxrss) belongs to that run alone.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import DEMO_ISSUE, NOW, peak_rss_mb, report  # noqa: E402

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
SCRIPT = str(Path(__file__).resolve())


def run_sink() -> None:
    """An aiosmtpd server that accepts and counts messages; prints its port, then serves until killed."""
    from aiosmtpd.smtp import SMTP

    class Counting:
        count = 0

        async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
            Counting.count += 1
            return "250 2.0.0 Ok: queued"

    async def serve() -> None:
        handler = Counting()
        server = await asyncio.get_running_loop().create_server(
            lambda: SMTP(handler, hostname="sink.bench"), "127.0.0.1", 0)
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())


def build_context(data_dir: Path, port: int, recipients: int):  # type: ignore[no-untyped-def]
    """Demo data plus a list of `recipients` fake people, SMTP pointed at the sink."""
    from bulletin_tui.config import LimitSettings, Settings, SmtpSettings
    from bulletin_tui.domain.subscribers import Membership, MembershipStatus, Subscriber
    from bulletin_tui.services.context import open_context
    from bulletin_tui.services.demo.loader import load_demo
    from bulletin_tui.services.subscribers.lists import add_list

    settings = Settings(
        data_dir=data_dir, smtp=SmtpSettings(host="127.0.0.1", port=port, security="none", timeout=60),
        limits=LimitSettings(rate_per_minute=0, rate_per_day=0, concurrency=CONNECTIONS))
    ctx = open_context(settings, create=True)
    load_demo(ctx)
    add_list(ctx, "bench", "Benchmark readers")
    member = {"bench": Membership(status=MembershipStatus.SUBSCRIBED, changed_at=NOW)}
    ctx.store.subscribers.put_many(
        Subscriber(email=f"reader{n}@district{n % 13}.example.org", name=f"Test Reader {n}", lists=member,
                   created_at=NOW, updated_at=NOW)
        for n in range(recipients))
    return ctx


def run_pipeline(port: int, recipients: int) -> None:
    """Child: the whole bulletin send; prints one JSON line of measurements."""
    from bulletin_tui.services.bulletins.prepare import prepare_issue
    from bulletin_tui.services.mailings.handle import send_bulletin

    with tempfile.TemporaryDirectory() as folder:
        ctx = build_context(Path(folder) / "data", port, recipients)
        html_kb = len(prepare_issue(ctx, DEMO_ISSUE).html.encode()) / 1024
        before_mb = current_rss_mb()
        cpu = cpu_seconds()
        started = time.perf_counter()
        result = asyncio.run(send_bulletin(ctx, DEMO_ISSUE, "bench", force=True, rate_per_minute=0))
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
        ledger = next((Path(folder) / "data" / "ledgers").glob("bulletin-*.jsonl"))
        print(json.dumps({"sent": result.counts.get("sent", 0), "seconds": elapsed, "rate": recipients / elapsed,
                          "cpu_ms": cpu * 1000 / recipients,
                          "peak_mb": peak_rss_mb(), "send_mb": peak_rss_mb() - before_mb, "html_kb": html_kb,
                          "ledger_records": sum(1 for _ in ledger.open())}))
        ctx.close()


def run_ceiling(port: int, messages: int) -> None:
    """Child: bare aiosmtplib, one pre-built message, the same number of connections."""
    import aiosmtplib

    from bulletin_tui.config import SenderSettings
    from bulletin_tui.sending.mime import MessageTemplate

    html = "<p>Dear XBTNAMEX</p>" + "<p>Community safety news for Kent.</p>" * 300
    raw = MessageTemplate(subject="S", html=html, text="Dear XBTNAMEX", sender=SenderSettings()).render(
        "reader@example.org", {"XBTNAMEX": "Reader"}, {"XBTNAMEX": "Reader"})

    async def worker(share: int) -> None:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False, local_hostname="bench")
        await smtp.connect()
        for _ in range(share):
            await smtp.sendmail("kcst@kent.gov.uk", ["reader@example.org"], raw)
        await smtp.quit()

    async def main() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(worker(messages // CONNECTIONS) for _ in range(CONNECTIONS)))
        return time.perf_counter() - started

    cpu = cpu_seconds()
    elapsed = asyncio.run(main())
    print(json.dumps({"rate": messages / elapsed, "cpu_ms": (cpu_seconds() - cpu) * 1000 / messages,
                      "bytes": len(raw), "peak_mb": peak_rss_mb()}))


def run_build(count: int) -> None:
    """Child: per-recipient build cost, pre-encoded template vs email.message + generator, same content."""
    from email.message import EmailMessage

    from bulletin_tui.config import SenderSettings
    from bulletin_tui.rendering import personal_values
    from bulletin_tui.sending.mime import MessageTemplate
    from bulletin_tui.services.bulletins.prepare import prepare_issue

    with tempfile.TemporaryDirectory() as folder:
        ctx = build_context(Path(folder) / "data", 25, 0)
        prepared = prepare_issue(ctx, DEMO_ISSUE)
        template = MessageTemplate(subject=prepared.subject, html=prepared.html, text=prepared.text,
                                   sender=SenderSettings())
        values = [personal_values(prepared, name=f"Reader {n}", unsubscribe_url=f"https://x.example/u/{n}",
                                  email=f"r{n}@example.org") for n in range(count)]
        started = time.perf_counter()
        for n, (html_values, text_values) in enumerate(values):
            template.render(f"r{n}@example.org", html_values, text_values)
        ours = (time.perf_counter() - started) / count
        started = time.perf_counter()
        for n, (html_values, text_values) in enumerate(values):
            message = EmailMessage()
            message["To"], message["From"], message["Subject"] = f"r{n}@example.org", "k@kent.gov.uk", "S"
            message.set_content(_fill(prepared.text, text_values))
            message.add_alternative(_fill(prepared.html, html_values), subtype="html")
            message.as_bytes()
        naive = (time.perf_counter() - started) / count
        print(json.dumps({"ours_ms": ours * 1000, "naive_ms": naive * 1000}))
        ctx.close()


def _fill(text: str, values: dict[str, str]) -> str:
    for token, value in values.items():
        text = text.replace(token, value)
    return text


def child(*args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, check=True, timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def current_rss_mb() -> float:
    """Resident memory now (Linux /proc), for the memory a send itself adds."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    sink = subprocess.Popen([sys.executable, SCRIPT, "sink"], stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout is not None
        port = sink.stdout.readline().strip()
        small = child("pipeline", port, "1000")
        pairs = [(child("ceiling", port, "10000"), child("pipeline", port, "10000")) for _ in range(rounds)]
        build = child("build", "2000")
    finally:
        sink.kill()
        sink.wait()
    ceilings = sorted(c["rate"] for c, _ in pairs)
    fulls = [f for _, f in pairs]
    rates = sorted(f["rate"] for f in fulls)
    ratios = sorted(f["rate"] / c["rate"] for c, f in pairs)
    full = max(fulls, key=lambda f: f["peak_mb"])
    mid = len(pairs) // 2
    report(f"Sending 10,000 personalised messages ({full['html_kb']:.1f} KB HTML) to an aiosmtpd sink in another "
           f"process, {CONNECTIONS} connections, fsynced ledger; median of {rounds} alternating rounds", [
        ("full pipeline", f"{rates[mid]:.0f} msg/s", f"target >= 400 (runs: {', '.join(f'{r:.0f}' for r in rates)};"
                                                     f" {int(full['ledger_records'])} ledger records)"),
        ("bare aiosmtplib ceiling", f"{ceilings[mid]:.0f} msg/s",
         f"one pre-built message (runs: {', '.join(f'{r:.0f}' for r in ceilings)})"),
        ("ratio to ceiling", f"{ratios[mid]:.2f}",
         f"target >= 0.6 (per round: {', '.join(f'{r:.2f}' for r in ratios)})"),
        ("peak RSS, 10,000", f"{full['peak_mb']:.0f} MB", "target <= 200 MB"),
        ("peak RSS, 1,000", f"{small['peak_mb']:.0f} MB", f"{small['rate']:.0f} msg/s"),
        ("growth 1,000 -> 10,000", f"{full['peak_mb'] - small['peak_mb']:.1f} MB",
         f"target <= 30 MB (of which the send itself: {full['send_mb']:.1f} MB vs {small['send_mb']:.1f} MB)"),
        ("build one message", f"{build['ours_ms']:.3f} ms",
         f"email.generator baseline {build['naive_ms']:.3f} ms ({build['naive_ms'] / build['ours_ms']:.0f}x)"),
    ])


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "all"
    if mode == "sink":
        run_sink()
    elif mode == "pipeline":
        run_pipeline(int(sys.argv[2]), int(sys.argv[3]))
    elif mode == "ceiling":
        run_ceiling(int(sys.argv[2]), int(sys.argv[3]))
    elif mode == "build":
        run_build(int(sys.argv[2]))
    else:
        main()
