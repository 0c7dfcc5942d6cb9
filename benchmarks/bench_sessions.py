"""Sessions: invites, registrations and Teams reports at realistic-to-large sizes, each against its baseline.

1. One REQUEST .ics with our compact VTIMEZONE vs icalendar's `add_missing_timezones()` (size and time).
2. A complete invite e-mail per registrant (ics + MIME), for 500 registrants.
3. Registering 1,000 people (capacity 200): the form-export import (one write) vs one `register` per person.
4. Parsing a 2,000-row Teams attendance report (UTF-16, tab-separated).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from icalendar import Calendar  # noqa: E402

from benchmarks._common import NOW, median_ms, peak_rss_mb, report, timed  # noqa: E402
from bulletin_tui.config import Settings  # noqa: E402
from bulletin_tui.domain.clock import FixedClock  # noqa: E402
from bulletin_tui.invites.ics import Invitee, InviteMethod, Organizer, build_invite  # noqa: E402
from bulletin_tui.services.context import open_context  # noqa: E402
from bulletin_tui.services.sessions import catalogue as sessions  # noqa: E402
from bulletin_tui.services.sessions import registrations  # noqa: E402
from bulletin_tui.services.sessions.form_import import import_registrations  # noqa: E402
from bulletin_tui.services.sessions.mail import mail_queue, render_mail  # noqa: E402
from bulletin_tui.services.sessions.teams import read_teams_report  # noqa: E402

ORGANIZER = Organizer("kentcommunitysafetyteam@kent.gov.uk", "Kent Community Safety Team")


def _context(folder: Path):  # type: ignore[no-untyped-def]
    return open_context(Settings(data_dir=folder / "data"), create=True, clock=FixedClock(NOW))


def _session(ctx, slug: str, capacity: int | None = None):  # type: ignore[no-untyped-def]
    start, end = sessions.parse_times("2026-12-03 12:30", "13:30")
    return sessions.create_session(ctx, slug=slug, title="Community Safety Information Session", start=start,
                                   end=end, capacity=capacity, join_link="https://teams.microsoft.com/l/x",
                                   description="Lunchtime learning.", topics=["ASB", "Fraud"])


def bench_ics(ctx) -> None:  # type: ignore[no-untyped-def]
    session = _session(ctx, "ics")
    invitee = Invitee("jo@example.org", "Jo Bloggs")
    ours = build_invite(session, InviteMethod.REQUEST, ORGANIZER, invitee, stamp=NOW)

    def baseline() -> bytes:
        calendar = Calendar.from_ical(ours)
        calendar.subcomponents = [c for c in calendar.subcomponents if c.name != "VTIMEZONE"]
        calendar.add_missing_timezones()
        return calendar.to_ical()

    theirs = baseline()
    ours_ms = median_ms(lambda: build_invite(session, InviteMethod.REQUEST, ORGANIZER, invitee, stamp=NOW), 200)
    base_ms = median_ms(baseline, 50)
    zone = lambda data: data.split(b"BEGIN:VTIMEZONE")[1].split(b"END:VTIMEZONE")[0]  # noqa: E731
    report("1. One REQUEST invite", [
        ("VTIMEZONE bytes (ours)", f"{len(zone(ours)):,}", f"add_missing_timezones: {len(zone(theirs)):,} "
         f"({len(zone(theirs)) / len(zone(ours)):.1f}x larger)"),
        ("whole .ics bytes (ours)", f"{len(ours):,}", f"baseline {len(theirs):,}"),
        ("build one .ics", f"{ours_ms:.3f} ms", f"baseline parse+add_missing_timezones {base_ms:.3f} ms"),
    ])


def bench_emails(ctx, count: int = 500) -> None:  # type: ignore[no-untyped-def]
    session = _session(ctx, "emails")
    for n in range(count):
        registrations.register(ctx, "emails", f"person{n}@example.org", name=f"Person {n}")
    queued = [m for m in mail_queue(ctx) if m.session_slug == "emails"]
    regs = {r.id: r for r in registrations.registrations_for(ctx, "emails")}
    elapsed, messages = timed(lambda: [render_mail(ctx, m, session, regs[m.registration_id]) for m in queued])
    report(f"2. Invite e-mails for {count} registrants", [
        ("render all", f"{elapsed * 1000:.0f} ms", f"{elapsed / count * 1000:.2f} ms per message, "
         f"{sum(map(len, messages)) / count / 1024:.1f} KB each"),
    ])


def bench_registrations(folder: Path, count: int = 1000, capacity: int = 200) -> None:
    csv_path = folder / "form.csv"
    csv_path.write_text("Completion time,Full name,Email address\n" + "".join(
        f"{(NOW - timedelta(minutes=count - n)):%d/%m/%Y %H:%M:%S},Person {n},person{n}@example.org\n"
        for n in range(count)), encoding="utf-8")
    with _context(folder / "a") as ctx:
        _session(ctx, "bulk", capacity)
        imported_s, result = timed(lambda: import_registrations(ctx, "bulk", csv_path))
        assert len(result.confirmed) == capacity
    sample = 200
    with _context(folder / "b") as ctx:
        _session(ctx, "one", capacity)
        one_s, _ = timed(lambda: [registrations.register(ctx, "one", f"person{n}@example.org")
                                  for n in range(sample)])
    # one-by-one cost grows with the table (each call reads the session's registrations): extrapolate linearly
    # from the first `sample`, which flatters the baseline
    estimate = one_s / sample * count
    report(f"3. Registering {count:,} people (capacity {capacity})", [
        ("form-export import (one write)", f"{imported_s:.2f} s", f"one register() per person: ~{estimate:.1f} s "
         f"(measured {sample} in {one_s:.2f} s; {estimate / imported_s:.0f}x slower)"),
    ])


def bench_teams(folder: Path, count: int = 2000) -> None:
    lines = ["1. Summary", "Meeting title\tCSIS", "", "2. Participants",
             "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole"]
    lines += [f"Person {n}\t12/3/26, 12:29:10 PM\t12/3/26, 1:30:02 PM\t{n % 60}m {n % 60}s\tperson{n}@example.org"
              f"\tperson{n}@example.org\tAttendee" for n in range(count)]
    path = folder / "teams.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    elapsed, parsed = timed(lambda: read_teams_report(path))
    assert len(parsed.attendees) == count
    report(f"4. Teams report, {count:,} participants (UTF-16 TSV, {path.stat().st_size / 1024:.0f} KB)", [
        ("parse", f"{elapsed * 1000:.0f} ms", f"{elapsed / count * 1e6:.1f} µs per row"),
    ])


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        with _context(folder / "main") as ctx:
            bench_ics(ctx)
            bench_emails(ctx)
        bench_registrations(folder)
        bench_teams(folder)
    print(f"\npeak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
