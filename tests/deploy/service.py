"""A unit's processes started as systemd would start them, in a throwaway folder instead of /var/lib and /etc.

Only the installed paths move: `/opt/bulletin-tui/venv/bin/bulletin-tui` becomes this venv's `bulletin-tui`,
`/var/lib/bulletin-tui` a temporary data folder and `/etc/bulletin-tui` a temporary settings folder holding the
shipped examples (bulletin-tui.env, config.example.toml as config.toml). The rest is the unit's: its Exec lines,
Environment= and EnvironmentFile= values, WorkingDirectory, UMask, and a clean environment like systemd's. Run as
root, the processes run as `nobody` (the stand-in for the service user) on a folder that user owns, the settings
root-owned and readable through the group only, as docs/deploy.md installs them. Stopping sends SIGTERM to every
process of the unit (a marker in their environment stands for the unit's control group: KillMode=control-group).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from .units import (
    CONFIG_EXAMPLE,
    ENV_EXAMPLE,
    UNIT_BIN,
    UNIT_DATA_DIR,
    UNIT_ETC_DIR,
    Unit,
    exec_argv,
    read_environment_file,
)

VENV_BIN = str(Path(sys.executable).with_name("bulletin-tui"))
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
MARKER = "BULLETIN_DEPLOY_TEST_UNIT"
"""Set in every process a test starts for a unit, so that all of them (children included) can be found."""
PASSED_THROUGH = ("BULLETIN_NOW", "BULLETIN_NOW_ANCHOR")
"""The suite's fixed clock (tests/conftest.py): the one thing the unit does not set that the children get."""


@dataclass(frozen=True)
class ServiceUser:
    name: str
    uid: int
    gid: int

    def become(self) -> None:
        """Run in the child before exec: this user, no supplementary groups, UMask=0077."""
        if os.geteuid() == 0 and self.uid != 0:
            os.setgroups([])
            os.setgid(self.gid)
            os.setuid(self.uid)
        os.umask(0o077)


def service_user() -> ServiceUser:
    """`nobody` when the tests run as root and that user can run this venv; else the user running the tests."""
    me = pwd.getpwuid(os.geteuid())
    current = ServiceUser(me.pw_name, me.pw_uid, me.pw_gid)
    if os.geteuid() != 0:
        return current
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        return current
    candidate = ServiceUser(nobody.pw_name, nobody.pw_uid, nobody.pw_gid)
    try:  # this venv's Python may live in a folder closed to others (pyenv under /root)
        probe = subprocess.run([VENV_BIN, "--help"], cwd="/", env={"PATH": SYSTEMD_PATH, "HOME": "/"},
                               capture_output=True, preexec_fn=candidate.become, check=False)
    except OSError:
        return current
    return candidate if probe.returncode == 0 else current


