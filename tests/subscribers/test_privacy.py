"""Subject access and erasure across subscribers, registrations, queued mail, imports, ledgers and backups."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bulletin_tui.domain.errors import NotFoundError
from bulletin_tui.domain.sessions import RegistrationStatus
from bulletin_tui.domain.times import london_time
from bulletin_tui.locations import exports_dir, outbox_dir
from bulletin_tui.sending.ledger import Ledger
from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.mailings.runs import ledger_path
from bulletin_tui.services.privacy.subject import audit_log, erase, subject_access
from bulletin_tui.services.sessions.catalogue import create_session
from bulletin_tui.services.sessions.mail import mail_queue
from bulletin_tui.services.sessions.registrations import register
from bulletin_tui.services.subscribers.import_commit import import_file
from bulletin_tui.services.subscribers.people import unsubscribe
from bulletin_tui.services.subscribers.suppression import is_suppressed, suppression_digest
from bulletin_tui.storage.backups import backup_expiry, list_backups

PERSON = "Erin.Example@Example.org"


@pytest.fixture
def held(ctx: AppContext, write_csv) -> AppContext:  # type: ignore[no-untyped-def]
    """A person imported onto a list, registered for a full session, and in a send ledger."""
    import_file(ctx, write_csv(f"Email,Name\n{PERSON},Erin Example\nother@example.org,Other\n"))
    start = london_time(datetime(2026, 12, 3, 10, 0))
    create_session(ctx, slug="csis-dec", title="CSIS December", start=start, end=start + timedelta(hours=1),
                   capacity=1)
    register(ctx, "csis-dec", PERSON, name="Erin Example")
    register(ctx, "csis-dec", "waiting@example.org", name="Waiting Person")
    ledger = Ledger(ledger_path(ctx, "bulletin-2026-11-e-bulletin"))
    ledger.append({"key": "erin.example@example.org", "email": PERSON, "name": "Erin Example", "state": "sent",
                   "at": "2026-11-22T10:00:00Z"})
    ledger.append({"key": "other@example.org", "email": "other@example.org", "state": "sent",
                   "at": "2026-11-22T10:00:00Z"})
    ledger.close()
    return ctx


def test_show_data_holds_record_consent_registrations_and_ledger(held: AppContext) -> None:
    data = subject_access(held, "erin.example@example.org")
    assert data["subscriber"]["email"] == PERSON and data["subscriber"]["name"] == "Erin Example"
    assert [c["source"] for c in data["consent_history"]] == ["import"]
    assert [r["session_slug"] for r in data["registrations"]] == ["csis-dec"]
    assert [e["state"] for e in data["send_ledger"]] == ["sent"]
    assert data["suppressed"] is None and len(data["imports"]) == 1


def test_show_data_for_a_stranger_is_not_found(held: AppContext) -> None:
    with pytest.raises(NotFoundError, match="nothing is held about nobody@example.org"):
        subject_access(held, "nobody@example.org")


def test_erase_removes_everything_and_keeps_only_the_hmac(held: AppContext) -> None:
    digest = suppression_digest(held, PERSON)
    report = erase(held, PERSON.upper())
    assert report.subscriber and report.registrations == 1 and report.ledger_entries == 1
    assert report.import_records == 1 and report.queued_mail >= 1 and report.promoted == 1
    assert is_suppressed(held, PERSON)
    database = held.store.db.path.read_bytes().lower()
    assert b"erin.example" not in database and b"erin example" not in database
    assert digest.encode() in database
    ledger = ledger_path(held, "bulletin-2026-11-e-bulletin").read_bytes().lower()
    assert b"erin" not in ledger and b"other@example.org" in ledger
    waiting = [r for r in held.store.registrations if r.session_slug == "csis-dec"]
    assert [(r.email, r.status) for r in waiting] == [("waiting@example.org", RegistrationStatus.CONFIRMED)]
    assert all(m.registration_id == waiting[0].id for m in mail_queue(held))
    [entry] = audit_log(held).all()
    assert entry.action == "erasure" and "erin" not in entry.detail.lower() and digest[:16] in entry.detail
    with pytest.raises(NotFoundError):
        subject_access(held, "someone.else@example.org")
    assert subject_access(held, PERSON)["subscriber"] is None  # only the suppression is left


def test_erase_reports_the_backups_that_still_hold_the_person(held: AppContext, clock) -> None:  # type: ignore[no-untyped-def]
    held.close()
    with open_context(held.settings, clock=clock) as later:  # a later session: its first save backs up the file
        unsubscribe(later, "other@example.org")
        report = erase(later, PERSON)
        holding = dict(report.backups)
        assert holding and set(holding) <= set(list_backups(later.store.db.path))
        for path, until in holding.items():
            assert b"erin.example@example.org" in path.read_bytes().lower()
            assert until == backup_expiry(path) and until > clock.now()
        clean = [p for p in list_backups(later.store.db.path) if p not in holding]
        assert all(b"erin.example" not in p.read_bytes().lower() for p in clean)


def test_erase_removes_outbox_messages_and_reports_exports(held: AppContext) -> None:
    outbox, exports = outbox_dir(held.data_dir), exports_dir(held.data_dir)
    (outbox / "000001-erin.eml").write_bytes(f"To: Erin <{PERSON}>\r\nSubject: x\r\n\r\nhello\r\n".encode())
    (outbox / "000002-other.eml").write_bytes(b"To: other@example.org\r\nSubject: x\r\n\r\nErin was cc'd\r\n")
    (exports / "list.csv").write_text(f"Email\n{PERSON}\n")
    (exports / "clean.csv").write_text("Email\nother@example.org\n")
    report = erase(held, PERSON)
    assert report.outbox_messages == 1
    assert sorted(p.name for p in outbox.glob("*.eml")) == ["000002-other.eml"]
    assert report.exports == [exports / "list.csv"]
    assert "outbox messages removed: 1" in audit_log(held).all()[0].detail
