"""Bulletin rendering benchmark: a 60-item issue rendered and inlined once, then 10,000 personalised messages.

Run: .venv/bin/python benchmarks/bench_render.py [--messages 10000]
Claims (issue 4): render + inline once <= 0.5 s; personalisation + MIME <= 0.5 ms median per
recipient; 10,000 messages <= 10 s with peak memory <= 200 MB, streamed; ratio against premailer per recipient.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import generator, policy
from email.message import EmailMessage
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bulletin_tui.config import Settings  # noqa: E402
from bulletin_tui.domain.bulletins import Category  # noqa: E402
from bulletin_tui.domain.clock import FixedClock  # noqa: E402
from bulletin_tui.domain.sessions import InfoSession  # noqa: E402
from bulletin_tui.rendering import inline_css, personal_values  # noqa: E402
from bulletin_tui.rendering.environment import cached_environment  # noqa: E402
from bulletin_tui.rendering.prepare import HTML_TEMPLATE, render_template  # noqa: E402
from bulletin_tui.sending.mime import MessageTemplate  # noqa: E402
from bulletin_tui.services.bulletins import assembly  # noqa: E402
from bulletin_tui.services.bulletins import issues as bulletins  # noqa: E402
from bulletin_tui.services.bulletins.prepare import prepare_issue  # noqa: E402
from bulletin_tui.services.context import AppContext, open_context  # noqa: E402

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
SUMMARY = ("Partners are asked to note the **updated guidance** on this topic, which sets out what changes for "
           "community safety teams, district councils and the police, and where to find the "
           "[full document](https://www.kent.gov.uk/guidance). Contact the KCST with any questions.")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_issue(data_dir: Path, items: int) -> AppContext:
    """A data dir with one issue of `items` items spread over every section, and two upcoming sessions."""
    ctx = open_context(Settings(data_dir=data_dir), create=True, clock=FixedClock(NOW))
    bulletins.create_issue(ctx, "bench", "Community Safety e-Bulletin, benchmark issue", intro="Welcome.")
    categories = list(Category)
    with ctx.store.transaction():
        for number in range(items):
            assembly.add_item(ctx, "bench", title=f"Item {number + 1}: partnership update on topic {number}",
                              category=categories[number % len(categories)], summary=SUMMARY,
                              link=f"https://www.kent.gov.uk/item/{number}", source_organisation="Kent County Council")
        for number in range(2):
            start = NOW + timedelta(days=10 + 7 * number, hours=2)
            ctx.store.sessions.put(InfoSession(slug=f"s{number}", title=f"CSIS {number}", start=start,
                                               end=start + timedelta(hours=1), uid=f"s{number}@bench",
                                               created_at=NOW))
    return ctx


def messages(template: MessageTemplate, prepared, count: int) -> Iterator[bytes]:  # type: ignore[no-untyped-def]
    """Each recipient's message bytes, one at a time (nothing is kept)."""
    for number in range(count):
        address = f"reader{number}@example.org"
        html_values, text_values = personal_values(
            prepared, name=f"Reader {number}", email=address, list_name="E-bulletin",
            unsubscribe_url=f"https://bulletin.example.org/u/u1.{number:016d}.e-bulletin.0.abcdefghijklmnopqrstuv")
        yield template.render(address, html_values, text_values,
                              {"List-Unsubscribe": f"<mailto:unsub@example.org?subject={number}>"})


def premailer_per_recipient(ctx: AppContext, prepared, number: int) -> bytes:  # type: ignore[no-untyped-def]
    """The obvious baseline: render and inline the template for each person, then flatten with the stdlib."""
    env = cached_environment(None)
    personal = {"name": f"Reader {number}", "email": f"reader{number}@example.org", "list": "E-bulletin",
                "unsubscribe": f"https://bulletin.example.org/u/{number}"}
    html = inline_css(render_template(env, HTML_TEMPLATE, v=prepared.view, personal=personal))
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "team@example.org", personal["email"], prepared.subject
    message.set_content(prepared.text)
    message.add_alternative(html, subtype="html")
    out = BytesIO()
    generator.BytesGenerator(out, policy=policy.SMTP).flatten(message)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--baseline-sample", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ctx = build_issue(Path(folder) / "data", args.items)
        cached_environment(None)  # template compilation is a one-off cost of the process, measured apart
        start = time.perf_counter()
        prepared = prepare_issue(ctx, "bench")
        once = time.perf_counter() - start
        print(f"{args.items}-item issue: render + inline once: {once * 1000:.0f} ms "
              f"(HTML {prepared.html_bytes / 1024:.1f} KB, text {len(prepared.text) / 1024:.1f} KB)")

        template = MessageTemplate(subject=prepared.subject, html=prepared.html, text=prepared.text,
                                   sender=ctx.settings.sender, clock=ctx.clock, list_id="<e-bulletin.bench>")
        samples = []
        stream = messages(template, prepared, 2_000)
        while True:
            t0 = time.perf_counter()
            try:
                next(stream)
            except StopIteration:
                break
            samples.append(time.perf_counter() - t0)
        median_ms = statistics.median(samples) * 1000
        p95_ms = sorted(samples)[int(len(samples) * 0.95)] * 1000
        print(f"per recipient (personal_values + MIME bytes): median {median_ms:.3f} ms, p95 {p95_ms:.3f} ms")

        total_bytes = 0
        with open(os.devnull, "wb") as sink:  # streamed to a sink, as a transport would; nothing is kept
            start = time.perf_counter()
            for message in messages(template, prepared, args.messages):
                sink.write(message)
                total_bytes += len(message)
            elapsed = time.perf_counter() - start
        print(f"{args.messages:,} messages streamed: {elapsed:.2f} s ({args.messages / elapsed:,.0f} msg/s, "
              f"{total_bytes / 1e6:.0f} MB produced), peak RSS {peak_rss_mb():.0f} MB")

        baseline = []
        for number in range(args.baseline_sample):
            t0 = time.perf_counter()
            premailer_per_recipient(ctx, prepared, number)
            baseline.append(time.perf_counter() - t0)
        baseline_ms = statistics.median(baseline) * 1000
        print(f"baseline, premailer + email.generator per recipient ({args.baseline_sample} sampled): "
              f"median {baseline_ms:.1f} ms -> {baseline_ms / median_ms:,.0f}x slower; "
              f"{args.messages:,} messages would take ~{baseline_ms * args.messages / 1000:.0f} s")
        ok = once <= 0.5 and median_ms <= 0.5 and elapsed <= 10 and peak_rss_mb() <= 200
        print("targets met" if ok else "TARGETS MISSED")
        ctx.close()


if __name__ == "__main__":
    main()
