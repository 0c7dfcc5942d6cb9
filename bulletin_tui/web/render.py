"""Jinja2 pages in the email's look (templates/web/), escaped everywhere, no JavaScript. A page in the settings'
`templates_dir`/web/ replaces the built-in one of the same name (the council's own accessibility statement), which
stays reachable as `builtin/NAME`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, PrefixLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..config import Settings
from ..rendering.environment import ConfinedLoader, builtin_templates_dir

WEB = "web"


@lru_cache(maxsize=4)
def environment(user_dir: Path | None = None) -> Environment:
    """The pages' environment: the user's `web/` folder first (when it exists), then the built-in pages."""
    loaders: list[BaseLoader] = []
    if user_dir is not None and (user_dir / WEB).is_dir():
        loaders.append(ConfinedLoader(user_dir / WEB))
    builtin = ConfinedLoader(builtin_templates_dir() / WEB)
    loaders += [builtin, PrefixLoader({"builtin": builtin})]
    return ImmutableSandboxedEnvironment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                                         trim_blocks=True, lstrip_blocks=True)


def page_html(settings: Settings, template: str, **values: Any) -> str:
    """A page with the footer every page carries: the team's contact details, the accessibility statement and the
    privacy notice (`[sender] privacy_notice_url`; without it, a short paragraph of the page's own)."""
    sender = settings.sender
    return environment(settings.templates_dir).get_template(template).render(
        team=sender.team_name, telephone=sender.telephone, contact=sender.from_address,
        privacy_url=sender.privacy_notice_url, **values)


def page(request: Request, template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    html = page_html(request.app.state.web.settings, template, **values)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
