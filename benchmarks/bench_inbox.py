"""The return path (issue 14): one `inbox fetch` over 1,000 mixed messages in a local Dovecot.

Targets: <= 30 s, <= 200 MB, one database write per batch. Baseline in the same run: the same pass with one write
per message (batch = 1). Needs Debian `dovecot-imapd` (`make test` installs it); run as root like the tests.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import NOW, peak_rss_mb, report  # noqa: E402
from bulletin_tui.config import Settings  # noqa: E402
from bulletin_tui.domain.clock import FixedClock  # noqa: E402
from bulletin_tui.services.context import open_context  # noqa: E402
from bulletin_tui.services.inbox.fetch import fetch_inbox  # noqa: E402
from bulletin_tui.services.subscribers.lists import add_list  # noqa: E402
from bulletin_tui.services.subscribers.people import add_subscriber  # noqa: E402
from tests.inbox.conftest import PASSWORD, USER, TeamMailbox  # noqa: E402
from tests.mailauth.pki import make_pki  # noqa: E402
from tests.mailserver.dovecot import running_dovecot  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "inbox"
MESSAGES = 1_000
_ID = re.compile(rb"^(Message-I[dD]:\s*<)", re.M)


def corpus_messages(count: int) -> list[bytes]:
    """The corpus cycled, each copy with a Message-ID of its own (so each is a new message)."""
    originals = [p.read_bytes() for p in sorted(CORPUS.glob("*.eml"))]
    return [_ID.sub(rb"\g<1>copy%d-" % n, originals[n % len(originals)], count=1) for n in range(count)]


def one_pass(batch: int) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as folder:
        pki = make_pki(Path(folder) / "pki")
        with running_dovecot(lambda token: None, cert=pki.server_cert, key=pki.server_key,
                             passwords={USER: PASSWORD}) as dovecot:
            return _measure(Path(folder), TeamMailbox(dovecot, pki.ca_file), batch)


def _measure(folder: Path, server: TeamMailbox, batch: int) -> tuple[float, int, int]:
    ctx = open_context(Settings(data_dir=folder / "data"), create=True, clock=FixedClock(NOW))
    add_list(ctx, "e-bulletin", "Community Safety e-Bulletin")
    for n in range(200):
        add_subscriber(ctx, f"reader{n}@example.org", list_name="e-bulletin", source="benchmark")
    server.deliver_many(corpus_messages(MESSAGES))
    client = server.client()
    saves = ctx.store.db.storage.saves
    started = time.perf_counter()
    result = fetch_inbox(ctx, client, batch=batch)
    elapsed = time.perf_counter() - started
    writes = ctx.store.db.storage.saves - saves
    client.logout()
    ctx.close()
    return elapsed, len(result.handled), writes


def main() -> None:
    ours, handled, writes = one_pass(50)
    rss = peak_rss_mb()
    base, _, base_writes = one_pass(1)
    report(f"inbox fetch: {MESSAGES:,} mixed messages (18 kinds of real-world mail, cycled) in Dovecot", [
        ("one pass, batches of 50", f"{ours:.1f} s", f"target <= 30 s; {handled} handled, {writes} writes"),
        ("one write per message", f"{base:.1f} s", f"{base_writes} writes; ratio {base / ours:.1f}x"),
        ("peak RSS of the process", f"{rss:.0f} MB", "target <= 200 MB"),
    ])


if __name__ == "__main__":
    main()
