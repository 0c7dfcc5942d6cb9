"""`bulletin-tui mail check --deliverability` end to end: the real CLI sends one bulletin-shaped message to the
stand-in MTA (aiosmtpd on 127.0.0.1), which DKIM-signs it (dkimpy, a test key, the test's `h=`), adds its own
Authentication-Results and delivers it into a real Dovecot; the CLI reads it back over IMAP (TLS, test CA),
reports, and deletes it. Each signature is also verified independently with dkimpy and a DNS stub."""

from __future__ import annotations

import email
import imaplib
import json
import ssl
from collections.abc import Callable, Iterator
from email.message import Message
from pathlib import Path

import dkim
import pytest

from bulletin_tui.cli import app
from bulletin_tui.config import Settings
from bulletin_tui.services.context import open_context
from bulletin_tui.tui.app import make_app
from tests.conftest import IN_CI, CliRun
from tests.mailserver.dovecot import Dovecot, dovecot_binary, running_dovecot

from .mta_standin import (
    AUTHSERV_ID,
    BASE_HEADERS,
    SELECTOR,
    WITH_ONE_CLICK,
    DkimKey,
    StandinMta,
    StandinPolicy,
    dns_txt,
    running_mta,
)
from .pki import Pki

MAILBOX, PASSWORD = "kcst@kent.gov.uk", "deliverability-test-password"
FROM = "kentcommunitysafetyteam@kent.gov.uk"


@pytest.fixture(scope="module")
def dkim_key() -> DkimKey:
    return DkimKey.generate()


@pytest.fixture
def team_dovecot(pki: Pki, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dovecot]:
    if dovecot_binary() is None:
        if IN_CI:
            pytest.fail("dovecot is not installed (scripts/test-deps.sh installs dovecot-imapd)")
        pytest.skip("dovecot is not installed")
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_file))  # the app trusts the test CA, as it would a real one
    with running_dovecot(lambda token: None, cert=pki.server_cert, key=pki.server_key,
                         passwords={MAILBOX: PASSWORD}) as server:
        yield server


@pytest.fixture
def run_check(cli: CliRun, team_dovecot: Dovecot, dkim_key: DkimKey,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., tuple[StandinMta, int, str]]]:
    """Start the stand-in with a policy, point the settings at it and Dovecot, run the real CLI."""
    env = {"IMAP__HOST": "127.0.0.1", "IMAP__PORT": str(team_dovecot.imaps_port), "IMAP__SECURITY": "tls",
           "IMAP__USERNAME": MAILBOX, "IMAP__PASSWORD": PASSWORD, "IMAP__TRUSTED_AUTHSERV_ID": AUTHSERV_ID,
           "SMTP__HOST": "127.0.0.1", "SMTP__SECURITY": "none", "SENDER__FROM_ADDRESS": FROM,
           "SENDER__UNSUBSCRIBE_URL": "https://bulletin.example.org/u"}
    for name, value in env.items():
        monkeypatch.setenv(f"BULLETIN_{name}", value)

    def run(policy: StandinPolicy, *args: str) -> tuple[StandinMta, int, str]:
        with running_mta(dkim_key, policy, team_dovecot.deliver) as mta:
            monkeypatch.setenv("BULLETIN_SMTP__PORT", str(mta.port))
            result = cli.runner.invoke(app, ["--data-dir", str(cli.data_dir), "mail", "check",
                                                "--deliverability", *args])
        return mta, result.exit_code, result.stdout + result.stderr

    yield run


def checks(output: str) -> dict[str, dict[str, str]]:
    return {c["check"]: c for c in json.loads(output)["checks"]}


def verify(mta: StandinMta, key: DkimKey, domain: str = "kent.gov.uk") -> bool:
    """dkimpy's own verdict on the signature as delivered, its key looked up through the DNS stub."""
    return bool(dkim.verify(mta.delivered[0], dnsfunc=dns_txt(key, domain)))


def signed_headers(raw: bytes) -> list[str]:
    parsed: Message = email.message_from_bytes(raw)
    tags = dict(t.strip().split("=", 1) for t in str(parsed["DKIM-Signature"]).split(";") if "=" in t)
    return ["".join(h.split()).lower() for h in "".join(tags["h"].split()).split(":")]


