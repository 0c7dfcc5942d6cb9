"""The one place unsubscribe links are built: the body link, the footer link and the List-Unsubscribe headers.

`sender.unsubscribe_url` is either a base (`https://bulletin.example.org/u`, the token is appended after one
slash) or a pattern holding `{token}` (`https://example.org/unsubscribe?t={token}`). The web face (`serve`)
answers `GET/POST {base}/u/{token}`, so pointing sends at it is one setting: `unsubscribe_url = "{base}/u"`.
Without a URL, the mailto link (a reply carrying the token) is the body link too.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from ..config import SenderSettings
from .headers import list_unsubscribe

TOKEN_FIELD = "{token}"
SAMPLE_TOKEN = "sample"
"""The token shown in previews, sample messages and checks (it verifies for nobody)."""


def unsubscribe_page(base: str, token: str) -> str:
    """The https page for one token: `{token}` substituted, else `base/TOKEN` (exactly one slash); '' without a base."""
    base, safe_token = base.strip(), quote(token, safe="")
    if not base:
        return ""
    if TOKEN_FIELD in base:
        return base.replace(TOKEN_FIELD, safe_token)
    return f"{base.rstrip('/')}/{safe_token}"


def unsubscribe_mailto(address: str, token: str) -> str:
    """A mailto link whose subject carries the token (`unsubscribe TOKEN`), read back by the inbox."""
    return f"mailto:{address}?subject={quote('unsubscribe ' + token)}"


@dataclass(frozen=True)
class UnsubscribeLinks:
    """What one recipient's message carries: the link shown in the body and the List-* headers."""

    body_url: str
    headers: dict[str, str]


def unsubscribe_links(sender: SenderSettings, token: str) -> UnsubscribeLinks:
    """The body link (the https page when configured, else the mailto) and List-Unsubscribe(-Post)."""
    mailto = unsubscribe_mailto(sender.from_address, token)
    page = unsubscribe_page(sender.unsubscribe_url, token)
    return UnsubscribeLinks(page or mailto, list_unsubscribe(mailto, page))
