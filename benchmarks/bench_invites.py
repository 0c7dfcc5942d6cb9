"""1,000 session invites through the one outbound pipeline (#23): queued by 1,000 registrations, sent by the
campaign runner (ledger with an fsynced `attempting` before each DATA, still-wanted check, one message at a time
so a CANCEL never overtakes its invite) to an aiosmtpd server on loopback. Baseline in the same run: a bare
aiosmtplib loop sending the same 1,000 messages over one connection to the same server, plus the time to render
them (an invite e-mail with its .ics costs ~10 ms to build, the same for any delivery loop).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiosmtplib  # noqa: E402

from benchmarks._common import NOW, peak_rss_mb, report, timed  # noqa: E402
from bulletin_tui.config import Settings, SmtpSettings  # noqa: E402
from bulletin_tui.domain.clock import FixedClock  # noqa: E402
from bulletin_tui.sending.smtp import SmtpTransport  # noqa: E402
from bulletin_tui.services.context import open_context  # noqa: E402
from bulletin_tui.services.mailings.session_delivery import deliver_pending_async  # noqa: E402
from bulletin_tui.services.sessions import catalogue as sessions  # noqa: E402
from bulletin_tui.services.sessions import registrations  # noqa: E402
from bulletin_tui.services.sessions.mail import mail_queue, render_mail  # noqa: E402
from tests.sending.smtp_server import running_server  # noqa: E402

PEOPLE = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder) / "data", limits={"rate_per_minute": 0})  # type: ignore[arg-type]
        ctx = open_context(settings, create=True, clock=FixedClock(NOW))  # unpaced: the engine's own cost
        start, end = sessions.parse_times("2026-12-03 12:30", "13:30")
        session = sessions.create_session(ctx, slug="csis", title="Community Safety Information Session",
                                          start=start, end=end, join_link="https://teams.microsoft.com/l/x")
        queue_s, _ = timed(lambda: [registrations.register(ctx, "csis", f"p{n:04d}@example.org", name=f"P {n}")
                                    for n in range(PEOPLE)])
        render_s, messages = timed(lambda: [
            render_mail(ctx, m, session, ctx.store.registrations.get(m.registration_id))  # type: ignore[arg-type]
            for m in mail_queue(ctx)])
        async with running_server() as server:
            started = asyncio.get_running_loop().time()
            async with aiosmtplib.SMTP(hostname=server.host, port=server.port, use_tls=False,
                                       start_tls=False) as client:
                for n, message in enumerate(messages):
                    await client.sendmail("team@example.org", [f"p{n:04d}@example.org"], message)
            bare_s = asyncio.get_running_loop().time() - started
            transport = SmtpTransport(SmtpSettings(host=server.host, port=server.port, security="none"))
            before_mb = peak_rss_mb()
            started = asyncio.get_running_loop().time()
            try:
                delivered = await deliver_pending_async(ctx, transport)
            finally:
                await transport.close()
            pipeline_s = asyncio.get_running_loop().time() - started
            grown_mb = peak_rss_mb() - before_mb  # (tracemalloc would slow the run it measures 2x)
        sent = sum(1 for d in delivered if d.outcome.value == "sent")
        ctx.close()
    report(f"{PEOPLE:,} session invites through the campaign runner to aiosmtpd on loopback", [
        ("registrations queued (1,000 register calls)", f"{queue_s:.2f} s", "each queues its invite"),
        ("pipeline: deliver_pending", f"{pipeline_s:.2f} s", f"{sent:,} sent, {PEOPLE / pipeline_s:,.0f} msg/s"),
        ("baseline: render each, then a bare aiosmtplib loop", f"{render_s + bare_s:.2f} s",
         f"render {render_s:.2f} s + send {bare_s:.2f} s; ratio {(render_s + bare_s) / pipeline_s:.2f}"),
        ("process peak RSS", f"{peak_rss_mb():.0f} MB", f"grew {grown_mb:.0f} MB during the pipeline's run"),
    ])


if __name__ == "__main__":
    asyncio.run(main())
