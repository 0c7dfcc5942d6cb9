"""Per-recipient tokens: the finished, inlined issue carries these; each message swaps in its own values.

Tokens are plain ASCII capitals (quoted-printable and base64 leave them as they are, and they contain no
character HTML or MIME would escape), so a sender can substitute them in pre-encoded bytes:

    XBTNAMEX    the recipient's name, or "colleague" when none is known (greeting line)
    XBTEMAILX   the recipient's address ("This email was sent to ..."), or "you"
    XBTLISTX    the name of the distribution list the message goes to (why you get this)
    XBTUNSUBX   the recipient's unsubscribe URL (https one-click page, or a mailto:)

The HTML values are HTML-escaped (safe in text and in double-quoted attributes); the text values are raw.
The archive page never contains a token.
"""

from __future__ import annotations

import html
import re
from typing import Protocol

NAME = "XBTNAMEX"
EMAIL = "XBTEMAILX"
LIST = "XBTLISTX"
UNSUBSCRIBE = "XBTUNSUBX"
TOKENS = (NAME, EMAIL, LIST, UNSUBSCRIBE)
DEFAULT_LIST_NAME = "the Kent Community Safety Team's distribution list"


class HasTokens(Protocol):
    @property
    def tokens(self) -> tuple[str, ...]: ...


def personal_values(
    prepared: HasTokens, *, name: str, unsubscribe_url: str, email: str = "", list_name: str = ""
) -> tuple[dict[str, str], dict[str, str]]:
    """(token -> HTML-escaped value, token -> plain value) for one recipient."""
    text_values = {
        NAME: " ".join(name.split()) or "colleague",
        EMAIL: email.strip() or "you",
        LIST: " ".join(list_name.split()) or DEFAULT_LIST_NAME,
        UNSUBSCRIBE: unsubscribe_url.strip(),
    }
    wanted = set(prepared.tokens)
    text_values = {token: value for token, value in text_values.items() if token in wanted}
    html_values = {token: html.escape(value, quote=True) for token, value in text_values.items()}
    return html_values, text_values


def substitute(template: str, values: dict[str, str]) -> str:
    """Replace the tokens in one pass, so a value that looks like a token is never replaced again."""
    if not values:
        return template
    pattern = re.compile("|".join(re.escape(token) for token in sorted(values, key=len, reverse=True)))
    return pattern.sub(lambda match: values[match.group(0)], template)
