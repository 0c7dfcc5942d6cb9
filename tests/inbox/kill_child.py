"""Child for the SIGKILL test: one `inbox fetch` pass in small batches (so a kill can land between writes)."""

from __future__ import annotations

import imaplib
import sys
from pathlib import Path

from bulletin_tui.config import Settings
from bulletin_tui.services.context import open_context
from bulletin_tui.services.inbox.fetch import fetch_inbox


def main() -> None:
    data_dir, port, user, password = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    client = imaplib.IMAP4_SSL("127.0.0.1", port)  # SSL_CERT_FILE (the test CA) comes from the parent
    client.login(user, password)
    with open_context(Settings(data_dir=data_dir)) as ctx:
        report = fetch_inbox(ctx, client, batch=3)
    print(len(report.handled), flush=True)


if __name__ == "__main__":
    main()
