"""`bulletin-tui inbox ...` from the shell, against a real Dovecot: fetch (exit 6 while something waits), review,
register the sender of a request, dismiss, log and undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_tui.domain.sessions import RegistrationStatus
from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.sessions.registrations import registration_id

from ..conftest import CliRun
from .conftest import WAITING, deliver_corpus
from .conftest import TeamMailbox as Dovecot


@pytest.fixture
def inbox_cli(inbox_ctx: AppContext, dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRun:
    for name, value in {"HOST": "127.0.0.1", "PORT": str(dovecot.port), "SECURITY": "tls",
                        "USERNAME": dovecot.user, "PASSWORD": dovecot.password}.items():
        monkeypatch.setenv(f"BULLETIN_IMAP__{name}", value)
    monkeypatch.setenv("BULLETIN_CONFIG", str(tmp_path / "none.toml"))
    inbox_ctx.close()  # the CLI is the writer now
    return CliRun(inbox_ctx.data_dir)


def reopened(ctx: AppContext) -> AppContext:
    return open_context(ctx.settings, read_only=True)


def test_fetch_review_register_dismiss_log_undo(inbox_ctx: AppContext, dovecot: Dovecot, inbox_cli: CliRun) -> None:
    deliver_corpus(dovecot, ["register-me.eml", "general-enquiry.eml", "outlook-itip-declined.eml",
                             "outlook-oof.eml"])
    dry = inbox_cli("inbox", "fetch", "--dry-run", code=6)
    assert dry.startswith("Would handle 4 message(s) in INBOX")
    out = inbox_cli("inbox", "fetch", code=6)
    assert "1 auto-reply, 1 calendar reply, 2 other" in out and "2 message(s) wait for review" in out

    queue = inbox_cli("inbox", "review")
    assert "1. " in queue and "-> session csis-2027-01" in queue
    number = "1" if "Booking" in queue.splitlines()[0] else "2"
    registered = inbox_cli("inbox", "register", number)
    assert "registered for csis-2027-01: waitlisted" in registered  # the decline freed a place, Wendy took it
    inbox_cli("inbox", "dismiss", "1")
    assert inbox_cli("inbox", "review").strip() == "Nothing waits for review."
    assert inbox_cli("inbox", "fetch").startswith("Handled 0 message(s)")

    log = inbox_cli("inbox", "log")
    decline_id = next(line.split()[0] for line in log.splitlines() if "decline" in line)
    assert "A00001" in log and "registered" in log
    inbox_cli("inbox", "undo", decline_id)
    with reopened(inbox_ctx) as ctx:
        chris = ctx.store.registrations.get(registration_id("csis-2027-01", "chris.officer@tunbridgewells.example"))
        wendy = ctx.store.registrations.get(registration_id("csis-2027-01", WAITING))
        assert chris is not None and chris.status is RegistrationStatus.WAITLISTED  # re-registered: no place left
        assert wendy is not None and wendy.status is RegistrationStatus.CONFIRMED  # her promotion stands
    inbox_cli("inbox", "undo", decline_id, code=1)  # already undone


def test_an_unsubscribe_e_mail_is_undone_from_the_log_with_a_consent_record(
        inbox_ctx: AppContext, dovecot: Dovecot, inbox_cli: CliRun, capsys: pytest.CaptureFixture[str]) -> None:
    """A misread e-mail's unsubscribe is reversible by staff; the person's links keep working (same token version)
    and the consent history says who restored it. A complaint's unsubscribe is not (only its suppression)."""
    deliver_corpus(dovecot, ["bare-unsubscribe.eml", "arf-complaint.eml"])
    inbox_cli("inbox", "fetch")
    log = inbox_cli("inbox", "log")
    unsubscribed = next(line for line in log.splitlines() if " unsubscribe " in line and "complaint" not in line)
    complained = next(line for line in log.splitlines() if " unsubscribe " in line and "complaint" in line)
    assert "(not undoable)" not in unsubscribed and "(not undoable)" in complained
    person = unsubscribed.split()[5].rstrip(":")
    with reopened(inbox_ctx) as ctx:
        left = ctx.store.subscribers.get(person)
        assert left is not None and not left.is_subscribed("e-bulletin")
        version = left.lists["e-bulletin"].token_version
    assert "subscribed again to csis, e-bulletin" in inbox_cli("inbox", "undo", unsubscribed.split()[0])  # both lists
    with reopened(inbox_ctx) as ctx:
        back = ctx.store.subscribers.get(person)
        assert back is not None and back.is_subscribed("e-bulletin")
        assert back.lists["e-bulletin"].token_version == version
        assert back.consent[-1].source == "inbox undo of an unsubscribe e-mail"
    inbox_cli("inbox", "undo", unsubscribed.split()[0], code=1)  # already undone
    inbox_cli("inbox", "undo", complained.split()[0], code=1)


def test_campaigns_show_marks_a_recipient_bounced_after_delivery(inbox_ctx: AppContext, dovecot: Dovecot,
                                                                 inbox_cli: CliRun) -> None:
    deliver_corpus(dovecot, ["gmail-dsn.eml"])
    inbox_cli("inbox", "fetch")
    shown = inbox_cli("mailings", "show", "2026-12-e-bulletin")
    line = next(row for row in shown.splitlines() if row.startswith("gone.volunteer@gmail.com"))
    assert line.endswith("(bounced after delivery: 5.1.1)")
