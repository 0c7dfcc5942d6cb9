"""The return path's memory (issue 21): one `inbox fetch` over big mail in a local Dovecot, peak RSS per pass.

The mix: eight 30 MB messages (over the 15 MB `[imap] max_message_mb`: their headers go to review), eight 14 MB
messages (read, in batches of at most 16 MB: one at a time), and 100 messages of the real-world corpus.
Target: <= 200 MB whatever the mix. Baseline in the same run: the same pass with no size limit and batches of 50
messages whatever their size (the behaviour before). Each pass runs in a process of its own, so each peak is its
own. Needs Debian `dovecot-imapd`; run as root like the tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import NOW, peak_rss_mb, report  # noqa: E402
from benchmarks.bench_inbox import corpus_messages  # noqa: E402


def big(number: int, megabytes: int) -> bytes:
    message = EmailMessage()
    message["From"], message["To"] = f"sender{number}@big.example", "kentcommunitysafetyteam@kent.gov.uk"
    message["Subject"], message["Message-ID"] = f"Report {number}", f"<big-{number}-{megabytes}@big.example>"
    message.set_content("The report is attached.")
    message.add_attachment(bytes(range(256)) * (megabytes * 1_000_000 * 3 // 4 // 256), maintype="application",
                           subtype="pdf", filename="report.pdf")  # base64 brings it to about `megabytes`
    return message.as_bytes()


def write_mail(folder: Path, uid: int, gid: int) -> None:
    """The mix, one message at a time, into a Maildir folder owned as the mail user."""
    mix = [(f"big30-{n}", lambda n=n: big(n, 30)) for n in range(8)] + [
        (f"big14-{n}", lambda n=n: big(n, 14)) for n in range(8)]
    mix += [(f"corpus-{n}", lambda raw=raw: raw) for n, raw in enumerate(corpus_messages(100)[1:])]
    for name, make in mix:
        path = folder / f"{time.time():.6f}.{name}.bench"
        path.write_bytes(make())
        os.chown(path, uid, gid)


def one_pass(bounded: bool) -> tuple[float, int, float]:
    """In this process: the mix delivered to a fresh Dovecot, one pass; seconds, messages handled, peak RSS."""
    from bulletin_tui.config import Settings
    from bulletin_tui.domain.clock import FixedClock
    from bulletin_tui.services.context import open_context
    from bulletin_tui.services.inbox import fetch
    from tests.inbox.conftest import PASSWORD, USER, TeamMailbox
    from tests.mailauth.pki import make_pki
    from tests.mailserver.dovecot import running_dovecot

    if not bounded:  # the behaviour before: any size read whole, 50 to a batch
        fetch.BATCH_BYTES = 10**12
    with tempfile.TemporaryDirectory() as folder:
        pki = make_pki(Path(folder) / "pki")
        with running_dovecot(lambda token: None, cert=pki.server_cert, key=pki.server_key,
                             passwords={USER: PASSWORD}) as dovecot:
            server = TeamMailbox(dovecot, pki.ca_file)
            first = server.server.deliver(server.user, corpus_messages(1)[0])
            # the big mail is written by a child process, so this process's peak is the pass's alone
            subprocess.run([sys.executable, __file__, "write", str(first.parent), str(first.stat().st_uid),
                            str(first.stat().st_gid)], check=True, timeout=600)
            ctx = open_context(Settings(data_dir=Path(folder) / "data"), create=True, clock=FixedClock(NOW))
            if not bounded:
                ctx.settings.imap.max_message_mb = 10**6
            client = server.client()
            started = time.perf_counter()
            result = fetch.fetch_inbox(ctx, client)
            elapsed = time.perf_counter() - started
            client.logout()
            ctx.close()
    return elapsed, len(result.handled), peak_rss_mb()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "write":
        write_mail(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    if len(sys.argv) > 1:
        elapsed, handled, rss = one_pass(sys.argv[1] == "bounded")
        print(f"{elapsed:.2f} {handled} {rss:.1f}")
        return
    runs = {}
    for mode in ("bounded", "unbounded"):
        out = subprocess.run([sys.executable, __file__, mode], capture_output=True, text=True, check=True,
                             timeout=1200).stdout.split()
        runs[mode] = (float(out[0]), int(out[1]), float(out[2]))
    (ours, handled, rss), (base, _, base_rss) = runs["bounded"], runs["unbounded"]
    report("inbox fetch memory: 8 x 30 MB + 8 x 14 MB + 100 corpus messages in Dovecot", [
        ("peak RSS, 15 MB limit and 16 MB batches", f"{rss:.0f} MB",
         f"target <= 200 MB; {handled} handled, {ours:.1f} s"),
        ("peak RSS, no limit, 50 to a batch", f"{base_rss:.0f} MB", f"ratio {base_rss / rss:.1f}x; {base:.1f} s"),
    ])


if __name__ == "__main__":
    main()
