"""Pages that only inform: the accessibility statement (the council's own text from its templates folder, else the
built-in model statement) and the HTML answers for addresses and methods that lead nowhere."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from .render import page

STATEMENT = "accessibility.html.j2"
NOT_FOUND = ("Page not found", "If you typed the web address, check it is correct. If you followed a link from an "
             "e-mail, it may be out of date: use the link in the most recent message.")
NOT_ALLOWED = ("This cannot be done here", "This address does not accept that kind of request. Go back to the "
               "page you came from and use its buttons and links.")


async def accessibility(request: Request) -> Response:
    """GET /accessibility: the statement, with the team's contact details from the settings."""
    state = request.app.state.web
    return page(request, STATEMENT, site=urlsplit(state.base_url).netloc or state.base_url,
                has_archive=state.archive_dir is not None)


async def http_error(request: Request, exc: Exception) -> Response:
    """404, 405 and any other refusal Starlette raises, as a page in the site's look."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    title, text = NOT_FOUND if status == 404 else NOT_ALLOWED if status == 405 else (
        "Something went wrong", "Please try again in a few minutes, or contact the team.")
    headers = exc.headers if isinstance(exc, HTTPException) and exc.headers else {}
    response = page(request, "message.html.j2", status=status, title=title, text=text)
    response.headers.update(headers)
    return response
