"""Independent checks of generated .ics bytes: wire format, icalendar and vobject parses in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar
import vobject


@dataclass(frozen=True)
class Parsed:
    method: str | None
    uid: str
    sequence: int
    start_utc: datetime
    end_utc: datetime
    status: str
    summary: str


def assert_wire_format(data: bytes) -> None:
    """CRLF line ends only, folded to 75 octets, a DTSTAMP, and no floating times."""
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in data.replace(b"\r\n", b""), "bare LF"
    assert all(len(line) <= 75 for line in lines), "unfolded line"
    unfolded = data.replace(b"\r\n ", b"")
    assert b"\r\nDTSTAMP:" in unfolded and unfolded.split(b"\r\nDTSTAMP:")[1][15:16] == b"Z"
    event_part = unfolded.split(b"BEGIN:VEVENT")[1]
    for name in ("DTSTART", "DTEND"):
        line = event_part.split(f"\r\n{name}".encode())[1].split(b"\r\n")[0]
        assert line.startswith(b";TZID=Europe/London:") or (line.startswith(b":") and line.endswith(b"Z")), line


def parse_icalendar(data: bytes) -> Parsed:
    calendar = icalendar.Calendar.from_ical(data)
    event = calendar.walk("VEVENT")[0]
    return Parsed(
        method=str(calendar.get("METHOD")) if calendar.get("METHOD") else None, uid=str(event["UID"]),
        sequence=int(event["SEQUENCE"]), start_utc=event.decoded("DTSTART").astimezone(UTC),
        end_utc=event.decoded("DTEND").astimezone(UTC), status=str(event["STATUS"]), summary=str(event["SUMMARY"]),
    )


def parse_vobject(data: bytes) -> Parsed:
    """vobject builds its own tzinfo from the VTIMEZONE we wrote, so this also checks our RRULEs."""
    calendar = vobject.readOne(data.decode("utf-8"))
    event = calendar.vevent
    method = calendar.contents.get("method")
    return Parsed(
        method=method[0].value if method else None, uid=event.uid.value, sequence=int(event.sequence.value),
        start_utc=event.dtstart.value.astimezone(UTC), end_utc=event.dtend.value.astimezone(UTC),
        status=event.status.value, summary=event.summary.value,
    )


def parse_both(data: bytes) -> Parsed:
    """Parse with both libraries, insist they agree, return the result."""
    assert_wire_format(data)
    first, second = parse_icalendar(data), parse_vobject(data)
    assert first == second
    return first
