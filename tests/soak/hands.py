"""The soak's moving parts besides the apps: CLI commands, the one-click client, the SMTP stand-in's clock, the
team mailbox in Dovecot."""

from __future__ import annotations

import contextlib
import imaplib
import os
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from tests.mailauth.pki import make_pki
from tests.mailserver.dovecot import Dovecot, running_dovecot
from tests.sending.smtp_server import Received

ROOT = Path(__file__).parents[2]
TEAM, PASSWORD = "kcst@kent.gov.uk", "test-password-not-secret"


def cli(data_dir: Path, *args: str, env: dict[str, str] | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """One `bulletin-tui` command in a process of its own (as a colleague or cron would run it)."""
    return subprocess.run([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args], cwd=ROOT,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=timeout)


def start_cli(data_dir: Path, log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "bulletin_tui", "--data-dir", str(data_dir), *args], cwd=ROOT,
                                env=dict(os.environ), stdout=out, stderr=subprocess.STDOUT)


def write_people(path: Path, prefix: str, count: int) -> list[str]:
    """A CSV of `count` new people (as an officer would export it from a sign-up sheet); their addresses."""
    emails = [f"{prefix}-{n:03d}@example.org" for n in range(count)]
    path.write_text("email,name,organisation\n" + "".join(f"{email},Imported Person {n},Soak District Council\n"
                                                          for n, email in enumerate(emails)))
    return emails


@dataclass
class Answer:
    email: str
    token: str
    list_slug: str
    status: int
    unsubscribed: bool
    """The page said "You are unsubscribed" (not "out of date", not an error)."""
    at: float
    """time.monotonic() when the answer arrived."""
    replay: bool = False


@dataclass
class OneClickClient:
    """Posts RFC 8058 one-click unsubscribes, one person at a time, as mail clients do; every tenth request
    replays an earlier one (a client retrying). Runs in a thread until stopped."""

    url: str
    pause_s: float = 0.8
    queue: list[tuple[str, str, str]] = field(default_factory=list)
    """(address, token, list) of the people still to unsubscribe."""
    answers: list[Answer] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, people: list[tuple[str, str, str]]) -> None:
        with self.lock:
            self.queue.extend(people)

    def run(self) -> None:
        sent = 0
        while not self.stop.is_set():
            with self.lock:
                person = self.queue.pop(0) if self.queue else None
            if person is None:
                self.stop.wait(self.pause_s)
                continue
            self.post(*person)
            sent += 1
            if sent % 10 == 0:
                first = self.answers[len(self.answers) // 2]
                self.post(first.email, first.token, first.list_slug, replay=True)
            self.stop.wait(self.pause_s)

    def post(self, email: str, token: str, list_slug: str, *, replay: bool = False) -> None:
        request = urllib.request.Request(f"{self.url}/u/{token}", data=b"List-Unsubscribe=One-Click", method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode()
        except OSError as error:  # no answer: the request may or may not have been journalled; not counted
            self.problems.append(f"{email}: {error}")
            return
        self.answers.append(Answer(email, token, list_slug, status, "You are unsubscribed" in body, time.monotonic(),
                                   replay))


class Arrivals:
    """When each message reached the SMTP stand-in (`Script.on_message`), by recipient."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}

    def __call__(self, received: Received) -> None:
        for rcpt in received.rcpt_tos:
            self.times.setdefault(rcpt.lower(), []).append(time.monotonic())


@dataclass
class TeamMailbox:
    """The team mailbox in a real Dovecot (implicit TLS, a test CA), and the settings that point `inbox fetch`
    (or the worker) at it."""

    server: Dovecot
    ca_file: Path

    def env(self) -> dict[str, str]:
        return {"BULLETIN_IMAP__HOST": "127.0.0.1", "BULLETIN_IMAP__PORT": str(self.server.imaps_port),
                "BULLETIN_IMAP__SECURITY": "tls", "BULLETIN_IMAP__USERNAME": TEAM,
                "BULLETIN_IMAP__PASSWORD": PASSWORD, "SSL_CERT_FILE": str(self.ca_file)}

    def deliver_unsubscribe(self, email: str, token: str, number: int) -> None:
        """A person's own "unsubscribe <token>" e-mail, as a mail client's mailto: unsubscribe sends it."""
        message = EmailMessage()
        message["From"], message["To"] = email, "kentcommunitysafetyteam@kent.gov.uk"
        message["Subject"] = f"unsubscribe {token}"
        message["Message-ID"] = f"<soak-unsubscribe-{number}@example.org>"
        message.set_content("")
        self.server.deliver(TEAM, message.as_bytes())

    def count(self, folder: str) -> int:
        client = imaplib.IMAP4_SSL("127.0.0.1", self.server.imaps_port,
                                   ssl_context=ssl.create_default_context(cafile=str(self.ca_file)))
        try:
            client.login(TEAM, PASSWORD)
            status, data = client.select(f'"{folder}"', readonly=True)
            return int(data[0] or 0) if status == "OK" else -1
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                client.logout()


@contextlib.contextmanager
def team_mailbox(folder: Path) -> Iterator[TeamMailbox]:
    pki = make_pki(folder)
    with running_dovecot(lambda token: None, cert=pki.server_cert, key=pki.server_key,
                         passwords={TEAM: PASSWORD}) as server:
        yield TeamMailbox(server, pki.ca_file)
