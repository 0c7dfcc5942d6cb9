"""Entra ID token-endpoint errors (`AADSTS…`) in one line: Microsoft's code and message, and what to do.

Never includes the client secret: Microsoft's text does not carry it, and it is scrubbed all the same.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_CODE = re.compile(r"AADSTS(\d+)")
HINTS = {
    7000222: "the client secret has expired: create a new one (Entra ID > App registrations > Certificates & "
             "secrets) and put it in BULLETIN_OAUTH__CLIENT_SECRET or the keyring",
    7000215: "the client secret is wrong: use the secret's Value (not its Secret ID)",
    65001: "admin consent is missing: an admin must grant consent for the app's Office 365 Exchange Online "
           "permissions (API permissions > Grant admin consent)",
    700016: "no application with this client id in the tenant: check [oauth] client_id and tenant",
    90002: "the tenant was not found: check [oauth] tenant (GUID or domain)",
    900023: "the tenant is not valid: check [oauth] tenant (GUID or domain)",
    700027: "the certificate was not accepted: check certificate_path/thumbprint and that this certificate is "
            "uploaded to the app registration",
    70011: "the scope is not valid for this app",
    50076: "multi-factor sign-in is required: run bulletin-tui mail login again",
    700082: "the sign-in has expired: run bulletin-tui mail login again",
    70008: "the sign-in has expired: run bulletin-tui mail login again",
}


def aadsts_code(result: Mapping[str, Any]) -> int | None:
    """The first AADSTS number of an MSAL error result, if any."""
    codes = result.get("error_codes") or []
    if codes:
        return int(codes[0])
    found = _CODE.search(str(result.get("error_description", "")))
    return int(found.group(1)) if found else None


def describe_token_error(result: Mapping[str, Any], *secrets: str) -> str:
    """`Microsoft sign-in refused: AADSTS7000222: The provided client secret ... (invalid_client) -> what to do`."""
    description = str(result.get("error_description") or "").split("Trace ID:")[0]
    text = " ".join(description.split()) or "no description"
    error = result.get("error", "error")
    code = aadsts_code(result)
    hint = HINTS.get(code or 0, "")
    line = f"Microsoft sign-in refused: {text} ({error})" + (f" -> {hint}" if hint else "")
    for secret in secrets:
        if secret:
            line = line.replace(secret, "***")
    return line
