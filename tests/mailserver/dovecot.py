"""A real Dovecot IMAP server for tests, started from a temporary config on free loopback ports.

    with running_dovecot(introspect, cert=..., key=..., passwords={"user@x": "pw"}) as server:
        server.deliver("user@x", message_bytes)         # straight into that user's Maildir
        ... imaplib to 127.0.0.1:server.imaps_port (implicit TLS) or server.imap_port (STARTTLS)

XOAUTH2 is checked by Dovecot's `passdb oauth2` with `introspection_mode = post` against a small local HTTP
endpoint that calls `introspect(token) -> username | None` (the test decides what a valid token is); passwords
come from a passwd-file. Dovecot refuses to run mail processes as root, so when the tests run as root the
mail user is `nobody` and the Maildirs live under a 0755 temp folder (never below a 0700 one such as pytest's
tmp_path); otherwise everything runs as the current user.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

Introspect = Callable[[str], "str | None"]


def dovecot_binary() -> str | None:
    """The dovecot master binary, or None when Debian's dovecot-imapd is not installed."""
    return shutil.which("dovecot") or (("/usr/sbin/dovecot") if Path("/usr/sbin/dovecot").exists() else None)


@dataclass
class Dovecot:
    host: str
    imap_port: int
    """Plain IMAP with STARTTLS (Dovecot refuses sign-in before TLS)."""
    imaps_port: int
    """Implicit TLS."""
    root: Path
    log_path: Path
    mail_user: str
    introspections: list[str]
    """The usernames introspection answered with ('' for a refused token), in order."""

    def maildir(self, user: str) -> Path:
        return self.root / "mail" / user / "Maildir"

    def deliver(self, user: str, message: bytes) -> Path:
        """Put a message into the user's INBOX (Maildir `new/`), owned by the mail user."""
        folder = self.maildir(user)
        for sub in ("tmp", "new", "cur"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        path = folder / "new" / f"{time.time():.6f}.{uuid.uuid4().hex}.test"
        path.write_bytes(message)
        _chown_tree(self.root / "mail" / user, self.mail_user)
        return path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _mail_user() -> tuple[str, str]:
    if os.geteuid() == 0:
        return "nobody", grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
    entry = pwd.getpwuid(os.geteuid())
    return entry.pw_name, grp.getgrgid(entry.pw_gid).gr_name


def _chown_tree(path: Path, user: str) -> None:
    if os.geteuid() != 0:
        return
    entry = pwd.getpwnam(user)
    for folder, dirs, files in os.walk(path):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            os.chown(name, entry.pw_uid, entry.pw_gid)


class _IntrospectionHandler(BaseHTTPRequestHandler):
    server: _IntrospectionServer

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        token = parse_qs(self.rfile.read(length).decode()).get("token", [""])[0]
        user = self.server.introspect(token)
        self.server.answers.append(user or "")
        body = json.dumps({"active": "true", "username": user} if user else {"active": "false"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _IntrospectionServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, introspect: Introspect) -> None:
        super().__init__(("127.0.0.1", 0), _IntrospectionHandler)
        self.introspect, self.answers = introspect, []
        self.answers: list[str]


CONFIG = """\
instance_name = bulletin-test-{imap_port}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = yes
auth_mechanisms = plain xoauth2 oauthbearer
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 0
mail_location = maildir:{root}/mail/%u/Maildir
mail_uid = {user}
mail_gid = {group}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf.ext
}}
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""

OAUTH2 = """\
introspection_mode = post
introspection_url = http://127.0.0.1:{port}/introspect
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
"""


def _write_config(root: Path, cert: Path, key: Path, introspection_port: int, passwords: dict[str, str],
                  ports: tuple[int, int]) -> Path:
    user, group = _mail_user()
    (root / "mail").mkdir()
    shutil.copy(cert, root / "cert.pem")
    shutil.copy(key, root / "key.pem")
    (root / "oauth2.conf.ext").write_text(OAUTH2.format(port=introspection_port))
    (root / "passwd").write_text("".join(f"{name}:{{PLAIN}}{secret}\n" for name, secret in passwords.items()))
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, cert=root / "cert.pem", key=root / "key.pem", user=user, group=group,
                                    imap_port=ports[0], imaps_port=ports[1]))
    _chown_tree(root / "mail", user)
    return config


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited ({process.returncode}): {log.read_text(errors='replace')[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"dovecot did not listen on {port} within {timeout} s")


@contextmanager
def running_dovecot(introspect: Introspect, *, cert: Path, key: Path,
                    passwords: dict[str, str] | None = None) -> Iterator[Dovecot]:
    """Dovecot on two free loopback ports (STARTTLS and implicit TLS); stopped and removed afterwards."""
    binary = dovecot_binary()
    if binary is None:
        raise RuntimeError("dovecot is not installed (Debian: apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="bulletin-dovecot-"))
    root.chmod(0o755)  # the unprivileged mail user must reach its Maildir
    introspection = _IntrospectionServer(introspect)
    thread = threading.Thread(target=introspection.serve_forever, daemon=True)
    thread.start()
    ports = (_free_port(), _free_port())
    config = _write_config(root, cert, key, introspection.server_address[1], passwords or {}, ports)
    process = subprocess.Popen([binary, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_port(ports[0], process, root / "dovecot.log")
        _wait_for_port(ports[1], process, root / "dovecot.log")
        yield Dovecot("127.0.0.1", ports[0], ports[1], root, root / "dovecot.log", _mail_user()[0],
                      introspection.answers)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if process.stderr is not None:
            process.stderr.close()
        introspection.shutdown()
        introspection.server_close()
        thread.join(5)
        shutil.rmtree(root, ignore_errors=True)
