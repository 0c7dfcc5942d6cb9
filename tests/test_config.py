"""Settings come from the file and BULLETIN_* variables; secrets never from a file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin_tui.config import load_settings
from bulletin_tui.domain.errors import DomainError


def test_file_then_environment_then_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[smtp]\nhost = "mail.example.org"\nport = 2525\n[limits]\nrate_per_minute = 20\n')
    monkeypatch.setenv("BULLETIN_LIMITS__RATE_PER_MINUTE", "10")
    monkeypatch.setenv("BULLETIN_SMTP__PASSWORD", "s3cret")
    settings = load_settings(config, data_dir=tmp_path / "flag-dir")
    assert (settings.smtp.host, settings.smtp.port) == ("mail.example.org", 2525)
    assert settings.limits.rate_per_minute == 10
    assert settings.smtp.password.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(settings) and "s3cret" not in settings.model_dump_json()
    assert settings.data_dir == tmp_path / "flag-dir"


def test_a_password_in_the_file_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[smtp]\npassword = "oops"\n')
    with pytest.raises(DomainError, match="BULLETIN_SMTP__PASSWORD"):
        load_settings(config)


def test_bad_values_name_the_field(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[limits]\nconcurrency = 0\n')
    with pytest.raises(DomainError, match="limits.concurrency"):
        load_settings(config)


@pytest.mark.parametrize("text", [
    '[SMTP]\npassword = "oops"\n', '[Smtp]\nPassword = "oops"\n', '[smtp]\nPASSWORD = "oops"\n',
    '[oauth]\nclient_secret = "oops"\n', '[OAuth]\nClient_Secret = "oops"\n', '[imap]\npassword = "oops"\n',
    '[Imap]\nPassWord = "oops"\n', 'token = "oops"\n', '[smtp]\nsmtp-password = "oops"\n',
    '[mystery.deeper]\nsecret = "oops"\n',
])
def test_secrets_in_the_file_are_refused_in_any_section_and_case(tmp_path: Path, text: str) -> None:
    """Issue #11 item 12: the refusal does not depend on letter case, and covers every secret-looking key."""
    config = tmp_path / "config.toml"
    config.write_text(text)
    with pytest.raises(DomainError, match="must not be in a file") as refused:
        load_settings(config)
    assert "oops" not in str(refused.value) and "BULLETIN_" in str(refused.value)


def test_a_secret_in_the_file_is_refused_by_the_cli_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[Smtp]\nhost = "127.0.0.1"\nPassword = "hunter2"\n')
    result = subprocess.run([sys.executable, "-m", "bulletin_tui", "--config", str(config), "--data-dir",
                             str(tmp_path / "data"), "bulletin", "list"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "Smtp.Password must not be in a file" in result.stderr and "BULLETIN_SMTP__PASSWORD" in result.stderr
    assert "hunter2" not in result.stderr and not (tmp_path / "data").exists()


def test_environment_reads_sections_lists_and_any_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("bulletin_sender__team_name", "Kent CST")
    monkeypatch.setenv("BULLETIN_BULLETIN__REMINDER_HOURS", "[48, 2]")
    monkeypatch.setenv("BULLETIN_SMTP__SECURITY", "tls")
    monkeypatch.setenv("BULLETIN_CONFIG", str(tmp_path / "none.toml"))  # not a setting: left alone
    monkeypatch.setenv("BULLETIN_SMTP__NOT_A_KEY", "x")
    settings = load_settings(tmp_path / "none.toml")
    assert settings.sender.team_name == "Kent CST" and settings.bulletin.reminder_hours == [48, 2]
    assert settings.smtp.security == "tls"


def test_bad_environment_values_name_the_variable_or_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_BULLETIN__REMINDER_HOURS", "24, 2")
    with pytest.raises(DomainError, match="BULLETIN_BULLETIN__REMINDER_HOURS is not valid JSON"):
        load_settings(tmp_path / "none.toml")
    monkeypatch.delenv("BULLETIN_BULLETIN__REMINDER_HOURS")
    monkeypatch.setenv("BULLETIN_LIMITS__CONCURRENCY", "lots")
    with pytest.raises(DomainError, match="limits.concurrency"):
        load_settings(tmp_path / "none.toml")


def test_settings_load_without_pydantic_settings(tmp_path: Path) -> None:
    """Start-up: pydantic-settings cost ~0.18 s to import; the settings no longer need it."""
    code = "import sys; import bulletin_tui.config as c; c.load_settings(); print('pydantic_settings' in sys.modules)"
    env = {**os.environ, "BULLETIN_CONFIG": str(tmp_path / "none.toml"), "BULLETIN_SMTP__PORT": "2525"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip() == "False"


def test_a_json_section_and_a_section_key_combine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_SMTP__PORT", "2525")
    monkeypatch.setenv("BULLETIN_SMTP", '{"host": "mail.example.org", "port": 25}')
    settings = load_settings(tmp_path / "none.toml")
    assert (settings.smtp.host, settings.smtp.port) == ("mail.example.org", 2525)
