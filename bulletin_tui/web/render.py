"""Jinja2 pages in the email's look (templates/web/), escaped everywhere, no JavaScript."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..rendering.environment import builtin_templates_dir


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(builtin_templates_dir() / "web")), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def page(request: Request, template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    settings = request.app.state.web.settings
    html = environment().get_template(template).render(team=settings.sender.team_name,
                                                      telephone=settings.sender.telephone,
                                                      contact=settings.sender.from_address, **values)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
