"""Form handling shared by every page: CSRF (a signed cookie echoed in a hidden field) and field validation."""

from __future__ import annotations

import secrets
from typing import NamedTuple

from email_validator import EmailNotValidError, validate_email
from starlette.requests import Request
from starlette.responses import Response

CSRF_COOKIE = "csrf"
MAX_FIELD = 200


def csrf_token(request: Request) -> str:
    """The form token for this visitor: the one in their cookie if genuine, else a new one."""
    state = request.app.state.web
    current = request.cookies.get(CSRF_COOKIE, "")
    if current and state.csrf.verify(current):
        return current
    return str(state.csrf.sign(secrets.token_urlsafe(12)))


def set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    secure = request.app.state.web.base_url.startswith("https://")
    response.set_cookie(CSRF_COOKIE, token, max_age=7200, httponly=True, samesite="strict", secure=secure,
                        path="/")


def csrf_ok(request: Request, form_token: str) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return bool(cookie) and secrets.compare_digest(cookie, form_token) and bool(
        request.app.state.web.csrf.verify(cookie))


def clean(value: object, limit: int = MAX_FIELD) -> str:
    """One line of text: control characters removed, spaces folded, cut to `limit`."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(value or ""))
    return " ".join(text.split())[:limit]


def valid_email(value: str) -> str | None:
    """The address normalised by email-validator (no DNS), or None."""
    try:
        return str(validate_email(value, check_deliverability=False).normalized)
    except EmailNotValidError:
        return None


class FieldError(NamedTuple):
    """One thing wrong with a form: shown in the summary at the top, linked to `target` (or the field `key`), and
    beside the field or group `key`; an empty key is about the whole form (no link, nothing beside a field)."""

    key: str
    text: str
    target: str = ""

    @property
    def href(self) -> str:
        return f"#{self.target or self.key}" if self.key else ""


def invalid_fields(errors: list[FieldError]) -> dict[str, str]:
    """Field or group -> its message, for the templates to show beside it."""
    return {error.key: error.text for error in errors if error.key}


EXPIRED = FieldError("", "The form had expired: please send it again.")
TOO_MANY = FieldError("", "Too many forms sent: try later.")
BAD_EMAIL = FieldError("email", "Enter a valid e-mail address, like name@example.org.")
