"""`sessions add-occurrence / occurrences / register --occurrence / move / edit-occurrence / cancel-occurrence`
end to end through the CLI, reading back the .eml files the outbox wrote (what each person would receive)."""

from __future__ import annotations

import email
import json
from email.policy import default
from pathlib import Path

from bulletin_tui.domain.clock import NOW_VARIABLE

from .ics_checks import parse_both
from .test_cli import run_cli

SLUG = "asb-cpd-2027"


def _received(outbox: Path, seen: set[Path]) -> list[tuple[str, str, object]]:
    """(To, Subject, parsed calendar or None) of the .eml files written since the last call, in write order."""
    new = sorted((p for p in outbox.glob("*.eml") if p not in seen), key=lambda p: (p.stat().st_mtime_ns, p.name))
    seen.update(new)
    found = []
    for path in new:
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        part = next((p for p in message.walk() if p.get_content_type() == "text/calendar"), None)
        calendar = parse_both(part.get_payload(decode=True)) if part is not None else None
        found.append((str(message["To"]), " ".join(str(message["Subject"]).split()), calendar))
    return found


def _setup(cli) -> None:  # type: ignore[no-untyped-def]
    cli(
        "sessions",
        "add",
        SLUG,
        "--title",
        "ASB Tools & Powers CPD",
        "--kind",
        "CPD event",
        "--start",
        "2027-02-02 09:30",
        "--end",
        "16:00",
        "--format",
        "in person",
        "--capacity",
        "1",
        "--venue",
        "To be confirmed (district/borough partner)",
    )
    out = cli("sessions", "add-occurrence", SLUG, "--start", "2027-02-16 09:30", "--end", "16:00")
    assert "The session's own date is now date 1: Tuesday 2 February 2027" in out and "Added date 2" in out
    cli("sessions", "add-occurrence", SLUG, "--start", "2027-03-02 09:30", "--end", "16:00", "--capacity", "2")
    assert "(4 dates)" in cli("sessions", "add-occurrence", SLUG, "--start", "2027-03-16 09:30", "--end", "16:00")


def test_dates_listed_and_register_needs_a_date(cli):  # type: ignore[no-untyped-def]
    _setup(cli)
    listing = cli("sessions", "occurrences", SLUG)
    assert "1    Tuesday 2 February 2027, 9.30 am to 4 pm" in listing and "[0/2] 2 places left" in listing
    assert listing.strip().endswith("4 dates, 5 places left")
    rows = json.loads(cli("sessions", "occurrences", SLUG, "--json"))
    assert [(r["id"], r["capacity"], r["places_left"]) for r in rows] == [
        ("1", 1, 1),
        ("2", 1, 1),
        ("3", 2, 2),
        ("4", 1, 1),
    ]
    assert len({r["uid"] for r in rows}) == 4
    before = (cli.data_dir / "bulletin.json").read_bytes()
    for args, message in [
        (
            ("register", SLUG, "jo@example.org"),
            "has 4 dates; choose one: 1 = Tuesday 2 February 2027; 2 = Tuesday 16 February 2027; 3 = ",
        ),
        (("register", SLUG, "jo@example.org", "--occurrence", "7"), "has no date '7'; choose one: 1 = "),
        (("edit", SLUG, "--venue", "Elsewhere"), "has 4 dates: change venue on a date"),
        (("move", SLUG, "ghost@example.org", "--to", "2"), "ghost@example.org is not registered"),
    ]:
        result = run_cli(cli.data_dir, "sessions", *args)
        assert result.returncode == 1 and result.stderr.count("\n") == 1, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)
    assert (cli.data_dir / "bulletin.json").read_bytes() == before
    [row] = json.loads(cli("sessions", "list", "--json"))
    assert row["dates"] == 4 and row["start"].startswith("2027-02-02") and row["end"].startswith("2027-03-16")
    assert "0 confirmed, 4 dates, 5 places left" in cli("sessions", "list")


def test_full_date_offer_then_move_swaps_the_calendar_entries(cli):  # type: ignore[no-untyped-def]
    _setup(cli)
    seen: set[Path] = set()
    outbox = cli.data_dir / "outbox"
    assert "confirmed (date 2)" in cli("sessions", "register", SLUG, "jo@example.org", "--occurrence", "2")
    out = cli("sessions", "register", SLUG, "al@example.org", "--occurrence", "2027-02-16")
    assert "Registered al@example.org: waitlisted (date 2)" in out
    assert f"move with: bulletin-tui sessions move {SLUG} al@example.org --to ID" in out
    assert "3    Tuesday 2 March 2027, 9.30 am to 4 pm  (2 places left)" in out
    [(to1, _, invite), (to2, subject2, none)] = _received(outbox, seen)
    assert (to1, to2, none) == ("jo@example.org", "al@example.org", None)
    assert subject2 == "Waiting list: ASB Tools & Powers CPD, Tuesday 16 February 2027"
    dates = {r["id"]: r for r in json.loads(cli("sessions", "occurrences", SLUG, "--json"))}
    assert invite.uid == dates["2"]["uid"]  # type: ignore[attr-defined]

    out = cli("sessions", "move", SLUG, "jo@example.org", "--to", "3")
    assert "Moved jo@example.org from date 2 to date 3 (confirmed); promoted al@example.org" in out
    cancel, new_invite, promoted = _received(outbox, seen)
    assert cancel[0] == new_invite[0] == "jo@example.org" and promoted[0] == "al@example.org"
    assert (cancel[2].method, cancel[2].uid, cancel[2].status) == ("CANCEL", dates["2"]["uid"], "CANCELLED")
    assert (new_invite[2].method, new_invite[2].uid) == ("REQUEST", dates["3"]["uid"])
    assert new_invite[2].start_utc.isoformat() == "2027-03-02T09:30:00+00:00"
    assert (promoted[2].method, promoted[2].uid) == ("REQUEST", dates["2"]["uid"])

    regs = {r["email"]: r for r in json.loads(cli("sessions", "registrations", SLUG, "--json"))}
    assert cli("sessions", "move", regs["al@example.org"]["id"], "--to", "1").startswith(
        "Moved al@example.org from date 2 to date 1"
    )
    cli("sessions", "register", SLUG, "sam@example.org", "--occurrence", "1", "--no-send")
    cli("sessions", "register", SLUG, "kim@example.org", "--occurrence", "4", "--no-send")
    before = (cli.data_dir / "bulletin.json").read_bytes()
    refused = run_cli(cli.data_dir, "sessions", "move", SLUG, "kim@example.org", "--to", "1")
    assert refused.returncode == 1 and "date 1 (Tuesday 2 February 2027) is full; dates with places: 2 = " in (
        refused.stderr
    )
    assert (cli.data_dir / "bulletin.json").read_bytes() == before


