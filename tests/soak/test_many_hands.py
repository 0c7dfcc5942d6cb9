"""Many hands on one data folder at once, for minutes (#24): three terminal apps under Pilot (each in its own
process) editing records of their own, CLI imports, `serve` taking one-click unsubscribes, a bulletin sent to an
SMTP stand-in and unsubscribe e-mails fetched from Dovecot (by `bulletin-tui worker`, the send scheduled with
`send --at`; before the worker existed, by `send` and `inbox fetch` commands: sending.py); then every change is
there exactly once, every answered request applied once, nobody mailed twice, and a counter that every app
increments in its transactions ends at the sum.

The activity lasts BULLETIN_SOAK_S seconds (180 by default; the whole test about 3.5 minutes)."""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bulletin_tui.config import Settings
from bulletin_tui.domain.subscribers import ConsentAction
from bulletin_tui.services.bulletins.issues import create_issue
from bulletin_tui.services.context import AppContext, open_context
from bulletin_tui.services.demo.loader import load_demo
from bulletin_tui.services.subscribers.tokens import unsubscribe_token
from bulletin_tui.services.web.journal_apply import applied_entries
from bulletin_tui.storage.journal import all_entries
from tests.conftest import DEMO_ISSUE, IN_CI
from tests.mailserver.dovecot import dovecot_binary
from tests.sending.smtp_server import threaded_server
from tests.web.server import running_server

from .app_driver import read_counter
from .hands import ROOT, Arrivals, OneClickClient, TeamMailbox, cli, team_mailbox, write_people
from .sending import CommandSending, WorkerSending, sending, stop_all

SOAK_S = float(os.environ.get("BULLETIN_SOAK_S", "180"))
APPS, OWN_PEOPLE = 3, 8
IMPORTS, IMPORTED = 4, 300
MAIL_ROUNDS, MAILED = 5, 4
LIST, IMPORT_LIST, ITEMS_ISSUE = "e-bulletin", "csis-invitations", "soak-items"
"""The bulletin goes to LIST; imports go to IMPORT_LIST (the send's audience stays the demo's readers)."""
IN_FLIGHT_S = 3.0
"""An unsubscribe answered this long before a message arrived should have stopped it (messages already handed to
the server when the answer came may still arrive)."""


def subscribed(ctx: AppContext) -> list[str]:
    return sorted(person.key for person in ctx.store.subscribers if person.is_subscribed(LIST))


def tokens(settings: Settings, emails: list[str], list_slug: str = LIST) -> list[tuple[str, str, str]]:
    with open_context(settings, read_only=True) as ctx:
        return [(email, unsubscribe_token(ctx, email, list_slug), list_slug) for email in emails]


