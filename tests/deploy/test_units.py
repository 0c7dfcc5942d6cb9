"""What deploy/systemd/ promises (docs/deploy.md): the service user, the data folder, the command lines, the
hardening; checked by reading the files and by systemd's own tools where this machine has them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bulletin_tui.config import load_settings

from .units import (
    CONFIG_EXAMPLE,
    ENV_EXAMPLE,
    SERVE_UNIT,
    SYSTEMD,
    UNIT_BIN,
    WORKER_UNIT,
    parse_unit,
    read_environment_file,
    seconds,
)

UNITS = [SERVE_UNIT, WORKER_UNIT]
EXEC_START = {
    SERVE_UNIT: f"{UNIT_BIN} --data-dir /var/lib/bulletin-tui serve --host 127.0.0.1 --port 8080 "
                "--base-url ${BULLETIN_BASE_URL}",
    WORKER_UNIT: f"{UNIT_BIN} --data-dir /var/lib/bulletin-tui worker",
}
SERVICE = {
    "User": "bulletin-tui", "Group": "bulletin-tui",
    "EnvironmentFile": "/etc/bulletin-tui/bulletin-tui.env",
    "StateDirectory": "bulletin-tui", "StateDirectoryMode": "0700", "UMask": "0077",
    "WorkingDirectory": "/var/lib/bulletin-tui",
    "Restart": "on-failure", "KillSignal": "SIGTERM",
}
HARDENING = {
    "NoNewPrivileges": "yes", "CapabilityBoundingSet": "", "AmbientCapabilities": "",
    "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes", "PrivateDevices": "yes",
    "PrivateMounts": "yes", "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes",
    "ProtectKernelLogs": "yes", "ProtectControlGroups": "yes", "ProtectClock": "yes", "ProtectHostname": "yes",
    "ProtectProc": "invisible", "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6", "RestrictNamespaces": "yes",
    "RestrictRealtime": "yes", "RestrictSUIDSGID": "yes", "LockPersonality": "yes", "RemoveIPC": "yes",
    "SystemCallArchitectures": "native", "SystemCallErrorNumber": "EPERM",
}
SECRET_NAMES = ("BULLETIN_SMTP__PASSWORD", "BULLETIN_IMAP__PASSWORD", "BULLETIN_OAUTH__CLIENT_SECRET")


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.stem)
def test_unit_runs_the_documented_command_as_the_service_user_on_the_data_folder(path: Path) -> None:
    unit = parse_unit(path)
    assert unit.value("ExecStart") == EXEC_START[path]
    assert {key: unit.value(key) for key in SERVICE} == SERVICE
    assert unit.environment()["BULLETIN_CONFIG"] == "/etc/bulletin-tui/config.toml"
    assert 0 < seconds(unit.value("TimeoutStopSec")) <= 120
    assert unit.value("WantedBy", "Install") == "multi-user.target"


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.stem)
def test_unit_is_hardened(path: Path) -> None:
    unit = parse_unit(path)
    assert {key: unit.value(key) for key in HARDENING} == HARDENING
    assert unit.values("SystemCallFilter") == ["@system-service", "~@privileged"]
    assert not unit.values("ReadWritePaths") and not unit.values("DynamicUser")  # only the StateDirectory writes


def test_serve_listens_on_loopback_only_and_checks_its_base_url_first() -> None:
    unit = parse_unit(SERVE_UNIT)
    command = unit.value("ExecStart").split()
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert "--forwarded-allow-ips" not in command  # its default, 127.0.0.1: the proxy on this machine
    assert "https://" in unit.value("ExecStartPre") and "BULLETIN_BASE_URL" in unit.value("ExecStartPre")


def test_environment_example_holds_the_base_url_and_no_secret_value() -> None:
    found = read_environment_file(ENV_EXAMPLE)
    assert found["BULLETIN_BASE_URL"].startswith("https://")
    assert found["PYTHON_KEYRING_BACKEND"] == "keyring.backends.null.Keyring"
    assert not set(SECRET_NAMES) & set(found)  # named (commented out) for the administrator to fill in
    text = ENV_EXAMPLE.read_text()
    assert all(f"#{name}=\n" in text for name in SECRET_NAMES)


def test_config_example_is_valid_as_shipped_and_with_the_mailbox_uncommented(tmp_path: Path) -> None:
    shipped = load_settings(CONFIG_EXAMPLE)
    assert shipped.smtp.host == ""  # the outbox until someone sets up the mailbox: nothing leaves by accident
    assert shipped.sender.unsubscribe_url.startswith(read_environment_file(ENV_EXAMPLE)["BULLETIN_BASE_URL"])
    lines = CONFIG_EXAMPLE.read_text().splitlines()
    uncommented = [line[1:] if re.match(r"#(\[|\w+ = |$)", line) else line for line in lines]
    assert uncommented != lines
    (tmp_path / "config.toml").write_text("\n".join(uncommented))
    full = load_settings(tmp_path / "config.toml")
    assert (full.smtp.host, full.smtp.auth, full.oauth.mode, full.imap.host) == (
        "smtp.office365.com", "oauth2", "app", "outlook.office365.com")


def throwaway_root(tmp_path: Path) -> Path:
    """A root for systemd's tools: this machine's unit library, the units, stand-ins for the commands they run."""
    root = tmp_path / "root"
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    for path in UNITS:
        (root / "etc/systemd/system").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, root / "etc/systemd/system" / path.name)
    for command in (UNIT_BIN, "/bin/sh"):
        stand_in = root / command.lstrip("/")
        stand_in.parent.mkdir(parents=True, exist_ok=True)
        stand_in.write_text("#!/bin/sh\n")
        stand_in.chmod(0o755)
    return root


needs_systemd_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None or not Path("/usr/lib/systemd/system").is_dir(),
    reason="systemd-analyze (and a unit library) not on this machine")


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["systemd-analyze", *args], capture_output=True, text=True, timeout=60, check=False)


@needs_systemd_analyze
def test_systemd_analyze_verify_finds_nothing_to_say(tmp_path: Path) -> None:
    root = throwaway_root(tmp_path)
    checked = analyze("verify", f"--root={root}", *(path.name for path in UNITS))
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")
    # ... and it would: a key systemd does not know is reported (it exits 0 then, hence the empty-output check).
    broken = root / "etc/systemd/system" / SERVE_UNIT.name
    broken.write_text(broken.read_text().replace("ProtectClock=yes", "ProtectClocks=yes"))
    complaint = analyze("verify", f"--root={root}", SERVE_UNIT.name)
    assert "Unknown key 'ProtectClocks'" in complaint.stderr


@needs_systemd_analyze
@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.stem)
def test_systemd_analyze_security_rates_the_exposure_ok(tmp_path: Path, path: Path) -> None:
    root = throwaway_root(tmp_path)
    rated = analyze("security", "--offline=true", f"--root={root}", "--no-pager", path.name)
    exposure = re.search(r"Overall exposure level for \S+: (\d+\.\d+) (\w+)", rated.stdout)
    assert exposure, rated.stdout + rated.stderr
    assert float(exposure[1]) <= 2.0 and exposure[2] == "OK", exposure[0]  # systemd's scale: 0 safe ... 10 unsafe


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("systemd-sysusers") is None
                    or shutil.which("systemd-tmpfiles") is None,
                    reason="needs root (chown) and systemd-sysusers/systemd-tmpfiles")
def test_sysusers_and_tmpfiles_make_the_user_and_private_folders(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    for tool, conf in (("systemd-sysusers", "bulletin-tui.sysusers.conf"),
                       ("systemd-tmpfiles", "bulletin-tui.tmpfiles.conf")):
        extra = ["--create"] if tool == "systemd-tmpfiles" else []
        done = subprocess.run([tool, *extra, f"--root={root}", str(SYSTEMD / conf)], capture_output=True,
                              text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
    users = {line.split(":")[0]: line.split(":") for line in (root / "etc/passwd").read_text().splitlines()}
    user = users["bulletin-tui"]
    assert user[6] == "/usr/sbin/nologin" and 0 < int(user[2]) < 1000  # a system user that cannot log in
    data, etc = (root / "var/lib/bulletin-tui").stat(), (root / "etc/bulletin-tui").stat()
    assert (data.st_mode & 0o7777, data.st_uid, data.st_gid) == (0o700, int(user[2]), int(user[3]))
    assert (etc.st_mode & 0o7777, etc.st_uid, etc.st_gid) == (0o750, 0, int(user[3]))
