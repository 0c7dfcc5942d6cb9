"""Issue #11 items 10 (settings part) and 13: a bad BULLETIN_* variable or setting value is one line naming the
setting; web addresses are https (http only to loopback); no setting holds a control character."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_tui.config import Settings, load_settings
from bulletin_tui.domain.errors import DomainError

from .helpers import fingerprint, one_line_error, run_cli, run_main

REFUSED_URLS = ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,hi", "http://example.org/u/",
                "https://", "//example.org/u/", "example.org/u/", "https://example.org/u/\r\nBcc: x@example.org",
                "https://example.org/u/ x", "mailto:someone@example.org", "ftp://example.org/"]
ACCEPTED_URLS = ["", "https://example.org/unsubscribe/", "https://example.org/u/{token}", "https://EXAMPLE.org/a?t={token}",
                 "http://127.0.0.1:8080/u/", "http://localhost:8000/u/{token}", "http://[::1]:8000/u/"]


@pytest.mark.parametrize("field", ["unsubscribe_url", "archive_url"])
@pytest.mark.parametrize("url", REFUSED_URLS)
def test_unsafe_web_addresses_are_refused(field: str, url: str) -> None:
    with pytest.raises(DomainError, match=f"sender.{field}"):
        load_settings(Path("/nonexistent/config.toml"), sender={field: url})


@pytest.mark.parametrize("field", ["unsubscribe_url", "archive_url"])
@pytest.mark.parametrize("url", ACCEPTED_URLS)
def test_https_and_loopback_http_addresses_are_kept_as_written(field: str, url: str) -> None:
    settings = load_settings(Path("/nonexistent/config.toml"), sender={field: url})
    assert getattr(settings.sender, field) == url


@pytest.mark.parametrize(("section", "field"), [
    ("sender", "telephone"), ("sender", "team_name"), ("sender", "from_address"), ("sender", "reply_to"),
    ("sender", "list_id_domain"), ("smtp", "host"), ("smtp", "username"), ("smtp", "password"),
])
@pytest.mark.parametrize("char", ["\r\n", "\n", "\r", "\x00", "\t", "\x85", "\u2028"])
def test_control_characters_are_refused_in_every_text_setting(section: str, field: str, char: str) -> None:
    with pytest.raises(DomainError, match=f"{section}.{field} must not contain control characters") as refused:
        load_settings(Path("/nonexistent/config.toml"), **{section: {field: f"03000{char}Bcc: x@example.org"}})
    assert "Bcc" not in str(refused.value), "the value itself (maybe a secret) is never echoed"


def test_every_section_is_covered_including_ones_added_later() -> None:
    """The check walks the whole model, so a section another change adds is covered without listing it."""
    assert all(name in {"data_dir", "templates_dir"} or hasattr(info.annotation, "model_fields")
               for name, info in Settings.model_fields.items())


def test_a_non_json_section_variable_is_one_line(data_dir: Path) -> None:
    before = fingerprint(data_dir)
    result = run_cli(data_dir, "bulletin", "list", env={"BULLETIN_SMTP": "not json"})
    one_line_error(result, "BULLETIN_SMTP is not valid JSON", "BULLETIN_SMTP__HOST")
    assert fingerprint(data_dir) == before


@pytest.mark.parametrize(("setting", "value", "needle"), [
    ("unsubscribe_url", "javascript:alert(document.cookie)", "sender.unsubscribe_url: must be an https:// URL"),
    ("archive_url", "javascript:alert(1)", "sender.archive_url: must be an https:// URL"),
    ("telephone", "03000 410234\r\nBcc: everyone@example.org", "sender.telephone must not contain control"),
])
def test_a_bad_value_in_the_config_file_is_refused_before_anything_is_written(
    data_dir: Path, tmp_path: Path, setting: str, value: str, needle: str
) -> None:
    config = tmp_path / "config.toml"
    escaped = value.replace("\r", "\\r").replace("\n", "\\n")
    config.write_text(f'[sender]\n{setting} = "{escaped}"\n', encoding="utf-8")
    before = fingerprint(data_dir)
    out = tmp_path / "render"
    result = run_main(data_dir, "bulletin", "render", "2026-11", "--out", str(out), config=config)
    one_line_error(result, needle, str(config))
    assert fingerprint(data_dir) == before and not out.exists()


def test_a_non_json_list_variable_is_named(data_dir: Path) -> None:
    result = run_main(data_dir, "bulletin", "list", env={"BULLETIN_BULLETIN__REMINDER_HOURS": "24 hours"})
    one_line_error(result, "BULLETIN_BULLETIN__REMINDER_HOURS is not valid JSON")


def test_the_one_line_stays_one_line_when_a_path_holds_a_line_break(tmp_path: Path) -> None:
    odd = tmp_path / "two\nlines"
    one_line_error(run_cli(odd, "bulletin", "list"), "two\\nlines")
    assert not odd.exists()
