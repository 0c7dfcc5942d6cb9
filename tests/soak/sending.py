"""Who sends the soak's bulletin and fetches its mailbox: `bulletin-tui worker` (a send scheduled with `send --at`,
the mailbox fetched on its interval) once it exists, else a `send` command and `inbox fetch` commands."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bulletin_tui.domain.clock import SystemClock
from bulletin_tui.domain.times import LONDON

from .hands import ROOT, TeamMailbox, cli, start_cli

WORKER_EXISTS = (ROOT / "bulletin_tui" / "commands" / "worker.py").exists()
RATE = "60"  # per minute (60 at once, then one a second): the demo's readers take a minute or two
Step = tuple[float, Callable[[], object]]


class Sending:
    """The send of the issue to the list, the second send the run lock refuses, and the mailbox's fetches."""

    def __init__(self, data: Path, log_dir: Path, issue: str, list_slug: str, smtp_port: int,
                 mailbox: TeamMailbox | None) -> None:
        self.data, self.log_dir, self.mailbox = data, log_dir, mailbox
        self.smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(smtp_port), "--smtp-security", "none"]
        self.send_args = ["send", issue, "--list", list_slug, "--force"]
        self.smtp_env = {"BULLETIN_SMTP__HOST": "127.0.0.1", "BULLETIN_SMTP__PORT": str(smtp_port),
                         "BULLETIN_SMTP__SECURITY": "none", "BULLETIN_LIMITS__RATE_PER_MINUTE": RATE}
        self.refused: subprocess.CompletedProcess[str] | None = None
        self.fetches: list[subprocess.CompletedProcess[str]] = []

    def mail_env(self) -> dict[str, str]:
        return self.mailbox.env() if self.mailbox is not None else {}

    def fetch(self) -> None:
        """Fetch the mailbox now (the command; the worker fetches on its own interval)."""
        if self.mailbox is not None:
            self.fetches.append(cli(self.data, "inbox", "fetch", env=self.mail_env()))

    def second_send(self) -> None:
        """Another officer resumes the same campaign while it is being sent (its ledger has a message sent): the
        run lock refuses."""
        ledgers = self.data / "ledgers"
        deadline = time.monotonic() + 150
        while not any(b'"sent"' in path.read_bytes() for path in ledgers.glob("bulletin-*.jsonl")):
            assert time.monotonic() < deadline, f"the bulletin's send never started\n{self.diagnosis()}"
            time.sleep(0.2)
        self.refused = cli(self.data, *self.send_args, "--resume", *self.smtp, env=self.smtp_env)

    def diagnosis(self) -> str:
        """What the folder says about its sends and its worker, for a failure message."""
        status = cli(self.data, "status", "--worker")
        scheduled = cli(self.data, "send", "scheduled")
        logs = [self.log_dir / "worker.log", self.log_dir / "send.log", self.data / "logs" / "worker.log"]
        tails = [f"== {path}:\n{path.read_text(errors='replace')[-3000:]}" for path in logs if path.exists()]
        return "\n".join([f"== status --worker ({status.returncode}):\n{status.stdout}{status.stderr}",
                          f"== send scheduled ({scheduled.returncode}):\n{scheduled.stdout}{scheduled.stderr}", *tails])

    def processes(self) -> list[subprocess.Popen[bytes]]:
        return [p for p in (getattr(self, "process", None), getattr(self, "worker", None)) if p is not None]

    def stop(self) -> None:
        """Whatever still runs when the test ends early (a failed step) is stopped, never left behind."""
        stop_all(self.processes())

    def resume_after(self) -> subprocess.CompletedProcess[str]:
        """After it all: resuming the finished campaign sends nobody again."""
        return cli(self.data, *self.send_args, "--resume", *self.smtp, env=self.smtp_env)


class CommandSending(Sending):
    """`send` started by hand 5 s in; `inbox fetch` after each delivery of unsubscribe e-mails."""

    def start(self) -> list[Step]:
        return [(5, self._send), (6, self.second_send)]

    def _send(self) -> None:
        self.process = start_cli(self.data, self.log_dir / "send.log", *self.send_args, "--rate-per-minute", RATE,
                                 *self.smtp)

    def after_delivery(self) -> None:
        self.fetch()

    def finish(self) -> str:
        """Wait for the send to end; fetch what is left. Returns what went wrong ('' when nothing)."""
        code = self.process.wait(timeout=300)
        self.fetch()
        return "" if code == 0 else (self.log_dir / "send.log").read_text(errors="replace")


class WorkerSending(Sending):
    """`send --at` the next minute (at least 20 s away), sent by `bulletin-tui worker`, which also applies the
    journal and fetches the mailbox on short intervals; SIGTERM at the end."""

    def start(self) -> list[Step]:
        now = SystemClock().now()  # the tests' timeline (BULLETIN_NOW), which every child shares
        at = (now + timedelta(seconds=80)).replace(second=0, microsecond=0)
        due_in = (at - now).total_seconds()
        env = {**os.environ, **self.smtp_env, **self.mail_env(), "BULLETIN_WORKER__SCHEDULED_SECONDS": "2",
               "BULLETIN_WORKER__JOURNAL_SECONDS": "5", "BULLETIN_WORKER__INBOX_MINUTES": "0.25"}
        with (self.log_dir / "worker.log").open("wb") as out:
            self.worker = subprocess.Popen([sys.executable, "-m", "bulletin_tui", "--data-dir", str(self.data),
                                            "worker"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                           stderr=subprocess.STDOUT)
        scheduled = cli(self.data, *self.send_args, "--at", at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M"))
        assert scheduled.returncode == 0, scheduled.stderr
        return [(due_in - 1, self.second_send)]

    def after_delivery(self) -> None:
        """The worker fetches on its own."""

    def finish(self) -> str:
        """Wait for the scheduled send to be done and the mailbox emptied, then stop the worker with SIGTERM."""
        from bulletin_tui.config import Settings
        from bulletin_tui.services.context import open_context
        from bulletin_tui.services.schedule.records import scheduled_sends

        def done() -> bool:
            with open_context(Settings(data_dir=self.data), read_only=True) as ctx:
                return all(entry.state.value == "done" for entry in scheduled_sends(ctx))

        deadline = time.monotonic() + 300
        while not (done() and (self.mailbox is None or self.mailbox.count("INBOX") == 0)):
            if self.worker.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(1)
        self.worker.send_signal(signal.SIGTERM)
        code = self.worker.wait(timeout=60)
        output = (self.log_dir / "worker.log").read_text(errors="replace")
        if code != 0 or not done() or "Traceback" in output:
            return f"worker exit {code}, scheduled send done: {done()}\n{output}"
        return ""


def stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def sending(data: Path, log_dir: Path, issue: str, list_slug: str, smtp_port: int,
            mailbox: TeamMailbox | None) -> CommandSending | WorkerSending:
    chosen = WorkerSending if WORKER_EXISTS else CommandSending
    return chosen(data, log_dir, issue, list_slug, smtp_port, mailbox)
