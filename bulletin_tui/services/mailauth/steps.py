"""The steps of `mail check` and the shared ones (resolve the host, get a token)."""

from __future__ import annotations

import socket
from dataclasses import asdict, dataclass, field
from typing import Any

from ...domain.errors import DomainError
from ...sending.xoauth2 import AccessToken, TokenSource


@dataclass
class CheckStep:
    """One step of the check: which service, what was tried, whether it worked, and what to do if not."""

    service: str
    step: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "✓" if self.ok else "✗"
        return f"{mark} {self.service} {self.step}: {self.detail}"


@dataclass
class MailCheck:
    steps: list[CheckStep] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps)

    @property
    def first_failure(self) -> CheckStep | None:
        return next((step for step in self.steps if not step.ok), None)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "steps": [asdict(s) for s in self.steps], "warnings": self.warnings}


class StepRecorder:
    """Runs steps in order and records them; after the first failure of a service the rest are not tried."""

    def __init__(self, service: str, report: MailCheck) -> None:
        self.service, self.report, self.failed = service, report, False

    def ok(self, step: str, detail: str) -> None:
        self.report.steps.append(CheckStep(self.service, step, True, detail))

    def fail(self, step: str, detail: str, fix: str) -> None:
        self.failed = True
        self.report.steps.append(CheckStep(self.service, step, False, detail, fix))


def resolve(recorder: StepRecorder, host: str, port: int) -> bool:
    """DNS (or a literal address): the first step of both services."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        recorder.fail("resolve", f"{host}: {exc}", "check the host name (and that this machine has DNS)")
        return False
    addresses = sorted({str(info[4][0]) for info in found})
    recorder.ok("resolve", f"{host} -> {', '.join(addresses[:3])}")
    return True


def token_step(recorder: StepRecorder, token_source: TokenSource | None) -> AccessToken | None:
    """Get a token (from the cache, refreshed or new); the step says for whom and until when, never the token."""
    if token_source is None:
        recorder.fail("token", "auth = oauth2 but no token provider", "set [oauth] tenant and client_id")
        return None
    try:
        token = token_source()
    except DomainError as exc:
        recorder.fail("token", str(exc), _token_fix(str(exc)))
        return None
    import time

    minutes = max(0, int((token.expires_at - time.time()) // 60))
    who = f" for {token.username}" if token.username else ""
    recorder.ok("token", f"access token{who}, valid for {minutes} more minutes")
    return token


def _token_fix(message: str) -> str:
    if "mail login" in message:
        return "run: bulletin-tui mail login"
    if "->" in message:
        return message.split("->", 1)[1].strip()
    return "check [oauth] settings and the app registration (docs/microsoft-365.md)"
