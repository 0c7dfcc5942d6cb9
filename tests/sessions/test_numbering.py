"""One registration numbering on every face: 1-based, the place within its group (confirmed, waiting, cancelled)."""

from __future__ import annotations

import json

from bulletin_tui.domain.sessions import numbered, place_in_group
from bulletin_tui.services.sessions import registrations


def test_places_count_from_one_within_each_group(ctx, make_session):
    make_session("s1", capacity=2)
    for name in ("a", "b", "c", "d"):
        registrations.register(ctx, "s1", f"{name}@example.org")
    registrations.cancel_registration(ctx, "s1", "a@example.org")  # c is promoted; d is first in line
    found = registrations.registrations_for(ctx, "s1")
    assert [(r.email[0], r.status.value, place) for place, r in numbered(found)] == [
        ("b", "confirmed", 1), ("c", "confirmed", 2), ("d", "waitlisted", 1), ("a", "cancelled", 1)]
    assert place_in_group(found, registrations.registration_id("s1", "d@example.org")) == 1


def test_cli_lists_the_same_numbers(cli):
    cli("sessions", "add", "s1", "--title", "CSIS", "--start", "2026-12-03 12:30", "--end", "13:30",
        "--capacity", "1")
    for name in ("a", "b", "c"):
        cli("sessions", "register", "s1", f"{name}@example.org", "--no-send")
    lines = cli("sessions", "registrations", "s1").splitlines()
    assert [line.split()[:2] + [line.split()[3]] for line in lines] == [
        ["confirmed", "1", "a@example.org"], ["waitlisted", "1", "b@example.org"], ["waitlisted", "2", "c@example.org"]]
    rows = json.loads(cli("sessions", "registrations", "s1", "--json"))
    assert [(r["email"], r["place"]) for r in rows] == [("a@example.org", 1), ("b@example.org", 1),
                                                        ("c@example.org", 2)]
