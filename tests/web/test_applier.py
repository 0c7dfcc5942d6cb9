"""`serve --config FILE` gives its applier process the same file, and a failing applier is seen: one warning line
in the server's log, its outcome in inbound/applier-status.json, and `bulletin-tui status` flags it (exit 1)."""

from __future__ import annotations

import json
from pathlib import Path

from bulletin_tui.config import Settings
from bulletin_tui.web.applier import read_outcome

from .conftest import PEOPLE, token_for
from .launch import cli, serving, wait_for
from .server import post

ONE_CLICK = b"List-Unsubscribe=One-Click"
BROKEN = '[smtp]\nport = "not a number"\n'
NO_CONFIG = {"BULLETIN_CONFIG": "/nonexistent/bulletin-tui.toml"}


def pending(data_dir: Path) -> int:
    status = cli(data_dir, "status", "--json", env=NO_CONFIG)
    return int(json.loads(status.stdout)["journal"]["pending"])


def test_the_applier_reads_the_config_serve_was_given_and_a_failure_is_reported(
        web_data: Path, settings: Settings, tmp_path: Path) -> None:
    config = tmp_path / "serve.toml"
    config.write_text('[sender]\nteam_name = "Kent Community Safety Team"\n')
    (tmp_path / "default.toml").write_text(BROKEN)  # what the applier would read without --config
    with serving(web_data, tmp_path / "serve.log", root_args=["--config", str(config)],
                 env={"BULLETIN_CONFIG": str(tmp_path / "default.toml")}) as server:
        assert post(f"{server.url}/u/{token_for(web_data, settings, PEOPLE[0])}", ONE_CLICK)[0] == 200
        assert wait_for(lambda: read_outcome(web_data) is not None, within=20), server.output()
        outcome = read_outcome(web_data)
        assert outcome is not None and outcome.ok, outcome
        assert pending(web_data) == 0

        config.write_text(BROKEN)  # edited into something the applier cannot read, while serve runs on
        assert post(f"{server.url}/u/{token_for(web_data, settings, PEOPLE[1])}", ONE_CLICK)[0] == 200
        assert wait_for(lambda: "journal applier failed" in server.output(), within=20), server.output()
        warnings = [line for line in server.output().splitlines() if "journal applier failed" in line]
        assert len(warnings) == 1 and "(exit 1)" in warnings[0] and "smtp.port" in warnings[0]

    failed = read_outcome(web_data)
    assert failed is not None and not failed.ok and failed.exit_code == 1 and "smtp.port" in failed.message
    assert oct((web_data / "inbound" / "applier-status.json").stat().st_mode & 0o777) == "0o600"
    status = cli(web_data, "status", env=NO_CONFIG)
    assert status.returncode == 1
    assert f"Applier: FAILED at {failed.at} (exit 1): " in status.stdout and "1 pending" in status.stdout
