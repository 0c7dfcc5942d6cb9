"""Web sign-ups under Microsoft 365 OAuth2 (issue #23): the web face opens no mail connection; the confirmation
goes through the one outbound pipeline with an XOAUTH2 token from the Entra stand-in, reaches the SMTP stand-in
within 60 s of the form, and following its link subscribes the person. (Before: HTTP 500, no confirmation.)"""

from __future__ import annotations

import re
import time
from pathlib import Path

from bulletin_tui.config import Settings
from bulletin_tui.services.context import open_context
from tests.conftest import CliRun
from tests.sending.smtp_server import RunningServer
from tests.web.server import running_server
from tests.web.test_abuse import Visitor, sign_up

ADDRESS = "new.reader@example.org"


def test_a_sign_up_under_oauth2_is_confirmed_and_applied(configured: CliRun, smtp_server: RunningServer,
                                                         tmp_path: Path) -> None:
    data = configured.data_dir
    configured("subscribers", "list-add", "e-bulletin", "--name", "E-bulletin", "--public")
    with running_server(data, tmp_path / "serve.log") as server:
        visitor = Visitor(server.url)
        asked = time.monotonic()
        status, body = sign_up(visitor, ADDRESS)
        assert status == 200 and "Check your e-mail" in body
        while not smtp_server.messages and time.monotonic() - asked < 60:
            time.sleep(0.2)
        took = time.monotonic() - asked
        assert smtp_server.messages, server.output()
        [received] = smtp_server.messages
        assert received.rcpt_tos == [ADDRESS] and took < 60
        text = received.parsed().get_body(("plain",)).get_content()  # type: ignore[union-attr]
        link = re.search(r"https?://\S+(/confirm/\S+)", text)
        assert link, text
        status, body = visitor.submit(link.group(1), {})
        assert status == 200 and "You are subscribed" in body
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with open_context(Settings(data_dir=data), read_only=True) as ctx:
                person = ctx.store.subscribers.get(ADDRESS)
                if person is not None and person.is_subscribed("e-bulletin"):
                    break
            time.sleep(0.3)
        else:
            raise AssertionError(f"not subscribed: {server.output()}")
        assert "Traceback" not in server.output()
