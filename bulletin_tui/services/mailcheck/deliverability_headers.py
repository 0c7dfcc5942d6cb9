"""Reading what the receiving server wrote: `Authentication-Results` results (RFC 8601), `DKIM-Signature` tags
(RFC 6376) and DMARC's relaxed alignment (RFC 7489 §3.1: the same organisational domain).

The organisational domain is worked out by a small built-in rule, not the full Public Suffix List: the last two
labels, or the last three under a two-letter country TLD whose second level is a registry's (`kent.gov.uk`,
`example.co.uk`, `trust.nhs.uk`). So `mail.kent.gov.uk` aligns with `kent.gov.uk`, and `medway.gov.uk` does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

REGISTRY_SECOND_LEVEL = frozenset({
    "ac", "co", "com", "edu", "gov", "govt", "judiciary", "ltd", "me", "mod", "net", "nhs", "nic", "org",
    "parliament", "plc", "police", "sch",
})
"""Second-level labels under a country TLD that are public suffixes (gov.uk, co.uk, com.au, ...)."""
_RESULT = re.compile(r"^\s*([\w.-]+?)(?:/\d+)?\s*=\s*([\w-]+)(.*)$", re.S)
_PROPERTY = re.compile(r"([\w-]+\.[\w.-]+)\s*=\s*(\"(?:[^\"\\]|\\.)*\"|[^\s;]+)")


@dataclass(frozen=True)
class MethodResult:
    """One `method=result` of an Authentication-Results header with its properties (`header.d`, ...)."""

    method: str
    result: str
    properties: dict[str, str] = field(default_factory=dict)

    def domain(self, *names: str) -> str:
        """The first of these properties that is set, as a bare lower-case domain (`a@b.org` -> `b.org`)."""
        for name in names:
            value = self.properties.get(name, "").strip().strip('"')
            if value:
                return value.rpartition("@")[2].lower().strip(".")
        return ""


def _segments(value: str) -> list[str]:
    """The header split at `;`, comments `( ... )` dropped, quoted strings kept whole."""
    segments: list[str] = []
    current: list[str] = []
    depth, quoted, escaped = 0, False, False
    for char in value:
        if escaped or (char == "\\" and (quoted or depth)):
            escaped = not escaped
            if not depth:
                current.append(char)
        elif quoted:
            current.append(char)
            quoted = char != '"'
        elif char == "(":
            depth += 1
        elif depth:
            depth -= 1 if char == ")" else 0
        elif char == ";":
            segments.append("".join(current))
            current = []
        else:
            current.append(char)
            quoted = char == '"'
    return [*segments, "".join(current)]


def method_results(value: str) -> list[MethodResult]:
    """Every `method=result` in one Authentication-Results header (its authserv-id, if any, left out)."""
    segments = _segments(value)
    if segments and "=" not in segments[0]:
        segments = segments[1:]  # the authserv-id (Exchange Online writes none)
    results = []
    for segment in segments:
        found = _RESULT.match(segment)
        if found is None:
            continue
        properties = {name.lower(): text.strip('"') for name, text in _PROPERTY.findall(found.group(3))}
        results.append(MethodResult(found.group(1).lower(), found.group(2).lower(), properties))
    return results


@dataclass(frozen=True)
class DkimSignature:
    """One DKIM-Signature header: its domain, selector and the headers it signs (lower case, in order)."""

    domain: str
    selector: str
    signed_headers: tuple[str, ...]
    signature: str

    def covers(self, *names: str) -> bool:
        return all(name.lower() in self.signed_headers for name in names)


def dkim_signature(value: str) -> DkimSignature:
    """The tags of a DKIM-Signature header (whitespace inside values removed, as RFC 6376 §3.2 allows)."""
    tags: dict[str, str] = {}
    for part in value.split(";"):
        name, _, text = part.partition("=")
        if name.strip():
            tags[name.strip().lower()] = "".join(text.split())
    signed = tuple(h.lower() for h in tags.get("h", "").split(":") if h)
    return DkimSignature(tags.get("d", "").lower().strip("."), tags.get("s", ""), signed, tags.get("b", ""))


def organisational_domain(domain: str) -> str:
    """`mail.kent.gov.uk` -> `kent.gov.uk`, `news.example.org` -> `example.org` (the rule in the module doc)."""
    labels = [label for label in domain.lower().strip(".").split(".") if label]
    registry = len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in REGISTRY_SECOND_LEVEL
    return ".".join(labels[-3:] if registry else labels[-2:])


def alignment(domain: str, from_domain: str) -> str:
    """`strict` (the same domain), `relaxed` (the same organisational domain) or '' (not aligned)."""
    domain, from_domain = domain.lower().strip("."), from_domain.lower().strip(".")
    if not domain or not from_domain:
        return ""
    if domain == from_domain:
        return "strict"
    return "relaxed" if organisational_domain(domain) == organisational_domain(from_domain) else ""
