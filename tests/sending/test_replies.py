"""Reply classification and the ledger's tolerance of a torn last line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_tui.sending.ledger import Ledger, State, read_records
from bulletin_tui.sending.replies import classify
from bulletin_tui.sending.transport import Outcome


@pytest.mark.parametrize(("stage", "code", "reply", "outcome", "hard"), [
    ("rcpt", 550, "5.1.1 <x@example.org>: user unknown", Outcome.FAILED, True),
    ("rcpt", 550, "5.7.1 relaying denied", Outcome.FAILED, False),
    ("rcpt", 553, "mailbox name not allowed", Outcome.FAILED, False),
    ("rcpt", 550, "Relaying denied", Outcome.FAILED, False),
    ("rcpt", 550, "5.1.10 RESOLVER.ADR.RecipientNotFound", Outcome.FAILED, True),
    ("rcpt", 550, "5.2.1 mailbox disabled", Outcome.FAILED, True),
    ("rcpt", 550, "5.1.8 bad sender address", Outcome.FAILED, False),
    ("end-of-data", 550, "5.1.1 user unknown", Outcome.FAILED, True),
    ("rcpt", 552, "5.2.2 mailbox full", Outcome.DEFERRED, False),
    ("rcpt", 451, "4.3.0 try later", Outcome.DEFERRED, False),
    ("mail", 554, "5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException", Outcome.PAUSE, False),
    ("mail", 535, "5.7.3 authentication unsuccessful", Outcome.PAUSE, False),
    ("end-of-data", 554, "5.2.0 quota exceeded", Outcome.PAUSE, False),
    ("end-of-data", 554, "5.6.0 message content rejected", Outcome.FAILED, False),
    ("connect", 421, "4.3.2 busy", Outcome.DEFERRED, False),
])
def test_classify(stage: str, code: int, reply: str, outcome: Outcome, hard: bool) -> None:
    delivery = classify(stage, code, reply)
    assert delivery.outcome is outcome and delivery.hard_bounce is hard


def test_a_torn_last_line_is_ignored_but_a_torn_middle_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    ledger = Ledger(path)
    ledger.append({"at": "t", "key": "a@example.org", "email": "a@example.org", "state": "queued"})
    ledger.append({"at": "t", "key": "a@example.org", "email": "a@example.org", "state": "attempting"})
    ledger.close()
    with open(path, "ab") as handle:
        handle.write(b'{"at": "t", "key": "a@exa')
    reopened = Ledger(path)  # the half-written record is cut, so the next one starts on its own line
    reopened.append({"at": "t", "key": "a@example.org", "email": "a@example.org", "state": "uncertain"})
    reopened.close()
    states, _ = Ledger(path).states()
    assert states["a@example.org"].state is State.UNCERTAIN and path.read_bytes().count(b"\n") == 3
    path.write_bytes(b'{"broken\n' + path.read_bytes())
    with pytest.raises(ValueError, match="line 1"):
        list(read_records(path))
