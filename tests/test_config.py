"""Settings come from the file and BULLETIN_* variables; secrets never from a file."""

from __future__ import annotations

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
