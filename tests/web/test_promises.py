"""Pages say what the writer will do (issue #22 items 3, 4, 5, 9): an old link after re-subscribing, a suppressed
address under another spelling, a refused preference change leaving nothing behind, a preference-page unsubscribe
honoured by a running CLI send, and erasure and subject access covering the journal."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from bulletin_tui.config import Settings
from bulletin_tui.domain.identity import canonical_email
from bulletin_tui.services.context import open_context
from bulletin_tui.services.subscribers.people import add_subscriber, unsubscribe
from bulletin_tui.services.subscribers.suppression import suppress
from bulletin_tui.services.subscribers.tokens import unsubscribe_token
from bulletin_tui.services.web.journal_apply import CONSENT_STATEMENT, applied_entries, apply_pending
from bulletin_tui.storage.journal import all_entries, journal_path
from tests.conftest import DEMO_ISSUE

from ..sending.smtp_server import threaded_server
from .conftest import PEOPLE, reopen, token_for
from .server import ROOT, Server, confirmations_sent, get, post, running_server
from .test_abuse import Visitor, answer_text, sign_up
from .test_occurrence_registration import _link

ONE_CLICK = b"List-Unsubscribe=One-Click"


def cli(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert not check or done.returncode == 0, done.stderr
    return done


def send_command(data: Path, port: int) -> list[str]:
    return [sys.executable, "-m", "bulletin_tui", "--data-dir", str(data), "send", DEMO_ISSUE, "--list", "e-bulletin",
            "--force", "--rate-per-minute", "0", "--concurrency", "1", "--smtp-host", "127.0.0.1", "--smtp-port",
            str(port), "--smtp-security", "none"]


def confirm(visitor: Visitor, data_dir: Path, to: str) -> tuple[int, str]:
    return visitor.submit(_link(data_dir, to), {})


def test_an_old_link_after_subscribing_again_says_it_is_out_of_date(web_data: Path, settings: Settings,
                                                                    tmp_path: Path) -> None:
    old = token_for(web_data, settings, PEOPLE[0])
    with open_context(settings) as ctx:
        unsubscribe(ctx, old)
        add_subscriber(ctx, PEOPLE[0], list_name="e-bulletin", source="test", resubscribe=True)
    with running_server(web_data, tmp_path / "serve.log") as server:
        for answer in (post(f"{server.url}/u/{old}", ONE_CLICK), get(f"{server.url}/u/{old}")):
            assert answer[0] == 200 and "out of date" in answer[1] and "You will no longer receive" not in answer[1]
    assert list(all_entries(web_data)) == []  # nothing journalled that the writer would refuse


def test_a_suppressed_address_under_another_spelling_gets_no_confirmation(web_data: Path, settings: Settings,
                                                                          tmp_path: Path) -> None:
    with open_context(settings) as ctx:
        suppress(ctx, "pat.example@example.org", "hard bounce")
    with running_server(web_data, tmp_path / "serve.log") as server:
        visitor = Visitor(server.url)
        answers = {re.sub(r"[^\s>]+@[^\s<]+", "ADDRESS", answer_text(sign_up(visitor, spelling)[1]))
                   for spelling in ("Pat.Example@EXAMPLE.org", "ｐat.example@example.org", "other@example.org")}
        recipients = [p.name for p in confirmations_sent(web_data)]
    assert len(answers) == 1  # the same answer for a suppressed address as for any other
    assert len(recipients) == 1 and "other@example.org" in recipients[0]
    requested = [e["request"]["email"] for e in all_entries(web_data) if e["kind"] == "signup_requested"]
    assert requested == ["other@example.org"]


def test_the_hourly_limit_counts_one_person_however_the_address_is_spelt(server: Server, web_data: Path) -> None:
    visitor = Visitor(server.url)
    for spelling in ("Repeat@Example.org", "repeat@example.org", "REPEAT@example.org", "repeat@EXAMPLE.ORG"):
        sign_up(visitor, spelling)
    assert len(confirmations_sent(web_data)) == 3


def test_suppressed_after_asking_the_confirmation_page_says_so(web_data: Path, settings: Settings,
                                                               tmp_path: Path) -> None:
    with running_server(web_data, tmp_path / "serve.log") as server:
        visitor = Visitor(server.url)
        sign_up(visitor, "late@example.org")
        link = _link(web_data, "late@example.org")
    with open_context(settings) as ctx:
        suppress(ctx, "Late@example.org", "erasure request")
    with running_server(web_data, tmp_path / "serve2.log") as server:
        visitor = Visitor(server.url)
        status, body = visitor.submit(link, {})
    assert status == 409 and "do-not-send list" in body and "You are subscribed" not in body
    assert [e for e in all_entries(web_data) if e["kind"] == "signup_confirmed"] == []


def test_a_confirmed_sign_up_keeps_the_whole_statement_and_lists_only_public_ones(web_data: Path, settings: Settings,
                                                                                  tmp_path: Path) -> None:
    with open_context(settings) as ctx:
        unsubscribe(ctx, PEOPLE[4], "e-bulletin")  # left before: a confirmed sign-up is their request to come back
    cli(web_data, "subscribers", "list-public", "csis", "--off")
    with running_server(web_data, tmp_path / "serve.log") as server:
        visitor = Visitor(server.url)
        form = visitor.get("/subscribe")
        assert 'value="e-bulletin"' in form and 'value="csis"' not in form and "restricted" not in form
        sign_up(visitor, PEOPLE[4])
        status, body = confirm(visitor, web_data, PEOPLE[4])
        assert status == 200 and "You are subscribed" in body
        for _ in range(50):
            if cli(web_data, "web-apply", check=False).returncode == 0:
                break
            time.sleep(0.2)
    with reopen(settings) as ctx:
        person = ctx.store.subscribers.get(PEOPLE[4])
        assert person is not None and person.is_subscribed("e-bulletin")
        assert CONSENT_STATEMENT in person.consent[-1].reference  # whole, not cut at 200 characters
        outcomes = {e.kind: e.outcome for e in applied_entries(ctx)}
        assert outcomes == {"signup_requested": "confirmation e-mail queued",
                            "signup_confirmed": "subscribed to e-bulletin"}


def test_a_refused_preference_change_leaves_nothing_behind(web_data: Path, settings: Settings) -> None:
    fresh = token_for(web_data, settings, PEOPLE[1])
    stale_csis = token_for(web_data, settings, PEOPLE[1], "csis")
    with open_context(settings) as ctx:
        unsubscribe(ctx, stale_csis)
        add_subscriber(ctx, PEOPLE[1], list_name="csis", source="test", resubscribe=True)  # the csis token is old now
    entry = {"id": "p1", "at": "2026-11-22T10:00:00+00:00", "kind": "preferences", "token": fresh,
             "leave_tokens": [fresh, stale_csis], "topics": ["Domestic abuse"]}
    journal_path(web_data).parent.mkdir(mode=0o700, exist_ok=True)
    journal_path(web_data).write_bytes(orjson.dumps(entry) + b"\n")
    with open_context(settings) as ctx:
        before = ctx.store.subscribers.get(PEOPLE[1])
        apply_pending(ctx)
        after = ctx.store.subscribers.get(PEOPLE[1])
        [record] = applied_entries(ctx)
    assert after == before  # neither the e-bulletin unsubscribe nor the topics stayed
    assert record.outcome.startswith("refused:") and "out of date" in record.outcome
    assert PEOPLE[1] not in record.outcome


def test_erasure_and_subject_access_cover_the_journal(web_data: Path, settings: Settings, tmp_path: Path) -> None:
    email, name, needs = "erin.erased@example.org", "Erin Erasedperson", "wheelchair user, hearing loop"
    with running_server(web_data, tmp_path / "serve.log") as server:
        visitor = Visitor(server.url)
        visitor.submit("/subscribe", {"name": name, "email": email, "organisation": "Swale CSP",
                                      "list": "e-bulletin", "consent": "yes"})
        confirm(visitor, web_data, email)
        visitor.submit("/sessions/csis-2027-01", {"name": name, "email": email, "access_needs": needs,
                                                  "consent": "yes"})
    cli(web_data, "subscribers", "show-data", email, "--out", str(tmp_path / "sar.json"))
    held = orjson.loads((tmp_path / "sar.json").read_bytes())
    assert {e["kind"] for e in held["web_requests"]} >= {"signup_requested", "signup_confirmed",
                                                          "registration_requested"}
    out = cli(web_data, "subscribers", "erase", email, "--yes").stdout
    assert "web request(s) removed from the inbound journal" in out
    for path in web_data.rglob("*"):
        if path.is_file() and "backups" not in path.parts:  # backups are reported with their expiry instead
            raw = path.read_bytes().lower()
            for secret in (email, name.lower(), needs, "swale csp"):
                assert secret.encode() not in raw, (path, secret)


@pytest.mark.slow
def test_a_preference_page_unsubscribe_stops_a_running_cli_send(tmp_path: Path) -> None:
    data = tmp_path / "data"
    cli(data, "demo")
    with open_context(Settings(data_dir=data), read_only=True) as ctx:
        members = sorted(canonical_email(p.email) for p in ctx.store.subscribers if p.is_subscribed("e-bulletin"))
        victim = members[-1]  # sent to last (the queue is in key order)
        token = unsubscribe_token(ctx, victim, "e-bulletin")
    with threaded_server() as smtp, running_server(data, tmp_path / "serve.log") as web:
        smtp.script.end_delay = 0.02  # one connection, 20 ms a message: about 6 s for the list
        sender = subprocess.Popen(send_command(data, smtp.port), cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        while len(smtp.messages) < 3 and sender.poll() is None:
            time.sleep(0.05)
        visitor = Visitor(web.url)
        status, body = visitor.submit(f"/p/{token}", {"everything": "yes"})
        assert status == 200 and "You will no longer receive" in body
        output = sender.communicate(timeout=180)[0].decode()
    assert sender.returncode == 0, output
    received = smtp.handler.by_recipient()
    assert victim not in received and len(received) == len(members) - 1
    assert re.search(r"1 skipped", output) or "skipped" in output


@pytest.mark.slow
def test_web_requests_are_applied_while_a_long_cli_send_runs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    cli(data, "demo")
    settings = Settings(data_dir=data)
    with open_context(settings, read_only=True) as ctx:
        member = next(p.email for p in ctx.store.subscribers if p.is_subscribed("dhr-webinars"))
        token = unsubscribe_token(ctx, member, "dhr-webinars")
    with threaded_server() as smtp, running_server(data, tmp_path / "serve.log") as web:
        smtp.script.end_delay = 0.15  # one connection: the send lasts well past the command's first apply (15 s)
        sender = subprocess.Popen(send_command(data, smtp.port), cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        while not smtp.messages and sender.poll() is None:
            time.sleep(0.05)
        assert post(f"{web.url}/u/{token}", ONE_CLICK)[0] == 200
        deadline, applied = time.monotonic() + 30, False
        while not applied and time.monotonic() < deadline and sender.poll() is None:
            time.sleep(0.5)
            with reopen(settings) as ctx:
                applied = not ctx.store.subscribers.get(member).is_subscribed("dhr-webinars")  # type: ignore[union-attr]
        still_sending = sender.poll() is None
        sender.terminate()
        output = sender.communicate(timeout=60)[0].decode()
    # applied while the send ran (by serve's applier beside it, #24; before that, by the sending command itself)
    assert applied and still_sending, output
