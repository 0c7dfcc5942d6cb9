"""Links a reader may want from a message body: http(s) only, in order, each once; safe-link wrappers unwrapped,
tracking parameters dropped, and unsubscribe or click-tracking links left out."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .htmltext import MARKER

_BARE = re.compile(r"https?://[^\s<>\"'\x02\x03]+", re.I)
_TRAILING = ".,;:!?'\"*>]}"
_WRAPPERS = {
    "safelinks.protection.outlook.com": "url",
    "www.google.com": "q",
    "google.com": "q",
    "urldefense.com": "",
    "l.facebook.com": "u",
}
_UNWANTED = re.compile(
    r"unsubscribe|opt-?out|manage[-_]?(your[-_])?preferences|email-?preferences"
    r"|/track/|/click\?|/wf/click|/ls/click|/e3t/|list-manage\.com/track|mandrillapp\.com/track"
    r"|sendgrid\.net|mailtrack|/pixel|\.gif$",
    re.I,
)
_TRACKING_PARAMS = re.compile(r"^(utm_\w+|mc_cid|mc_eid|fbclid|gclid|_hsenc|_hsmi|mkt_tok)$", re.I)


def _trimmed(url: str) -> str:
    """A URL without the punctuation that ends the sentence around it (a ')' is kept when the URL opened one)."""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url


def _unwrapped(url: str) -> str | None:
    """The real target of an Outlook safe link or a Google redirect, through wrappers inside wrappers; None when a
    wrapper hides something that is not an http(s) address (`javascript:`, `data:`): such a link is left out."""
    for _depth in range(5):
        parts = urlsplit(url)
        host = parts.hostname or ""
        wrapper = next((param for name, param in _WRAPPERS.items()
                        if param and (host == name or host.endswith("." + name))), None)
        if wrapper is None:
            return url
        target = dict(parse_qsl(parts.query)).get(wrapper, "").strip()
        if not target:
            return url
        if not target.lower().startswith(("http://", "https://")):
            return None
        url = target
    return None


def _without_tracking(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def clean_link(raw: str) -> str | None:
    """The link to offer, or None for one to leave out (tracking, unsubscribe, not http(s), malformed)."""
    try:
        target = _unwrapped(_trimmed(raw.strip()))
    except ValueError:
        return None
    if target is None:
        return None
    url = _without_tracking(target)
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host or not url.lower().startswith(("http://", "https://")) or _UNWANTED.search(url):
        return None
    return url


def find_links(text: str) -> list[str]:
    """Every link in the text (HTML link markers and bare URLs), cleaned, de-duplicated, in order of appearance."""
    found: list[tuple[int, str]] = [(m.start(), m.group(1)) for m in MARKER.finditer(text)]
    plain = MARKER.sub(lambda m: " " * len(m.group(0)), text)
    found += [(m.start(), m.group(0)) for m in _BARE.finditer(plain)]
    links: dict[str, None] = {}
    for _, raw in sorted(found):
        url = clean_link(raw)
        if url:
            links.setdefault(url, None)
    return list(links)
