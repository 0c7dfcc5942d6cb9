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

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from .config_checks import (
    first_control_character,
    offset_hours,
    onmicrosoft_sender,
    reminder_offsets,
    secret_keys,
    web_address,
)
from .config_retention import RetentionSettings
from .domain.errors import DomainError, describe_validation_error
from .locations import config_file, default_data_dir

NO_SENDER_DOMAIN = "kcst.bulletin.invalid"
"""Used only when no sender is configured (and by the demo): a reserved name that can never be real."""


class SenderSettings(BaseModel):
    team_name: str = "Kent Community Safety Team"
    """Shown in the masthead, the From name and the footer."""
    from_address: str = "kentcommunitysafetyteam@kent.gov.uk"
    """The team mailbox messages come from (and the ORGANIZER of invites)."""
    reply_to: str = ""
    """Where replies go; empty means the from address."""
    telephone: str = "03000 410234"
    """Contact telephone in the footer and accessibility statement."""
    list_id_domain: str = ""
    """Domain of List-Id, invite Message-IDs and session UIDs; empty means the from address's domain."""
    unsubscribe_url: str = ""
    """Optional https base for one-click unsubscribe: `/TOKEN` is appended, or `{token}` in it is replaced."""
    archive_url: str = ""
    """Optional base URL of the archive ("view online"); the issue slug is appended."""
    operator_address: str = ""
    """The operator's own address for test sends."""
    privacy_notice_url: str = ""
    """The council's privacy notice (https), linked from every e-mail footer and web page; a public body should
    publish one (`mail check` and `bulletin check` warn while it is empty)."""

    @field_validator("unsubscribe_url", "archive_url", "privacy_notice_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        return web_address(value)
    @property
    def identity_domain(self) -> str:
        """The domain that names this sender's lists and messages: `list_id_domain`, else the from address's."""
        chosen = self.list_id_domain.strip() or self.from_address.rpartition("@")[2].strip()
        if not chosen:
            return NO_SENDER_DOMAIN
        try:
            return chosen.encode("idna").decode("ascii").lower()
        except UnicodeError:
            return chosen.lower()


class SmtpSettings(BaseModel):
    host: str = ""
    """SMTP server; empty means the outbox transport (write .eml files only)."""
    provider: Literal["", "microsoft365"] = ""
    """A known service whose settings fill what is not set: microsoft365 = smtp.office365.com:587, STARTTLS,
    OAuth2, 25/minute, 9,000 per 24 hours, 3 connections (docs/microsoft-365.md). Explicit settings win."""
    port: int = 587
    security: Literal["starttls", "tls", "none"] = "starttls"
    """starttls (required), implicit tls, or none (only to loopback or with allow_plaintext)."""
    username: str = ""
    """The mailbox to sign in as (with oauth2: the mailbox the token may send from)."""
    auth: Literal["password", "oauth2"] = "password"
    """password (username + BULLETIN_SMTP__PASSWORD) or oauth2 (SASL XOAUTH2 with a token from [oauth])."""
    password: SecretStr = SecretStr("")
    """Only from BULLETIN_SMTP__PASSWORD; never read from or written to a file."""
    allow_plaintext: bool = False
    timeout: float = 60.0
    """Seconds to wait for a command reply."""
    data_timeout: float = 300.0
    """Seconds to wait for the reply to the end of DATA (slow servers)."""


class OAuthSettings(BaseModel):
    tenant: str = ""
    """Entra ID tenant (GUID or domain, e.g. kent.gov.uk); `organizations` for delegated sign-in from any tenant."""
    client_id: str = ""
    """Application (client) id of the app registration."""
    mode: Literal["app", "delegated"] = "app"
    """app: client credentials for the shared mailbox; delegated: a person signs in with `mail login`."""
    authority: str = "https://login.microsoftonline.com"
    """Entra ID host (national clouds differ; tests use a local one)."""
    certificate_path: Path | None = None
    """PEM file with the app's private key and certificate (app mode, instead of a client secret)."""
    certificate_thumbprint: str = ""
    """SHA-1 thumbprint (hex) of that certificate, as Entra ID shows it."""
    client_secret: SecretStr = SecretStr("")
    """Only from BULLETIN_OAUTH__CLIENT_SECRET (or the OS keyring); never read from or written to a file."""


class ImapSettings(BaseModel):
    host: str = ""
    """IMAP server of the team mailbox (e.g. outlook.office365.com); empty means no mailbox features."""
    port: int = 993
    security: Literal["tls", "starttls", "none"] = "tls"
    """tls (implicit, port 993), starttls (port 143), or none (only to loopback)."""
    username: str = ""
    """The mailbox to sign in as; empty means smtp.username."""
    auth: Literal["password", "oauth2", ""] = ""
    """password or oauth2; empty means the same as smtp.auth."""
    folder: str = "INBOX"
    """The folder replies and bounces arrive in."""
    processed_folder: str = "bulletin-tui/processed"
    """Where `inbox fetch` files messages it has applied or counted (created when missing)."""
    review_folder: str = "bulletin-tui/needs-review"
    """Where messages waiting for a person go; empty leaves them in `folder`."""
    trust_sender: Literal["authenticated", "always", "never"] = "authenticated"
    """A plain "unsubscribe" e-mail without a token is applied when DMARC passed for its sender (authenticated),
    always, or never (review)."""
    max_message_mb: float = Field(default=15.0, gt=0)
    """A message bigger than this is not downloaded whole: its headers go to review (memory stays bounded)."""
    trusted_authserv_id: str = ""
    """The authserv-id of the receiving server's own Authentication-Results header (e.g. mail.example.org); empty
    means the topmost header, right for Exchange Online, which writes none. Headers a sender wrote never count."""
    password: SecretStr = SecretStr("")
    """Only from BULLETIN_IMAP__PASSWORD; never read from or written to a file."""
    timeout: float = 30.0
    bounce_score_limit: float = Field(default=5.0, gt=0)
    """A person is suppressed when their bounce score reaches this (hard bounce 1, soft 0.5, once per campaign)."""
    hard_bounce_limit: int = Field(default=2, ge=1)
    """... or after this many hard bounces, whatever the score."""


class TeamsSettings(BaseModel):
    """Microsoft Teams meetings and attendance through Microsoft Graph, app-only with the [oauth] app
    (docs/microsoft-365.md, "Teams meetings through Microsoft Graph")."""

    organiser: str = ""
    """The Teams-licensed account that organises the meetings: its Entra object ID (or user principal name).
    Empty = Teams through Graph is off."""
    create_with: Literal["event", "online_meeting"] = "event"
    """event: a calendar event with a Teams meeting in the organiser's calendar (Calendars.ReadWrite);
    online_meeting: a meeting in no calendar (OnlineMeetings.ReadWrite.All)."""
    graph_url: str = "https://graph.microsoft.com/v1.0"
    """Microsoft Graph's address (national clouds differ; tests use a local one)."""
    min_minutes: int = Field(default=0, ge=0)
    """Attendance from Teams: fewer minutes in the meeting than this counts as not attended."""
    attendance_after_minutes: int = Field(default=30, ge=0)
    """Ask Teams for a date's attendance this long after it ends (Teams writes the report after the meeting)."""
    timeout: float = Field(default=30.0, gt=0)
    """Seconds to wait for one answer from Graph."""

    @field_validator("graph_url")
    @classmethod
    def _graph_url(cls, value: str) -> str:
        return web_address(value)


class LimitSettings(BaseModel):
    rate_per_minute: int = Field(default=30, ge=0)
    """Messages per rolling minute (0 = no limit). Microsoft 365 allows 30."""
    rate_per_day: int = Field(default=10_000, ge=0)
    """Messages per rolling 24 hours (0 = no limit). Microsoft 365 allows 10,000."""
    concurrency: int = Field(default=2, ge=1, le=32)
    """SMTP connections used at once."""
    max_connections: int = Field(default=0, ge=0, le=32)
    """Connections the sending mailbox allows at once, counting every process that uses it (0 = no limit).
    Microsoft 365 allows 3; a 4th is refused with 432 4.3.2."""
    max_consecutive_errors: int = Field(default=5, ge=1)
    """Pause the campaign after this many errors in a row."""
    max_retries: int = Field(default=5, ge=0)
    """Attempts for a temporarily refused message before it is left deferred."""
    same_refusal_streak: int = Field(default=5, ge=0)
    """The same refusal for this many recipients in a row (or most of the first 20) is a server problem: pause,
    fail and suppress nobody. 0 turns this off (when the first addresses of a list really are all dead)."""
    unreachable_pause_minutes: float = Field(default=10.0, gt=0)
    """Pause a campaign when the SMTP server has been unreachable and nothing was delivered for this long."""


class BulletinSettings(BaseModel):
    upcoming_sessions_days: int = Field(default=60, ge=0)
    """Sessions starting within this many days appear in the bulletin."""
    size_warning_kb: int = Field(default=90, ge=1)
    """Warn when the HTML exceeds this (Gmail clips at 102 KB)."""
    reminder_hours: list[int] = Field(default_factory=lambda: [24])
    """Hours before a session that reminders go out (for kinds `reminder_offsets` does not name)."""
    reminder_offsets: dict[str, list[str]] = Field(default_factory=dict)
    """Reminder offsets per session kind, before each date's start: "7d" days, "2h" (or "2") hours, e.g.
    {"CSIS" = ["7d", "1d"], "training" = ["7d", "1d"]}; a kind not named uses reminder_hours (docs/worker.md)."""

    @field_validator("reminder_offsets", mode="before")
    @classmethod
    def _offsets(cls, value: Any) -> Any:
        return reminder_offsets(value) if isinstance(value, dict) else value

    def reminder_hours_for(self, kind: str) -> list[int]:
        """The hours before the start that reminders go out for sessions of this kind."""
        found = self.reminder_offsets.get(kind)
        return [offset_hours(text) for text in found] if found is not None else list(self.reminder_hours)


class WorkerSettings(BaseModel):
    """`bulletin-tui worker`: how often it does each job (docs/worker.md)."""

    journal_seconds: float = Field(default=15.0, gt=0)
    """Apply the web face's journal this often."""
    outbound_seconds: float = Field(default=30.0, gt=0)
    """Send queued session mail (invites, updates, cancellations, reminders) and web confirmations this often."""
    reminders_minutes: float = Field(default=5.0, gt=0)
    """Queue the session reminders that are due this often."""
    scheduled_seconds: float = Field(default=15.0, gt=0)
    """Look for scheduled sends that are due this often (one sends at a time, in the order they are due)."""
    inbox_minutes: float = Field(default=15.0, ge=0)
    """Fetch the team mailbox (`inbox fetch`) this often when [imap] host is set; 0 = never."""
    teams_minutes: float = Field(default=5.0, gt=0)
    """Move or cancel the Teams meetings of changed sessions and take due attendance from Teams this often (when
    [teams] organiser is set)."""
    retention: bool = True
    """Apply the retention schedule ([retention]) once a day (Europe/London)."""
    backup: bool = True
    """Keep one backup a day (Europe/London): made when the folder has none from today yet."""
    paused_retry_minutes: float = Field(default=60.0, gt=0)
    """A scheduled send the engine paused (not for the daily budget, which is waited for) is tried again after this."""
    heartbeat_seconds: float = Field(default=10.0, gt=0, le=30)
    """How often `worker/status.json` is rewritten, whatever the worker is doing (`status --worker` wants < 120 s)."""


ENV_PREFIX, ENV_NESTED_DELIMITER = "BULLETIN_", "__"

PROVIDER_PRESETS: dict[str, dict[str, dict[str, Any]]] = {
    "microsoft365": {
        "smtp": {"host": "smtp.office365.com", "port": 587, "security": "starttls", "auth": "oauth2"},
        "limits": {"rate_per_minute": 25, "rate_per_day": 9_000, "max_connections": 3},
    },
}
"""What `[smtp] provider` fills, per section, where a setting was not given. Microsoft 365 allows 30 messages a
minute, 10,000 recipients in any rolling 24 hours and 3 connections per mailbox; the pace and the budget leave
room for staff using the same mailbox."""


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_dir: Path = Field(default_factory=default_data_dir)
    """Folder with the database, backups, ledgers and outbox."""
    templates_dir: Path | None = None
    """A folder of the user's own templates (same names as the built-in ones)."""
    sender: SenderSettings = Field(default_factory=SenderSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    oauth: OAuthSettings = Field(default_factory=OAuthSettings)
    imap: ImapSettings = Field(default_factory=ImapSettings)
    teams: TeamsSettings = Field(default_factory=TeamsSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    bulletin: BulletinSettings = Field(default_factory=BulletinSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    worker: WorkerSettings = Field(default_factory=WorkerSettings)

    @field_validator("data_dir", "templates_dir")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value else value

    @model_validator(mode="after")
    def _provider_preset(self) -> Settings:
        """`smtp.provider` fills every setting of its preset that was not given (file, environment or code)."""
        for section, preset in PROVIDER_PRESETS.get(self.smtp.provider, {}).items():
            current: BaseModel = getattr(self, section)
            missing = {key: value for key, value in preset.items() if key not in current.model_fields_set}
            if missing:
                setattr(self, section, type(current).model_validate({**current.model_dump(
                    include=current.model_fields_set), **missing}))
        return self

    @model_validator(mode="after")
    def _sendable(self) -> Settings:
        """No more connections than the mailbox allows; no sender on onmicrosoft.com when mail really leaves."""
        limits = self.limits
        if limits.max_connections and limits.concurrency > limits.max_connections:
            raise ValueError(f"limits.concurrency ({limits.concurrency}) is more than limits.max_connections "
                             f"({limits.max_connections}), the connections the mailbox allows at once")
        if self.smtp.host:
            refused = onmicrosoft_sender({"sender.from_address": self.sender.from_address,
                                          "smtp.username": self.smtp.username})
            if refused:
                raise ValueError(refused)
        return self

    @model_validator(mode="after")
    def _no_control_characters(self) -> Settings:
        """No text setting, in any section, holds a line break or other control character."""
        found = first_control_character(self)
        if found:
            raise ValueError(f"{found[0]} must not contain control characters (found {found[1]})")
        return self


def read_config_file(path: Path) -> dict[str, Any]:
    """The TOML file's contents; refuses secrets written into it."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DomainError(f"{path}: {exc}") from None
    for trail in secret_keys(data):
        name, variable = ".".join(trail), "BULLETIN_" + "__".join(trail).upper()
        raise DomainError(f"{path}: {name} must not be in a file (secrets never are); {_advice(trail, variable)}")
    return data


_TOKENS_ADVICE = "tokens are fetched by the app (bulletin-tui mail login) and kept in its token cache"
def _advice(trail: tuple[str, ...], variable: str) -> str:
    """Where this secret belongs instead of the file."""
    if trail[0].casefold() == "oauth":
        if trail[-1].casefold().endswith("token"):
            return _TOKENS_ADVICE
        return "set BULLETIN_OAUTH__CLIENT_SECRET or use the OS keyring instead"
    return f"set {variable} instead"


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """File values, then `BULLETIN_*` environment variables, then explicit overrides (CLI flags)."""
    path = path or config_file()
    file_values = read_config_file(path)
    try:
        merged = _deep_merge(file_values, environment_values())
        merged.update({k: v for k, v in overrides.items() if v is not None})
        return Settings(**merged)
    except ValidationError as exc:
        source = f"{path} or BULLETIN_* variables" if path.exists() else "BULLETIN_* variables"
        raise DomainError(f"settings ({source}): {describe_validation_error(exc)}") from None


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
        section = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        first = next(iter(annotation.model_fields), "KEY").upper() if section else ""
        example = '{"host": "…", "port": 587}' if section else "[24, 2]"
        hint = f"; or set one value, e.g. {name}__{first}" if section else ""
        raise DomainError(f"settings: {name} is not valid JSON (write it as JSON, e.g. {example}{hint})") from None


def _deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out
