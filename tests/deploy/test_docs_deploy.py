"""docs/deploy.md stays true: the files it installs exist, the proxy rule it gives forwards every public route of
the web face and nothing else, and its command lines are the units' own."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.routing import Mount

from bulletin_tui.config import Settings
from bulletin_tui.web.app import make_web_app

from .units import ROOT, SERVE_UNIT, UNIT_BIN, UNIT_DATA_DIR, parse_unit

DOC = ROOT / "docs" / "deploy.md"
NOT_PUBLIC = {"/healthz"}


def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_repository_path_it_names_exists() -> None:
    named = set(re.findall(r"`((?:deploy|docs|tests)/[^`\s]*)`", doc()))
    assert len(named) >= 10
    assert sorted(path for path in named if not (ROOT / path).exists()) == []
    assert "## Where data lives" in (ROOT / "README.md").read_text()  # the link for secret.key


def nginx_paths() -> re.Pattern[str]:
    (rule,) = re.findall(r"location ~ (\S+) \{", doc())
    return re.compile(rule)


def public_routes(tmp_path: Path) -> list[str]:
    """Every route of the web face (the archive mounted too), a sample path for each."""
    (tmp_path / "archive").mkdir()
    app = make_web_app(Settings(data_dir=tmp_path / "data"), base_url="https://bulletin.example.org",
                       archive_dir=tmp_path / "archive")
    samples = [re.sub(r"\{[^}]+\}", "x", route.path) + ("/x" if isinstance(route, Mount) else "")
               for route in app.routes]  # type: ignore[attr-defined]
    assert {"/healthz", "/u/x", "/static/x", "/bulletins/x"} <= set(samples)
    return samples


def test_the_proxy_rule_forwards_the_public_routes_and_nothing_else(tmp_path: Path) -> None:
    rule = nginx_paths()
    routes = public_routes(tmp_path)
    assert [path for path in routes if path not in NOT_PUBLIC and not rule.match(path)] == []
    refused = ["/healthz", "/healthz/", "/web-apply", "/subscribers", "/x", "/.git/config", "/sessionsX"]
    assert [path for path in refused if rule.match(path)] == []
    table = doc().split("## The public routes behind the reverse proxy")[1].split("##")[0]
    for prefix in ("/u/", "/p/", "/subscribe", "/confirm/", "/sessions/", "/static/", "/bulletins/"):
        assert f"`{prefix}" in table, prefix


def test_its_command_lines_are_the_units() -> None:
    text = doc()
    serve = parse_unit(SERVE_UNIT).value("ExecStart")
    (override,) = re.findall(r"^ExecStart=(\S.*)$", text, re.M)
    assert override.replace("--host 10.0.0.5", "--host 127.0.0.1").removesuffix(
        " --forwarded-allow-ips 10.0.0.9") == serve
    assert f"sudo -u bulletin-tui {UNIT_BIN} --data-dir {UNIT_DATA_DIR}" in text
    assert "systemctl enable --now bulletin-tui-serve bulletin-tui-worker" in text
