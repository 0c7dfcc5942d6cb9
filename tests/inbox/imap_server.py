"""A real Dovecot IMAP server for tests: started from a temp config on a free loopback port, stopped after.

Dovecot refuses uid 0 for mail, so mail runs as `nobody`, and its Maildir lives in a 0755 folder of its own
(pytest's tmp_path sits inside a 0700 folder `nobody` cannot enter). Users sign in with a plain password.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "kcst", "test-password-not-secret"

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 1
default_internal_user = dovecot
default_login_user = dovenull
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


def available() -> bool:
    return os.path.exists(DOVECOT)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen[bytes]
    user: str = USER
    password: str = PASSWORD

    @property
    def maildir(self) -> Path:
        return self.root / "mail" / self.user

    def deliver(self, raw: bytes, folder: str = "") -> None:
        """Put a message straight into the Maildir (as a delivery agent would): `new/`, owned by nobody."""
        target = self.maildir / (f".{folder}" if folder else "") / "new"
        target.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns()}.{os.getpid()}.test"
        path = target / name
        path.write_bytes(raw.replace(b"\r\n", b"\n"))
        for p in (path, target, target.parent):
            os.chown(p, 65534, 65534)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


@contextmanager
def running_dovecot() -> Iterator[Dovecot]:
    root = Path(tempfile.mkdtemp(prefix="bt-dovecot-"))
    os.chmod(root, 0o755)
    try:
        (root / "mail").mkdir(mode=0o755)
        os.chown(root / "mail", 65534, 65534)
        (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        port = _free_port()
        config = root / "dovecot.conf"
        config.write_text(CONFIG.format(root=root, port=port))
        process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        server = Dovecot(root, port, process)
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    if conn.recv(200).startswith(b"* OK"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise RuntimeError(f"dovecot did not start: {output} {server.log()}")
            time.sleep(0.05)
        try:
            yield server
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    finally:
        shutil.rmtree(root, ignore_errors=True)