def read_log(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


class Soak:
    """The folder, who does what to it, and what each of them says it did."""

    def __init__(self, tmp: Path) -> None:
        self.tmp, self.settings = tmp, Settings(data_dir=tmp / "data")
        self.data = self.settings.data_dir
        with open_context(self.settings, create=True) as ctx:
            load_demo(ctx)
            create_issue(ctx, ITEMS_ISSUE, title="Soak items")
            readers = subscribed(ctx)
        self.own = [readers[n * OWN_PEOPLE:(n + 1) * OWN_PEOPLE] for n in range(APPS)]
        rest = readers[APPS * OWN_PEOPLE:]
        self.mailing = tokens(self.settings, rest[-MAIL_ROUNDS * MAILED:])
        self.posting = rest[:-MAIL_ROUNDS * MAILED]
        self.arrivals = Arrivals()
        self.imports: list[list[str]] = []
        self.mailed: list[str] = []

    def start_apps(self) -> list[subprocess.Popen[bytes]]:
        return [subprocess.Popen(
            [sys.executable, "-m", "tests.soak.app_driver", str(self.data), str(n), str(SOAK_S),
             str(self.tmp / f"app{n}.jsonl"), json.dumps(self.own[n]), ITEMS_ISSUE],
            cwd=ROOT, env=dict(os.environ), stdout=(self.tmp / f"app{n}.out").open("wb"), stderr=subprocess.STDOUT)
            for n in range(APPS)]

    def import_people(self, number: int, client: OneClickClient) -> None:
        csv = self.tmp / f"import{number}.csv"
        self.imports.append(write_people(csv, f"soak-import{number}", IMPORTED))
        done = cli(self.data, "subscribers", "import", str(csv), "--list", IMPORT_LIST)
        assert done.returncode == 0, done.stderr
        client.add(tokens(self.settings, self.imports[-1][: IMPORTED // 4], IMPORT_LIST))

    def deliver(self, mailbox: TeamMailbox | None, number: int, send: CommandSending | WorkerSending) -> None:
        """A few people's own unsubscribe e-mails into the team mailbox, then (by hand, or by the worker) a fetch."""
        if mailbox is None:
            return
        for email, token, _list in self.mailing[number * MAILED:(number + 1) * MAILED]:
            mailbox.deliver_unsubscribe(email, token, len(self.mailed))
            self.mailed.append(email)
        send.after_delivery()

    def logs(self) -> list[list[dict[str, Any]]]:
        return [read_log(self.tmp / f"app{n}.jsonl") for n in range(APPS)]


def on_schedule(started: float, plan: list[tuple[float, Callable[[], object]]]) -> None:
    """Run each step at its moment (seconds after `started`), in order."""
    for at, step in sorted(plan, key=lambda pair: pair[0]):
        time.sleep(max(0.0, started + at - time.monotonic()))
        step()


@pytest.mark.slow
def test_three_apps_imports_a_send_a_mailbox_and_one_click_posts_on_one_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_CONFIG", str(tmp_path / "none.toml"))
    soak = Soak(tmp_path)
    if dovecot_binary() is None and IN_CI:
        pytest.fail("dovecot is not installed (scripts/test-deps.sh installs dovecot-imapd)")
    with contextlib.ExitStack() as stack:
        smtp = stack.enter_context(threaded_server())
        server = stack.enter_context(running_server(soak.data, tmp_path / "serve.log"))
        mailbox = stack.enter_context(team_mailbox(tmp_path / "pki")) if dovecot_binary() else None
        smtp.script.on_message = soak.arrivals
        client = OneClickClient(server.url)
        client.add(tokens(soak.settings, soak.posting[::-1]))  # the send goes in address order: they cross
        poster = threading.Thread(target=client.run, daemon=True)
        started = time.monotonic()
        poster.start()
        apps = soak.start_apps()
        stack.callback(stop_all, apps)
        send = sending(soak.data, tmp_path, DEMO_ISSUE, LIST, smtp.port, mailbox)
        stack.callback(send.stop)
        plan: list[tuple[float, Callable[[], object]]] = [
            *send.start(),
            *((SOAK_S * (n + 1) / (IMPORTS + 1), lambda n=n: soak.import_people(n, client)) for n in range(IMPORTS)),
            *((SOAK_S * (n + 0.5) / MAIL_ROUNDS, lambda n=n: soak.deliver(mailbox, n, send))
              for n in range(MAIL_ROUNDS)),
        ]
        on_schedule(started, plan)
        for app in apps:
            app.wait(timeout=max(60.0, started + SOAK_S + 120 - time.monotonic()))
        client.stop.set()
        poster.join(60)
        trouble = send.finish()
        in_inbox = mailbox.count("INBOX") if mailbox is not None else 0
        applied = cli(soak.data, "web-apply")  # whatever was answered last, applied now
        resumed = send.resume_after()
    elapsed = time.monotonic() - started

    outputs = {f"app {n}": (tmp_path / f"app{n}.out").read_text(errors="replace") for n in range(APPS)}
    assert [app.returncode for app in apps] == [0] * APPS, outputs
    logs = soak.logs()
    assert [entry for log in logs for entry in log if "error" in entry] == [], "an app was refused a change"
    assert trouble == ""
    assert applied.returncode == 0, applied.stderr
    second = send.refused
    assert second is not None and second.returncode != 0 and "being sent by" in second.stderr, second
    assert resumed.returncode == 0, resumed.stderr
    assert "Traceback" not in server.output() and "applier failed" not in server.output(), server.output()
    assert [f.stderr for f in send.fetches if f.returncode != 0] == []
    assert not (soak.data / "logs" / "tui-errors.log").exists()
    assert in_inbox == 0, "a mailed unsubscribe was left in the inbox"

    with open_context(soak.settings, read_only=True) as ctx:
        check_apps(ctx, logs)
        check_imports(ctx, soak.imports)
        check_one_click(ctx, client, soak.data)
        check_mailed(ctx, soak.mailed)
        check_send(smtp.handler.by_recipient(), soak.arrivals, client)
    rounds = [next(e["rounds"] for e in log if "rounds" in e) for log in logs]
    steps = sorted(e["s"] for log in logs for e in log if "s" in e)
    print(f"\nsoak: {elapsed:.0f} s; app rounds {rounds}, a step (keys to saved) {statistics.median(steps):.2f} s "
          f"median, {steps[-1]:.1f} s max; {len(client.answers)} one-click POSTs answered; "
          f"{sum(smtp.handler.by_recipient().values())} messages sent; {len(soak.imports)} x {IMPORTED} imported; "
          f"{len(soak.mailed)} unsubscribed by e-mail; sent and fetched by {type(send).__name__}")
    assert min(rounds) >= max(1, SOAK_S // 30), f"the apps hardly ran: {rounds}"


def check_apps(ctx: AppContext, logs: list[list[dict[str, Any]]]) -> None:
    """Each app's edits last as it left them, each person and item it added is there once, the counter adds up."""
    store = ctx.store
    for log in logs:
        last_role = {entry["edit"]: entry["role"] for entry in log if "edit" in entry}
        for email, role in last_role.items():
            assert store.subscribers.get(email).role == role, f"{email}: an edit was lost"  # type: ignore[union-attr]
        for email in (entry["add"] for entry in log if "add" in entry):
            person = store.subscribers.get(email)
            assert person is not None and person.is_subscribed(LIST), f"{email}: an addition was lost"
            granted = [c for c in person.consent if c.action is ConsentAction.GRANTED and c.list_slug == LIST]
            assert len(granted) == 1, f"{email}: {granted}"
    titles = Counter(item.title for item in store.items)
    added = [entry["item"] for log in logs for entry in log if "item" in entry]
    assert [title for title in added if titles[title] != 1] == [], "items lost or doubled"
    issue = store.issues.get(ITEMS_ISSUE)
    assert issue is not None
    in_issue = Counter(item.title for item in (store.items.get(i) for i in issue.item_ids) if item is not None)
    assert [title for title in added if in_issue[title] != 1] == [], "items missing from (or doubled in) the issue"
    counted = [entry["counter"] for log in logs for entry in log if "counter" in entry]
    assert read_counter(ctx) == len(counted) == max(counted), "an increment of the shared counter was lost"


def check_imports(ctx: AppContext, imports: list[list[str]]) -> None:
    assert len(imports) == IMPORTS
    for emails in imports:
        missing = [email for email in emails if email not in ctx.store.subscribers]
        assert missing == [], f"imported people lost: {missing[:5]}"
        for email in emails:
            person = ctx.store.subscribers.get(email)
            assert person is not None and IMPORT_LIST in person.lists
            assert len([c for c in person.consent if c.action is ConsentAction.GRANTED]) == 1, email


def withdrawn_once(ctx: AppContext, email: str, list_slug: str = LIST) -> None:
    person = ctx.store.subscribers.get(email)
    assert person is not None and not person.is_subscribed(list_slug), f"{email} is still on {list_slug}"
    withdrawals = [c for c in person.consent if c.action is ConsentAction.WITHDRAWN]
    assert len(withdrawals) == 1, f"{email}: {withdrawals}"


def check_one_click(ctx: AppContext, client: OneClickClient, data: Path) -> None:
    """Every POST answered "You are unsubscribed" was journalled once and applied once."""
    answered = [a for a in client.answers if a.status == 200 and not a.replay]
    assert answered and all(a.unsubscribed for a in answered), [a for a in answered if not a.unsubscribed][:3]
    assert all(a.status == 200 for a in client.answers), Counter(a.status for a in client.answers)
    journal = [e for e in all_entries(data) if e["kind"] == "unsubscribe"]
    per_token = Counter(e["token"] for e in journal)
    outcomes = {e.id: e.outcome for e in applied_entries(ctx)}
    for answer in answered:
        assert per_token[answer.token] == 1, f"{answer.email}: journalled {per_token[answer.token]} times"
        [entry] = [e for e in journal if e["token"] == answer.token]
        outcome = outcomes.get(entry["id"])
        assert outcome == f"left {answer.list_slug}", f"{answer.email}: {outcome}"
        withdrawn_once(ctx, answer.email, answer.list_slug)


def check_mailed(ctx: AppContext, mailed: list[str]) -> None:
    for email in mailed:
        withdrawn_once(ctx, email)


def check_send(received: dict[str, int], arrivals: Arrivals, client: OneClickClient) -> None:
    """Nobody twice, and nobody well after their unsubscribe was answered."""
    assert received, "the bulletin reached nobody"
    assert {email: n for email, n in received.items() if n > 1} == {}, "someone received the bulletin twice"
    answered = {a.email.lower(): a.at for a in client.answers
                if a.status == 200 and a.unsubscribed and a.list_slug == LIST}
    late = {email: [round(t - answered[email], 1) for t in times if t > answered[email] + IN_FLIGHT_S]
            for email, times in arrivals.times.items() if email in answered}
    assert {email: gaps for email, gaps in late.items() if gaps} == {}, "mailed after an answered unsubscribe"
