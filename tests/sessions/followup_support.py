"""Shared by the follow-up tests: a small real PDF, and a session that is over with its attendance recorded."""

from __future__ import annotations

from pathlib import Path

from bulletin_tui.domain.followup import MaterialKind
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.sessions import attendance, catalogue, registrations
from bulletin_tui.services.sessions.followup import MaterialsChange, set_materials

SLUG = "csis-2026-11-05"
SLIDES = "https://example.org/csis/2026-11/slides.pdf"
RECORDING = "https://example.org/csis/2026-11/recording"
PACK = "https://example.org/csis/2026-11/attendee-pack"
FEEDBACK = "https://forms.example.org/r/csis-2026-11-feedback"
ATTENDED = ["ann@example.org", "bob@example.org", "cat@example.org"]
NO_SHOW = "dan@example.org"
CANCELLED = "fay@example.org"
UNKNOWN = "gus@example.org"
WAITING = "hal@example.org"


def pdf_bytes(pad: int = 0) -> bytes:
    """A minimal, valid one-page PDF; `pad` bytes of comment make it as large as a test needs."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    for start in range(0, pad, 100):  # comment lines of 100 bytes: the file grows by exactly `pad`
        out += b"%" + b"x" * max(min(100, pad - start) - 2, 0) + b"\n"
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def over_and_recorded(ctx: AppContext) -> None:
    """A session that ended before the fixed clock: 3 attended, 1 no-show, 1 unknown, 1 cancelled, 1 waiting."""
    start, end = catalogue.parse_times("2026-11-05 12:30", "13:30")
    catalogue.create_session(ctx, slug=SLUG, start=start, end=end, capacity=5, title="CSIS: Tackling scams")
    for email in [*ATTENDED, NO_SHOW, CANCELLED, UNKNOWN, WAITING]:
        registrations.register(ctx, SLUG, email, name=email.split("@")[0].title())
    registrations.cancel_registration(ctx, SLUG, CANCELLED)  # gus is promoted into fay's place; hal waits
    for email in ATTENDED:
        attendance.mark_attendance(ctx, SLUG, email, True)
    attendance.mark_attendance(ctx, SLUG, NO_SHOW, False)


def set_all_materials(ctx: AppContext, pdf: Path) -> None:
    links = {MaterialKind.SLIDES: SLIDES, MaterialKind.RECORDING: RECORDING, MaterialKind.PACK: PACK}
    set_materials(
        ctx,
        SLUG,
        MaterialsChange(
            links=dict(links),
            feedback_url=FEEDBACK,
            attach=[pdf],
            note="Thank you for your questions.\n\nThe next CSIS is in December.",
        ),
    )
