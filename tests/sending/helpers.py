"""Small real campaigns for the runner tests: simple content, an aiosmtpd server, a ledger in tmp."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bulletin_tui.config import SenderSettings, SmtpSettings
from bulletin_tui.domain.clock import Clock, SystemClock
from bulletin_tui.sending.ledger import Ledger, State, snapshot
from bulletin_tui.sending.mailing import Campaign
from bulletin_tui.sending.mime import MessageTemplate
from bulletin_tui.sending.progress import Recipient, RunOptions
from bulletin_tui.sending.smtp import SmtpTransport

SENDER = SenderSettings()
FAST = {"retry_base": 0.01, "retry_cap": 0.05}


def people(count: int) -> list[Recipient]:
    return [Recipient(f"r{n:03d}@example.org", f"Reader {n}") for n in range(1, count + 1)]


def builder() -> Any:
    template = MessageTemplate(subject="Bulletin for XBTNAMEX", html="<p>Dear XBTNAMEX</p>",
                               text="Dear XBTNAMEX\n", sender=SENDER)

    def build(recipient: Recipient) -> bytes:
        values = {"XBTNAMEX": recipient.name}
        return template.render(recipient.email, values, values)

    return build


def new_ledger(path: Path, recipients: list[Recipient]) -> Ledger:
    ledger = Ledger(path)
    snapshot(ledger, recipients, at="2026-11-22T10:00:00.000+00:00", meta={"id": path.stem})
    return ledger


def smtp_to(port: int, **settings: Any) -> SmtpTransport:
    return SmtpTransport(SmtpSettings(host="127.0.0.1", port=port, security="none", timeout=5, **settings),
                         concurrency=2)


def campaign(ledger: Ledger, port: int, *, clock: Clock | None = None, transport: Any = None,
             smtp: dict[str, Any] | None = None, **kwargs: Any) -> Campaign:
    options = RunOptions(**{"concurrency": 2, **FAST, **kwargs.pop("options", {})})
    return Campaign(ledger, transport or smtp_to(port, **(smtp or {})), builder(),
                    envelope_from=SENDER.from_address, clock=clock or SystemClock(), options=options, **kwargs)


def states_of(path: Path) -> dict[str, State]:
    ledger_states, _ = Ledger(path).states()
    return {key: person.state for key, person in ledger_states.items()}
