"""Settings: one model of nested sections, from config.toml and `BULLETIN_*` variables. No secrets on disk.

The environment is read here (`environment_values`) rather than by pydantic-settings: importing that library
cost ~0.18 s of every start-up (see the README's start-up benchmark).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_origin

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from .domain.errors import DomainError, describe_validation_error
from .locations import config_file, default_data_dir


class SenderSettings(BaseModel):
    team_name: str = "Kent Community Safety Team"
    """Shown in the masthead, the From name and the footer."""
    from_address: str = "kentcommunitysafetyteam@kent.gov.uk"
    """The team mailbox messages come from (and the ORGANIZER of invites)."""
    reply_to: str = ""
    """Where replies go; empty means the from address."""
    telephone: str = "03000 410234"
    """Contact telephone in the footer and accessibility statement."""
    list_id_domain: str = "kcst.bulletin.invalid"
    """Domain part of the List-Id header."""
    unsubscribe_url: str = ""
    """Optional https base for one-click unsubscribe; the token is appended."""
    archive_url: str = ""
    """Optional base URL of the archive ("view online"); the issue slug is appended."""
    operator_address: str = ""
    """The operator's own address for test sends."""


class SmtpSettings(BaseModel):
    host: str = ""
    """SMTP server; empty means the outbox transport (write .eml files only)."""
    port: int = 587
    security: Literal["starttls", "tls", "none"] = "starttls"
    """starttls (required), implicit tls, or none (only to loopback or with allow_plaintext)."""
    username: str = ""
    password: SecretStr = SecretStr("")
    """Only from BULLETIN_SMTP__PASSWORD; never read from or written to a file."""
    allow_plaintext: bool = False
    timeout: float = 60.0
    """Seconds to wait for a command reply."""
    data_timeout: float = 300.0
    """Seconds to wait for the reply to the end of DATA (slow servers)."""


class LimitSettings(BaseModel):
    rate_per_minute: int = Field(default=30, ge=0)
    """Messages per rolling minute (0 = no limit). Microsoft 365 allows 30."""
    rate_per_day: int = Field(default=10_000, ge=0)
    """Messages per rolling 24 hours (0 = no limit). Microsoft 365 allows 10,000."""
    concurrency: int = Field(default=2, ge=1, le=32)
    """SMTP connections used at once."""
    max_consecutive_errors: int = Field(default=5, ge=1)
    """Pause the campaign after this many errors in a row."""
    max_retries: int = Field(default=5, ge=0)
    """Attempts for a temporarily refused message before it is left deferred."""


class BulletinSettings(BaseModel):
    upcoming_sessions_days: int = Field(default=60, ge=0)
    """Sessions starting within this many days appear in the bulletin."""
    size_warning_kb: int = Field(default=90, ge=1)
    """Warn when the HTML exceeds this (Gmail clips at 102 KB)."""
    reminder_hours: list[int] = Field(default_factory=lambda: [24])
    """Hours before a session that reminders go out."""


ENV_PREFIX, ENV_NESTED_DELIMITER = "BULLETIN_", "__"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_dir: Path = Field(default_factory=default_data_dir)
    """Folder with the database, backups, ledgers and outbox."""
    templates_dir: Path | None = None
    """A folder of the user's own templates (same names as the built-in ones)."""
    sender: SenderSettings = Field(default_factory=SenderSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    bulletin: BulletinSettings = Field(default_factory=BulletinSettings)

    @field_validator("data_dir", "templates_dir")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value else value


def read_config_file(path: Path) -> dict[str, Any]:
    """The TOML file's contents; refuses secrets written into it."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DomainError(f"{path}: {exc}") from None
    if "password" in data.get("smtp", {}):
        raise DomainError(f"{path}: smtp.password must not be in a file; set BULLETIN_SMTP__PASSWORD instead")
    return data


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """File values, then `BULLETIN_*` environment variables, then explicit overrides (CLI flags)."""
    path = path or config_file()
    file_values = read_config_file(path)
    try:
        merged = _deep_merge(file_values, environment_values())
        merged.update({k: v for k, v in overrides.items() if v is not None})
        return Settings(**merged)
    except ValidationError as exc:
        raise DomainError(f"settings: {describe_validation_error(exc)}") from None


def environment_values(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`BULLETIN_SECTION__KEY=value` as {"section": {"key": value}}, for the fields Settings has.

    Names are case-insensitive; a list or a whole section is given as JSON (as pydantic-settings read them); other
    variables (BULLETIN_CONFIG, unknown names) are left alone; values are validated with the rest of the settings.
    """
    found: dict[str, Any] = {}
    for name, value in (os.environ if environ is None else environ).items():
        if not name.upper().startswith(ENV_PREFIX):
            continue
        path = name[len(ENV_PREFIX):].lower().split(ENV_NESTED_DELIMITER)
        model: type[BaseModel] | None = Settings
        target = found
        for depth, key in enumerate(path):
            field = model.model_fields.get(key) if model else None
            if field is None:
                break
            annotation = field.annotation
            if depth == len(path) - 1:
                parsed = _json_if_complex(name, value, annotation)
                both = isinstance(parsed, dict) and isinstance(target.get(key), dict)
                target[key] = _deep_merge(parsed, target[key]) if both else parsed  # SECTION__KEY wins
                break
            model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
            target = target.setdefault(key, {})
    return found


def _json_if_complex(name: str, value: str, annotation: Any) -> Any:
    """Lists, dicts and sections come as JSON; everything else stays text for the model to parse."""
    complex_value = get_origin(annotation) in (list, dict) or (
        isinstance(annotation, type) and issubclass(annotation, BaseModel))
    if not complex_value:
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise DomainError(f"settings: {name} must be JSON (e.g. [24, 2])") from None


def _deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out
