"""The worker as its own process (as systemd or a container runs it) against a real SMTP stand-in, and what a test
needs around it: a clean issue, registrants, reading the folder back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bulletin_tui.services.bulletins.assembly import add_item
from bulletin_tui.services.bulletins.issues import create_issue
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.schedule.planning import schedule_send
from bulletin_tui.services.schedule.records import ScheduledSend, scheduled_sends
from bulletin_tui.services.sessions import catalogue, registrations
from bulletin_tui.services.sessions.mail import MailOutcome, mail_queue
from tests.conftest import FIXED_NOW

ROOT = Path(__file__).resolve().parents[2]
ISSUE = "2027-01"
LISTS = ["csis-invitations", "dhr-webinars"]


def clean_issue(ctx: AppContext, slug: str = ISSUE) -> str:
    """An issue that passes every pre-send check."""
    create_issue(ctx, slug, title="Community Safety e-Bulletin, January 2027")
    add_item(ctx, slug, title="Winter safety campaign", category="campaign", summary="Advice for partners.",
             link="https://www.kent.gov.uk/winter", link_text="Winter safety campaign advice")
    return slug


def schedule_due(ctx: AppContext, lists: list[str] = LISTS, issue: str = ISSUE) -> ScheduledSend:
    """A send scheduled (an hour before the fixed instant) for half an hour before it: due for any worker now."""
    saved = ctx.clock.now()
    ctx.clock.at = FIXED_NOW - timedelta(hours=1)  # type: ignore[attr-defined]
    try:
        return schedule_send(ctx, issue, lists, FIXED_NOW - timedelta(minutes=30))
    finally:
        ctx.clock.at = saved  # type: ignore[attr-defined]


def registrants(ctx: AppContext, slug: str, count: int, *, kind: str, starts_in: timedelta, prefix: str) -> list[str]:
    """A session of `kind` starting `starts_in` after the fixed instant, with `count` people registered 3 days
    before that instant (before any reminder window opened); their invites wait in the queue."""
    start = FIXED_NOW + starts_in
    created = catalogue.create_session(ctx, slug=slug, title=f"Session {slug}", kind=kind, start=start,
                                       end=start + timedelta(hours=1))
    ctx.store.sessions.put(created.model_copy(update={"uid": f"{slug}@kcst.test"}))
    saved = ctx.clock.now()
    ctx.clock.at = FIXED_NOW - timedelta(days=3)  # type: ignore[attr-defined]
    try:
        addresses = [f"{prefix}{n:02d}@example.net" for n in range(count)]
        for address in addresses:
            registrations.register(ctx, slug, address)
    finally:
        ctx.clock.at = saved  # type: ignore[attr-defined]
    return addresses


def scheduled(ctx: AppContext, schedule_id: str) -> ScheduledSend:
    ctx.store.refresh()
    found = scheduled_sends(ctx).get(schedule_id)
    assert found is not None
    return found


def pending_session_mail(ctx: AppContext) -> int:
    ctx.store.refresh()
    return sum(1 for m in mail_queue(ctx) if m.outcome in (MailOutcome.PENDING, MailOutcome.DEFERRED))


def worker_env(smtp_port: int | None, **settings: str) -> dict[str, str]:
    """The test's environment (its BULLETIN_NOW timeline included) plus settings as BULLETIN_* variables."""
    env = {**os.environ}
    if smtp_port is not None:
        env |= {"BULLETIN_SMTP__HOST": "127.0.0.1", "BULLETIN_SMTP__PORT": str(smtp_port),
                "BULLETIN_SMTP__SECURITY": "none", "BULLETIN_LIMITS__RATE_PER_MINUTE": "0"}
    return env | {f"BULLETIN_{name.upper()}": value for name, value in settings.items()}


@dataclass
class WorkerProcess:
    process: subprocess.Popen[bytes]
    stderr: Path

    def output(self) -> str:
        return self.stderr.read_text(errors="replace")

    def wait_running(self, data_dir: Path, timeout: float = 30) -> None:
        """Until this worker has written its status (its signal handlers are in place by then)."""
        def running() -> bool:
            assert self.process.poll() is None, self.output()
            try:
                return bool(json.loads((data_dir / "worker" / "status.json").read_text())["pid"] == self.process.pid)
            except (OSError, ValueError, KeyError):
                return False

        wait_until(running, timeout, every=0.01)

    def stop(self, timeout: float = 30) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)


def start_worker(data_dir: Path, env: dict[str, str], *extra: str, log: Path | None = None) -> WorkerProcess:
    """`python -m bulletin_tui --data-dir DIR worker`, as the unit files start it (stderr to a file)."""
    stderr = log or data_dir.parent / f"worker-{time.monotonic_ns()}.err"
    with open(stderr, "wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), "worker",
                                    *extra], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=sink, stderr=sink)
    return WorkerProcess(process, stderr)


def cli(data_dir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def wait_until(condition: Callable[[], bool], timeout: float = 60, every: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(every)