def test_edit_and_cancel_one_date(cli):  # type: ignore[no-untyped-def]
    _setup(cli)
    seen: set[Path] = set()
    outbox = cli.data_dir / "outbox"
    cli("sessions", "register", SLUG, "one@example.org", "--occurrence", "1")
    cli("sessions", "register", SLUG, "four@example.org", "--occurrence", "4")
    _received(outbox, seen)
    out = cli("sessions", "edit-occurrence", SLUG, "4", "--venue", "Swale House", "--start", "2027-03-17 10:00")
    assert "Changed venue, start, end of date 4 (SEQUENCE 1); 1 update(s)" in out
    [(to, subject, update)] = _received(outbox, seen)
    assert to == "four@example.org" and subject.startswith("Updated invitation") and "17 March 2027" in subject
    assert update.sequence == 1 and update.start_utc.isoformat() == "2027-03-17T10:00:00+00:00"  # type: ignore
    refused = cli("sessions", "cancel-occurrence", SLUG, "4", stdin="n\n", code=1)
    assert "1 confirmed and 0 waiting will be told" in refused
    assert _received(outbox, seen) == []
    assert "1 cancellation(s) queued" in cli("sessions", "cancel-occurrence", SLUG, "4", "--yes")
    [(to, _, cancel)] = _received(outbox, seen)
    assert to == "four@example.org" and cancel.method == "CANCEL" and cancel.sequence == 2  # type: ignore
    assert "cancelled" in cli("sessions", "occurrences", SLUG).splitlines()[3]


def test_hybrid_places_apart_from_the_cli(cli):  # type: ignore[no-untyped-def]
    cli(
        "sessions",
        "add",
        "pve-2027",
        "--title",
        "Preventing Hateful Extremism",
        "--kind",
        "CPD event",
        "--start",
        "2027-02-28 09:30",
        "--end",
        "13:00",
        "--format",
        "hybrid",
        "--venue",
        "Oakwood House",
        "--link",
        "https://teams.microsoft.com/l/pve",
        "--capacity-in-person",
        "1",
        "--capacity-online",
        "2",
    )
    assert "confirmed" in cli("sessions", "register", "pve-2027", "room@example.org", "--mode", "in person")
    assert "waitlisted" in cli("sessions", "register", "pve-2027", "late@example.org", "--mode", "in person")
    assert "confirmed" in cli("sessions", "register", "pve-2027", "web@example.org", "--mode", "online")
    [row] = json.loads(cli("sessions", "occurrences", "pve-2027", "--json"))
    assert row["by_mode"] == {
        "in person": {"capacity": 1, "confirmed": 1, "places_left": 0},
        "online": {"capacity": 2, "confirmed": 1, "places_left": 1},
    }
    assert "in person: full; online: 1 place left" in cli("sessions", "occurrences", "pve-2027")
    assert "Changed capacity_in_person" in cli("sessions", "edit", "pve-2027", "--capacity-in-person", "2")
    states = {r["email"]: r["status"] for r in json.loads(cli("sessions", "registrations", "pve-2027", "--json"))}
    assert states["late@example.org"] == "confirmed"  # the new in-person place went to the next in line


def test_registrations_and_attendance_per_date(cli, monkeypatch):  # type: ignore[no-untyped-def]
    _setup(cli)
    cli("sessions", "register", SLUG, "one@example.org", "--occurrence", "1", "--no-send")
    cli("sessions", "register", SLUG, "wait@example.org", "--occurrence", "1", "--no-send")
    cli("sessions", "register", SLUG, "three@example.org", "--occurrence", "3", "--no-send")
    lines = cli("sessions", "registrations", SLUG).splitlines()
    assert [line.split()[:4] for line in lines] == [
        ["date", "1", "confirmed", "1"],
        ["date", "1", "waitlisted", "1"],
        ["date", "3", "confirmed", "1"],
    ]
    cli("sessions", "attendance", SLUG, "three@example.org", "--mark", "attended", code=1)  # not held yet
    monkeypatch.setenv(NOW_VARIABLE, "2027-06-01T09:00:00Z")  # every date held
    cli("sessions", "attendance", SLUG, "three@example.org", "--mark", "attended")
    listing = cli("sessions", "occurrences", SLUG)
    assert "[1/2] 1 place left, 1 attended" in listing and listing.strip().endswith("; 1 attended")
    assert [r["attended"] for r in json.loads(cli("sessions", "occurrences", SLUG, "--json"))] == [0, 0, 1, 0]
