"""Checks on settings values: secrets kept out of files, web addresses that are safe in links and headers,
no control characters in any text (a line break in a header value or a `javascript:` link is refused), and no
sender on a Microsoft tenant's onmicrosoft.com domain."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, SecretStr

from .domain.text import is_loopback

SECRET_NAMES = frozenset({"password", "secret", "client_secret", "token"})
"""Keys that hold a secret, whatever their section or case (also as a suffix: `smtp_password`, `api_token`)."""


def secret_keys(data: dict[str, Any], trail: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The paths of every secret-looking key in a parsed config file, in any section and any letter case."""
    found: list[tuple[str, ...]] = []
    for key, value in data.items():
        here = (*trail, key)
        if isinstance(value, dict):
            found += secret_keys(value, here)
        elif isinstance(value, list):
            for table in (item for item in value if isinstance(item, dict)):
                found += secret_keys(table, here)
        elif _is_secret_name(key):
            found.append(here)
    return found


def _is_secret_name(key: str) -> bool:
    name = key.casefold().replace("-", "_").strip()
    return any(name == secret or name.endswith("_" + secret) for secret in SECRET_NAMES)


def web_address(value: str) -> str:
    """An https URL (http only to a loopback host, for tests and local previews), or empty for "not set".

    `{token}`-style placeholders are fine: they are replaced before the URL is used."""
    if not value:
        return value
    if any(char.isspace() or is_control(char) for char in value):
        raise ValueError("must be one URL, without spaces, line breaks or control characters")
    parts = urlsplit(value)
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if scheme == "https" and host or scheme == "http" and is_loopback(host):
        return value
    shown = f"{scheme}:" if scheme else "no scheme"
    raise ValueError(f"must be an https:// URL with a host (http:// only for 127.0.0.1, ::1 or localhost); "
                     f"found {shown}")


ONMICROSOFT = "onmicrosoft.com"


def onmicrosoft_sender(addresses: dict[str, str]) -> str:
    """A one-line refusal for the first sending address on *.onmicrosoft.com (Microsoft caps mail from those
    tenant domains at 100 external recipients a day), or ''."""
    for name, address in addresses.items():
        domain = address.rpartition("@")[2].strip().rstrip(".").casefold()
        if domain == ONMICROSOFT or domain.endswith("." + ONMICROSOFT):
            return (f"{name} {address.strip()} is on onmicrosoft.com, which Microsoft caps at 100 external "
                    "recipients a day; send from the council's own domain (e.g. kent.gov.uk)")
    return ""


def is_control(char: str) -> bool:
    """C0/C1 controls (tab, CR, LF, NUL, DEL ...) and the Unicode line and paragraph separators."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def first_control_character(model: BaseModel, trail: str = "") -> tuple[str, str] | None:
    """(setting name, the offending character as U+XXXX) for the first text setting holding a control
    character, or None. Secrets are checked too, and never shown."""
    for name, text in _texts(model, trail):
        bad = next((char for char in text if is_control(char)), None)
        if bad is not None:
            return name, f"U+{ord(bad):04X}"
    return None


def _texts(value: Any, name: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, BaseModel):
        for field in type(value).model_fields:
            yield from _texts(getattr(value, field), f"{name}.{field}" if name else field)
    elif isinstance(value, SecretStr):
        yield name, value.get_secret_value()
    elif isinstance(value, str):
        yield name, value
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _texts(item, f"{name}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{name}.{key}")


_OFFSET = re.compile(r"^(\d{1,4})\s*([dh]?)$", re.I)


def offset_hours(text: str | int) -> int:
    """A reminder offset in hours: "7d" -> 168, "2h" or "2" -> 2 (ValueError for anything else, or 0)."""
    found = _OFFSET.match(str(text).strip())
    if found is None or int(found.group(1)) == 0:
        raise ValueError(f"reminder offset {str(text)!r} is not a number of days or hours before the start, "
                         'e.g. "7d" or "2h"')
    return int(found.group(1)) * (24 if found.group(2).lower() == "d" else 1)


def reminder_offsets(value: dict[Any, Any]) -> dict[str, list[str]]:
    """Session kind (any letter case) -> its offsets as text, each checked; the kind as the model spells it."""
    from .domain.sessions import SessionKind

    kinds = {kind.value.casefold(): kind.value for kind in SessionKind}
    checked: dict[str, list[str]] = {}
    for key, offsets in value.items():
        kind = kinds.get(str(key).strip().casefold())
        if kind is None:
            known = ", ".join(kind.value for kind in SessionKind)
            raise ValueError(f"reminder_offsets: {str(key)!r} is not a session kind ({known})")
        texts = [str(offset).strip() for offset in (offsets if isinstance(offsets, list) else [offsets])]
        for text in texts:
            offset_hours(text)
        checked[kind] = texts
    return checked
