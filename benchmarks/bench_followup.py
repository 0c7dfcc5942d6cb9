"""After a session: the follow-up with materials, for 500 attendees, each against its baseline.

1. Attaching a 4.9 MB PDF (content check, fingerprint, private copy, one database write).
2. Preparing the campaign's message once (render, inline, read and check the stored PDF).
3. Each attendee's message bytes (tokens swapped in pre-encoded parts) vs `email.generator` on an
   EmailMessage with the same parts: the baseline a naive per-recipient build would pay.
4. Sending to 100 attendees through a loopback aiosmtpd server (4 connections; the test server's parsing of
   6.9 MB messages is the limit, not ours).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import NOW, median_ms, report, timed  # noqa: E402
from bulletin_tui.config import Settings  # noqa: E402
from bulletin_tui.domain.clock import FixedClock  # noqa: E402
from bulletin_tui.domain.followup import MaterialKind  # noqa: E402
from bulletin_tui.sending.progress import Recipient  # noqa: E402
from bulletin_tui.services.context import open_context  # noqa: E402
from bulletin_tui.services.mailings.followup import followup_builder, followup_message, send_followup  # noqa: E402
from bulletin_tui.services.sessions import attendance, catalogue, registrations  # noqa: E402
from bulletin_tui.services.sessions.followup import MaterialsChange, followup_plan, set_materials  # noqa: E402
from tests.sending.helpers import smtp_to  # noqa: E402
from tests.sending.smtp_server import running_server  # noqa: E402
from tests.sessions.followup_support import FEEDBACK, SLIDES, pdf_bytes  # noqa: E402

ATTENDEES = 500


def _ready(folder: Path):  # type: ignore[no-untyped-def]
    ctx = open_context(Settings(data_dir=folder / "data"), create=True, clock=FixedClock(NOW))
    ctx.settings.limits.rate_per_minute = 0
    start, end = catalogue.parse_times("2026-11-05 09:30", "16:30")
    catalogue.create_session(ctx, slug="cpd", title="ASB Tools and Powers CPD", start=start, end=end)
    with ctx.store.transaction():
        for n in range(ATTENDEES):
            registrations.register(ctx, "cpd", f"person{n}@district{n % 13}.example.org", name=f"Test Person {n}")
            attendance.mark_attendance(ctx, "cpd", f"person{n}@district{n % 13}.example.org", True)
    return ctx


def _baseline(ctx, plan, data: bytes):  # type: ignore[no-untyped-def]
    rendered, _ = followup_message(ctx, plan)

    def build(recipient: Recipient) -> bytes:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = ctx.settings.sender.from_address, recipient.email, "x"
        message.set_content(rendered.text.replace("XBTNAMEX", recipient.name))
        message.add_alternative(rendered.html.replace("XBTNAMEX", recipient.name), subtype="html")
        message.add_attachment(data, maintype="application", subtype="pdf", filename="Attendee pack.pdf")
        return message.as_bytes()

    return build


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ctx = _ready(folder)
        pdf = folder / "Attendee pack.pdf"
        pdf.write_bytes(pdf_bytes(pad=4_900_000))
        change = MaterialsChange(links={MaterialKind.SLIDES: SLIDES}, feedback_url=FEEDBACK, attach=[pdf])
        attach_s, _ = timed(lambda: set_materials(ctx, "cpd", change))
        plan = followup_plan(ctx, "cpd")
        prepare_s, build = timed(lambda: followup_builder(ctx, plan))
        people = [Recipient(r.email, r.name) for r in plan.recipients]
        ours_ms = median_ms(lambda: _each(build, people[:50]), 5) / 50
        size = len(build(people[0]))
        naive = _baseline(ctx, plan, pdf.read_bytes())
        base_ms = median_ms(lambda: _each(naive, people[:10]), 3) / 10
        report(
            f"Follow-up with a 4.9 MB PDF for {ATTENDEES} attendees",
            [
                ("attach the PDF", f"{attach_s * 1000:.0f} ms", "check, SHA-256, private copy, one write"),
                ("prepare once", f"{prepare_s * 1000:.0f} ms", "render + inline + read and verify the copy"),
                (
                    "one message",
                    f"{ours_ms:.2f} ms",
                    f"email.generator per person: {base_ms:.1f} ms "
                    f"({base_ms / ours_ms:.0f}x); {size / 1e6:.2f} MB each",
                ),
            ],
        )

        async def send() -> float:
            sample = plan.recipients[100:]
            with ctx.store.transaction():
                for r in sample:
                    attendance.mark_attendance(ctx, "cpd", r.email, False)  # send to the first 100 only
            async with running_server() as server:
                elapsed, _ = await _timed_send(ctx, server.port)
                assert len(server.messages) == 100
            return elapsed

        elapsed = asyncio.run(send())
        report(
            "Sending 100 through loopback aiosmtpd, 4 connections",
            [
                (
                    "whole campaign",
                    f"{elapsed:.1f} s",
                    f"{100 / elapsed:.1f} msg/s, {100 * size / elapsed / 1e6:.0f} MB/s",
                ),
            ],
        )


def _each(build, people) -> None:  # type: ignore[no-untyped-def]
    """Build every message, keeping none (as the runner does: each is sent, then dropped)."""
    for person in people:
        build(person)


async def _timed_send(ctx, port: int):  # type: ignore[no-untyped-def]
    import time

    start = time.perf_counter()
    result = await send_followup(ctx, "cpd", transport=smtp_to(port), concurrency=4, rate_per_minute=0)
    return time.perf_counter() - start, result


if __name__ == "__main__":
    main()
