"""Microsoft 365 as it is (#23 item 3): `432 4.3.2` (too many connections) is a deferral that fails nobody, and
a used-up sending quota (`554 5.2.0 ...SubmissionQuotaExceededException`, `5.2.2 Submission quota exceeded`)
pauses the run with the quota reason, exit 4, nobody failed or suppressed. Through the real aiosmtpd stand-in,
the transport, the runner and the `send` command.

The reply texts are Exchange Online's own, as reported:
- `432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=...]`: timeoff-management issue #308
  (github.com/timeoff-management/timeoff-management-application/issues/308), v2board issue #148, Appian KB-1981;
  the Exchange Team blog "Changes coming to the SMTP Authenticated Submission client protocol" (2018: three
  concurrent connections per mailbox, "432 4.3.2 concurrent connection limit exceeded").
- `554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException`: Microsoft's SMTP AUTH limits page,
  quoted in MicrosoftDocs/OfficeDocs-Support issue #1150 (30 messages a minute, 10,000 recipients a day).
- `5.2.2 Submission quota exceeded` and `5.1.90 Your message can't be sent because you've reached your daily
  limit for message recipients`: Exchange's NDR texts (catalogued in kobotoolbox/kpi's mailer tests).
- `432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded`: Microsoft's NDR table (the *recipient's*
  mailbox is throttled: a later retry, not our connections).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bulletin_tui.config import SmtpSettings
from bulletin_tui.sending.ledger import State, read_records
from bulletin_tui.sending.progress import RunStatus
from bulletin_tui.sending.replies import MAILBOX_QUOTA_REASON, classify
from bulletin_tui.sending.smtp import SmtpTransport
from bulletin_tui.sending.transport import Outcome
from tests.conftest import DEMO_ISSUE, CliRun

from .helpers import campaign, new_ledger, people, states_of
from .smtp_server import running_server, threaded_server

SENDER_THREAD_LIMIT = "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=DM5SPR00MB2471.namprd08.prod.outlook.com]"  # noqa: E501
CONCURRENT_LIMIT = "432 4.3.2 concurrent connection limit exceeded"
QUOTA_EXCEEDED = "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException"
SUBMISSION_QUOTA = "550 5.2.2 Submission quota exceeded"
CAMPAIGN = f"bulletin-{DEMO_ISSUE}-e-bulletin"


def split(reply: str) -> tuple[int, str]:
    code, _, text = reply.partition(" ")
    return int(code), text


@pytest.mark.parametrize("stage", ["mail", "rcpt", "data", "end-of-data"])
@pytest.mark.parametrize("reply", [SENDER_THREAD_LIMIT, CONCURRENT_LIMIT,
                                   "452 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded"])
def test_too_many_connections_is_a_connection_deferral_at_any_stage(stage: str, reply: str) -> None:
    delivery = classify(stage, *split(reply))
    assert delivery.outcome is Outcome.DEFERRED and not delivery.hard_bounce
    assert delivery.too_many_connections and delivery.connection_error and not delivery.unreachable


@pytest.mark.parametrize("reply", [
    QUOTA_EXCEEDED, SUBMISSION_QUOTA, "554 5.2.2 STOREDRV.Submission.Exception:SubmissionQuotaExceededException",
    "550 5.1.90 Your message can't be sent because you've reached your daily limit for message recipients",
])
@pytest.mark.parametrize("stage", ["mail", "rcpt", "end-of-data"])
def test_a_used_up_sending_quota_pauses_with_the_reason(stage: str, reply: str) -> None:
    delivery = classify(stage, *split(reply))
    assert delivery.outcome is Outcome.PAUSE and not delivery.hard_bounce and not delivery.too_many_connections
    assert delivery.reply.endswith(f"-> {MAILBOX_QUOTA_REASON}")
    assert "sending quota is used up" in MAILBOX_QUOTA_REASON and "rolling window allows" in MAILBOX_QUOTA_REASON


@pytest.mark.parametrize(("stage", "reply", "outcome"), [
    ("rcpt", "432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded", Outcome.DEFERRED),
    ("rcpt", "552 5.2.2 The email account that you tried to reach is over quota", Outcome.DEFERRED),
    ("end-of-data", "552 5.2.2 <bob@example.org>: mailbox full", Outcome.DEFERRED),
    ("auth", "432 4.7.12 A password transition is needed", Outcome.DEFERRED),  # RFC 4954, not a connection limit
    ("connect", "421 4.3.2 Service not available, closing transmission channel", Outcome.DEFERRED),
    ("rcpt", "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", Outcome.FAILED),
])
def test_lookalikes_keep_their_own_meaning(stage: str, reply: str, outcome: Outcome) -> None:
    delivery = classify(stage, *split(reply))
    assert delivery.outcome is outcome and not delivery.too_many_connections


async def test_the_transport_reports_432_at_mail_from_as_too_many_connections() -> None:
    async with running_server() as server:
        server.script.mail[0] = SENDER_THREAD_LIMIT
        transport = SmtpTransport(SmtpSettings(host="127.0.0.1", port=server.port, security="none", timeout=5))
        try:
            refused = await transport.deliver("team@kent.gov.uk", "r001@example.org", b"Subject: x\r\n\r\nx\r\n")
            again = await transport.deliver("team@kent.gov.uk", "r001@example.org", b"Subject: x\r\n\r\nx\r\n")
        finally:
            await transport.close()
    assert refused.outcome is Outcome.DEFERRED and refused.code == 432 and refused.too_many_connections
    assert again.outcome is Outcome.SENT and len(server.messages) == 1


async def test_a_run_meeting_432_sends_everyone_once_and_fails_nobody(tmp_path: Path) -> None:
    path, bounced = tmp_path / "c.jsonl", []
    async with running_server() as server:
        server.script.mail[2] = SENDER_THREAD_LIMIT
        server.script.mail[5] = CONCURRENT_LIMIT
        server.script.end["r007@example.org"] = [SENDER_THREAD_LIMIT]
        runner = campaign(new_ledger(path, people(12)), server.port,
                          on_hard_bounce=lambda r, d: bounced.append(r.email))
        try:
            result = await runner.run()
        finally:
            await runner.close()
    assert result.status is RunStatus.COMPLETE and result.counts == {"sent": 12} and bounced == []
    assert set(states_of(path).values()) == {State.SENT}
    assert server.handler.by_recipient() == {person.email: 1 for person in people(12)}
    deferred = [r for r in read_records(path) if r.get("state") == "deferred"]
    assert [r["code"] for r in deferred] == [432, 432, 432] and not any(r.get("gave_up") for r in deferred)


def subscribers(cli: CliRun, tmp_path: Path) -> list[dict[str, str]]:
    export = tmp_path / "people.csv"
    cli("subscribers", "export", str(export), "--list", "e-bulletin")
    return list(csv.DictReader(export.open(encoding="utf-8-sig")))


def not_failed_nor_suppressed(cli: CliRun, tmp_path: Path) -> None:
    assert cli("mailings", "show", CAMPAIGN, "--state", "failed").strip().count("\n") == 0  # the header only
    rows = subscribers(cli, tmp_path)
    assert len(rows) == 240 and {row["Suppressed"] for row in rows} == {"no"}


@pytest.mark.parametrize(("where", "reply"), [("mail", QUOTA_EXCEEDED), ("end-of-data", SUBMISSION_QUOTA)])
def test_send_pauses_on_the_quota_exit_4_then_resume_finishes(cli: CliRun, tmp_path: Path, where: str,
                                                              reply: str) -> None:
    cli("demo")
    everyone = [row["Email"] for row in subscribers(cli, tmp_path)]
    with threaded_server() as server:
        if where == "mail":
            server.script.mail[20] = reply  # Microsoft's answer to the 21st MAIL FROM
        else:
            def quota_used_up_after_20(_received: object) -> None:
                if len(server.messages) == 20:  # from now on the end of DATA is refused, for anyone
                    server.script.end.update({address: [reply] for address in everyone})

            server.script.on_message = quota_used_up_after_20
        smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(server.port), "--smtp-security", "none"]
        out = cli("send", DEMO_ISSUE, "--list", "e-bulletin", "--force", "--rate-per-minute", "0", "--concurrency",
                  "1", *smtp, code=4)
        assert "Mailing paused" in out and "sending quota is used up" in out and "rolling window allows" in out
        assert f"({where})" in out and len(server.messages) == 20
        not_failed_nor_suppressed(cli, tmp_path)
        server.script.on_message = None
        server.script.end.clear()  # the rolling 24 hours have moved on
        out = cli("send", DEMO_ISSUE, "--list", "e-bulletin", "--resume", "--rate-per-minute", "0", *smtp)
        assert "Mailing complete (240 sent of 240)" in out
        assert len(server.messages) == 240 and set(server.handler.by_recipient().values()) == {1}
    not_failed_nor_suppressed(cli, tmp_path)