def mailbox_is_empty(server: Dovecot, ca_file: Path) -> bool:
    client = imaplib.IMAP4_SSL("127.0.0.1", server.imaps_port, ssl_context=ssl.create_default_context(
        cafile=str(ca_file)))
    try:
        client.login(MAILBOX, PASSWORD)
        client.select("INBOX")
        return client.uid("SEARCH", "ALL")[1] == [b""]
    finally:
        client.logout()


def test_all_good_reports_ok_exit_0_and_deletes_the_test_message(
        run_check: Callable[..., tuple[StandinMta, int, str]], dkim_key: DkimKey, team_dovecot: Dovecot,
        pki: Pki) -> None:
    mta, code, out = run_check(StandinPolicy(signed_headers=WITH_ONE_CLICK), "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["ok"] and report["to"] == MAILBOX and report["from"] == FROM
    assert [c["verdict"] for c in report["checks"]] == ["OK"] * 7
    found = checks(out)
    assert found["dkim"]["detail"] == "pass, header.d=kent.gov.uk, aligned with kent.gov.uk (strict)"
    assert found["spf"]["detail"] == "pass, smtp.mailfrom=kent.gov.uk, aligned with kent.gov.uk (strict)"
    assert found["one-click"]["detail"] == (f"the DKIM signature d=kent.gov.uk s={SELECTOR} signs List-Unsubscribe "
                                            "and List-Unsubscribe-Post")
    assert report["authentication_results"].startswith(AUTHSERV_ID)
    # the message the check judged is the one the stand-in signed and delivered, byte for byte
    (delivered,) = mta.delivered
    assert report["size"] == len(delivered) and report["message_id"].encode() in delivered
    # built by the real builder: the headers a bulletin carries
    head = email.message_from_bytes(delivered)
    assert head["Subject"] == "[TEST] Deliverability check" and head["List-Id"].endswith("<e-bulletin.kent.gov.uk>")
    assert head["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" and "https://bulletin.example.org/u/" in \
        head["List-Unsubscribe"] and head["Precedence"] == "bulk"
    assert {p.get_content_type() for p in head.walk()} >= {"text/plain", "text/html"}
    assert verify(mta, dkim_key) and {"list-unsubscribe", "list-unsubscribe-post"} <= set(signed_headers(delivered))
    # deleted: the inbox fetch never sees it
    assert report["removed"] == "deleted from INBOX" and mailbox_is_empty(team_dovecot, pki.ca_file)


def test_a_signature_without_the_unsubscribe_headers_is_a_problem_for_one_click(
        run_check: Callable[..., tuple[StandinMta, int, str]], dkim_key: DkimKey, team_dovecot: Dovecot,
        pki: Pki) -> None:
    mta, code, out = run_check(StandinPolicy(signed_headers=BASE_HEADERS))
    assert code == 1, out
    lines = out.splitlines()
    assert any(line.startswith("OK      dkim       pass, header.d=kent.gov.uk") for line in lines)
    one_click = next(line for line in lines if line.startswith("PROBLEM one-click"))
    assert "does not sign List-Unsubscribe, List-Unsubscribe-Post" in one_click
    assert "fix: ask IT to have the signing server include List-Unsubscribe and List-Unsubscribe-Post" in one_click
    assert lines[-1] == "1 problem(s)."
    assert verify(mta, dkim_key)  # a valid signature: it just does not vouch for the unsubscribe headers
    assert "list-unsubscribe" not in signed_headers(mta.delivered[0])
    assert mailbox_is_empty(team_dovecot, pki.ca_file)


def test_a_signature_for_another_domain_fails_dkim_alignment_dmarc_and_one_click(
        run_check: Callable[..., tuple[StandinMta, int, str]], dkim_key: DkimKey) -> None:
    mta, code, out = run_check(StandinPolicy(dkim_domain="mailer.example", dmarc="fail"), "--json")
    assert code == 1
    found = checks(out)
    assert found["dkim"]["verdict"] == "PROBLEM" and "not aligned with kent.gov.uk" in found["dkim"]["detail"]
    assert "sign with d=kent.gov.uk" in found["dkim"]["fix"]
    assert found["dmarc"]["verdict"] == "PROBLEM" and found["one-click"]["verdict"] == "PROBLEM"
    assert found["spf"]["verdict"] == "OK"
    assert verify(mta, dkim_key, "mailer.example")


def test_only_the_trusted_header_counts_a_forged_pass_below_it_does_not(
        run_check: Callable[..., tuple[StandinMta, int, str]]) -> None:
    forged = "spoofed.example; spf=pass smtp.mailfrom=kent.gov.uk; dkim=pass header.d=kent.gov.uk; dmarc=pass " \
             "header.from=kent.gov.uk"
    _mta, code, out = run_check(StandinPolicy(dkim="fail", dmarc="fail", extra_results=(forged,)), "--json")
    assert code == 1
    found = checks(out)
    assert found["dkim"]["detail"] == "fail header.d=kent.gov.uk" and "DKIM key published" in found["dkim"]["fix"]
    assert found["dmarc"]["verdict"] == "PROBLEM" and json.loads(out)["authentication_results"].startswith(AUTHSERV_ID)


def test_a_message_that_never_arrives_is_reported_after_the_wait(
        run_check: Callable[..., tuple[StandinMta, int, str]]) -> None:
    _mta, code, out = run_check(StandinPolicy(deliver=False), "--wait", "1", "--json")
    assert code == 1
    (delivered,) = json.loads(out)["checks"]
    assert delivered["check"] == "delivered" and "not in INBOX of kcst@kent.gov.uk after 1 s" in delivered["detail"]
    assert "Junk" in delivered["fix"]


def test_the_outbox_is_refused_in_one_line_and_nothing_is_written(cli: CliRun,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_IMAP__HOST", "127.0.0.1")
    result = cli.runner.invoke(app, ["--data-dir", str(cli.data_dir), "mail", "check", "--deliverability"])
    assert result.exit_code == 1
    assert result.stderr == ("bulletin-tui: mail check --deliverability sends a real message, but no SMTP server is "
                             "configured (messages go to the outbox folder): set [smtp] host\n")
    assert not (cli.data_dir / "outbox").exists()


def test_no_team_mailbox_is_refused_in_one_line(cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_SMTP__HOST", "127.0.0.1")
    result = cli.runner.invoke(app, ["--data-dir", str(cli.data_dir), "mail", "check", "--deliverability"])
    assert result.exit_code == 1 and "no team mailbox is configured: set [imap] host" in result.stderr


async def _run_modal(settings: Settings) -> str:
    """The palette's "Check deliverability" in the TUI; the dialog's text once the check has finished."""
    from textual.widgets import Static

    from bulletin_tui.tui.screens.deliverability import DeliverabilityModal

    app = make_app(open_context(settings, create=True), offer_demo=False)
    async with app.run_test(size=(120, 36)) as pilot:
        assert "Check deliverability" in [c.title for c in app.get_system_commands(app.screen)]
        app.action_check_deliverability()
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, DeliverabilityModal)
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = str(modal.query_one("#verdicts", Static).content)
        await pilot.press("escape")
        assert not isinstance(app.screen, DeliverabilityModal)
    app.ctx.close()
    return shown


async def test_the_tui_action_refuses_the_outbox_in_its_dialog(tmp_path: Path) -> None:
    shown = await _run_modal(Settings(data_dir=tmp_path / "data"))
    assert shown.startswith("Not sent: mail check --deliverability sends a real message, but no SMTP server")


async def test_the_tui_action_runs_the_check_against_the_stand_ins(tmp_path: Path, team_dovecot: Dovecot,
                                                                   dkim_key: DkimKey, pki: Pki) -> None:
    with running_mta(dkim_key, StandinPolicy(signed_headers=BASE_HEADERS), team_dovecot.deliver) as mta:
        settings = Settings.model_validate({
            "data_dir": tmp_path / "data", "smtp": {"host": "127.0.0.1", "port": mta.port, "security": "none"},
            "imap": {"host": "127.0.0.1", "port": team_dovecot.imaps_port, "username": MAILBOX, "password": PASSWORD,
                     "trusted_authserv_id": AUTHSERV_ID},
            "sender": {"from_address": FROM, "unsubscribe_url": "https://bulletin.example.org/u"}})
        shown = await _run_modal(settings)
    assert "OK      dkim       pass, header.d=kent.gov.uk" in shown and "PROBLEM one-click" in shown
    assert shown.endswith("1 problem(s).") and len(mta.delivered) == 1
    assert mailbox_is_empty(team_dovecot, pki.ca_file)
