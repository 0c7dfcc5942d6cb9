"""A whole OAuth2 send from the CLI (paused by Microsoft, by Entra ID, then resumed), exports and checks; then no
file the run wrote, and no output, holds the client secret or any token (only the 0600 token cache holds tokens)."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

from bulletin_tui.services.mailauth.cache import cache_path
from tests.conftest import DEMO_ISSUE, CliRun
from tests.sending.smtp_server import RunningServer

from .entra import SECRET, EntraState, _error
from .xoauth2_smtp import XOAuth2Handler

ISSUE, LIST = DEMO_ISSUE, "e-bulletin"


def files_under(folder: Path) -> Iterator[Path]:
    return (path for path in folder.rglob("*") if path.is_file())


def test_an_oauth2_send_pauses_resumes_and_leaves_no_secret_anywhere(
        configured: CliRun, entra: EntraState, smtp_server: RunningServer, tmp_path: Path) -> None:
    handler = smtp_server.handler
    assert isinstance(handler, XOAuth2Handler)
    outputs = [configured("demo")]
    send = ["send", ISSUE, "--list", LIST, "--force", "--rate-per-minute", "0"]
    handler.auth_replies.append("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled "
                                "for the Tenant.")
    outputs.append(configured(*send, code=4))
    assert "Mailing paused" in outputs[-1] and "Set-CASMailbox" in outputs[-1] and "failed" not in outputs[-1]
    outputs.append(configured("mail", "logout"))  # no cached token now: the next send must ask Entra ID
    assert "Signed out" in outputs[-1]
    entra.errors.append(_error("invalid_client", 7000222, f"The provided client secret keys are expired ({SECRET})."))
    outputs.append(configured(*send[:4], "--resume", "--rate-per-minute", "0", code=4))
    assert "AADSTS7000222" in outputs[-1] and "has expired" in outputs[-1]
    outputs.append(configured(*send[:4], "--resume", "--rate-per-minute", "0"))
    assert "Mailing complete (240 sent of 240)" in outputs[-1] and len(smtp_server.messages) == 240
    outputs.append(configured("mailings", "export", f"bulletin-{ISSUE}-{LIST}", str(tmp_path / "ledger.csv")))
    outputs.append(configured("subscribers", "export", str(tmp_path / "subscribers.csv")))
    outputs.append(configured("mail", "check", "--json"))

    tokens = set(entra.issued) | set(handler.auth.tokens) | set(entra.refresh_tokens)
    assert len(tokens) >= 2
    cache = cache_path(configured.data_dir)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600 and SECRET not in cache.read_text()
    written = [path for path in files_under(tmp_path) if path != cache and path.suffix != ".pem"]
    assert len(written) > 5
    for path in written:
        content = path.read_bytes()
        assert SECRET.encode() not in content, path
        assert not any(token.encode() in content for token in tokens), path
    for output in outputs:
        assert SECRET not in output and not any(token in output for token in tokens)