@dataclass
class Sandbox:
    """The installed layout of docs/deploy.md in a temporary folder."""

    root: Path
    user: ServiceUser

    @property
    def data_dir(self) -> Path:
        return self.root / "var-lib-bulletin-tui"

    @property
    def etc_dir(self) -> Path:
        return self.root / "etc-bulletin-tui"

    def place(self, text: str) -> str:
        """A path (or a command word) of the unit moved into the sandbox."""
        return (text.replace(UNIT_BIN, VENV_BIN).replace(UNIT_DATA_DIR, str(self.data_dir))
                .replace(UNIT_ETC_DIR, str(self.etc_dir)))

    def environment(self, unit: Unit, marker: str) -> dict[str, str]:
        """What systemd gives the unit's processes: its own variables, then Environment=, then EnvironmentFile=
        (which wins), plus the suite's fixed clock and the marker."""
        env = {"PATH": SYSTEMD_PATH, "LANG": "C.UTF-8", "HOME": "/", "USER": self.user.name,
               "LOGNAME": self.user.name, "SHELL": "/usr/sbin/nologin", "INVOCATION_ID": uuid.uuid4().hex,
               "STATE_DIRECTORY": str(self.data_dir)}
        env.update({name: self.place(value) for name, value in unit.environment().items()})
        for path in unit.values("EnvironmentFile"):
            env.update(read_environment_file(Path(self.place(path.removeprefix("-")))))
        env.update({name: os.environ[name] for name in PASSED_THROUGH if name in os.environ})
        env[MARKER] = marker
        return env

    def command(self, line: str, env: dict[str, str]) -> list[str]:
        argv = [self.place(word) for word in exec_argv(line, env)]
        assert not [w for w in argv if w.startswith(("/opt/", "/var/lib/", UNIT_ETC_DIR))], argv
        return argv

    def run(self, argv: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """One short command as the service user (ExecStartPre=, or a check an administrator runs)."""
        return subprocess.run(argv, cwd=self.data_dir, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout, preexec_fn=self.user.become, check=False)


@contextmanager
def sandbox(user: ServiceUser) -> Iterator[Sandbox]:
    """The data folder (0700, the service user's, with the demo loaded as that user) and the settings folder
    (root:service group 0750, files 0640): made in /tmp, since pytest's own folders are closed to other users."""
    root = Path(tempfile.mkdtemp(prefix="bulletin-deploy-"))
    try:
        os.chmod(root, 0o755)
        box = Sandbox(root, user)
        box.data_dir.mkdir(mode=0o700)
        box.etc_dir.mkdir(mode=0o750)
        shutil.copyfile(ENV_EXAMPLE, box.etc_dir / "bulletin-tui.env")
        shutil.copyfile(CONFIG_EXAMPLE, box.etc_dir / "config.toml")
        for path in (box.etc_dir / "bulletin-tui.env", box.etc_dir / "config.toml"):
            path.chmod(0o640)
        if os.geteuid() == 0:
            os.chown(box.data_dir, user.uid, user.gid)
            for path in (box.etc_dir, *box.etc_dir.iterdir()):
                os.chown(path, 0, user.gid)
        yield box
    finally:
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    log: Path
    marker: str

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, timeout: float) -> tuple[int, float]:
        """SIGTERM to every process of the unit; (the main process's exit code, seconds it took to exit)."""
        started = time.monotonic()
        for pid in unit_processes(self.marker):
            _signal(pid, signal.SIGTERM)
        code = self.process.wait(timeout=timeout)
        return code, time.monotonic() - started


@contextmanager
def started(box: Sandbox, unit: Unit, adjust: Callable[[list[str]], list[str]] = lambda argv: argv
            ) -> Iterator[Running]:
    """ExecStartPre= (each must succeed), then ExecStart= in the background; whatever is left at the end killed."""
    marker = uuid.uuid4().hex
    env = box.environment(unit, marker)
    for line in unit.values("ExecStartPre"):
        before = box.run(box.command(line, env), env)
        assert before.returncode == 0, (line, before.stderr)
    workdir = Path(box.place(unit.values("WorkingDirectory")[0])) if unit.values("WorkingDirectory") else Path("/")
    log = box.root / f"{unit.path.stem}.log"
    with open(log, "wb") as handle:
        process = subprocess.Popen(adjust(box.command(unit.value("ExecStart"), env)), cwd=workdir, env=env,
                                   stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT,
                                   preexec_fn=box.user.become)
    running = Running(process, log, marker)
    try:
        yield running
    finally:
        for pid in unit_processes(marker):
            _signal(pid, signal.SIGKILL)
        process.wait(timeout=10)


def unit_processes(marker: str) -> list[int]:
    """Live processes carrying this unit's marker (what systemd would find in the unit's control group)."""
    found = []
    wanted = f"{MARKER}={marker}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if wanted in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def wait_until_gone(marker: str, within: float) -> list[int]:
    """The unit's processes still alive after `within` seconds (none, when all have exited)."""
    deadline = time.monotonic() + within
    while (left := unit_processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _signal(pid: int, signum: int) -> None:
    with suppress(ProcessLookupError):  # it exited meanwhile
        os.kill(pid, signum)
