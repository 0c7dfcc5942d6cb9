"""The app's certificate credential for MSAL: the private key from a PEM file, and a thumbprint or the certificate.

With `certificate_thumbprint` set (the SHA-1 hex Entra ID shows), MSAL signs an RS256 client assertion naming it
(`x5t`); without it, the certificate must be in the same PEM file and MSAL uses its SHA-256 thumbprint (PS256).
"""

from __future__ import annotations

import re
from pathlib import Path

from ...domain.errors import DomainError
from ..inputs.files import PEM_MAX_BYTES, read_user_file

_KEY = re.compile(r"-----BEGIN (?:RSA |EC )?PRIVATE KEY-----.+?-----END (?:RSA |EC )?PRIVATE KEY-----", re.S)
_CERT = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


def certificate_credential(path: Path, thumbprint: str = "") -> dict[str, str]:
    """MSAL's `client_credential` for a certificate."""
    try:
        raw = read_user_file(path.expanduser(), PEM_MAX_BYTES, "a PEM file")
    except DomainError as exc:
        raise DomainError(f"oauth.certificate_path: {exc}") from None
    text = raw.decode("ascii", errors="replace")  # anything else is not PEM: "has no PEM private key" below
    key = _KEY.search(text)
    if key is None:
        raise DomainError(f"oauth.certificate_path: {path} has no PEM private key")
    thumbprint = thumbprint.replace(":", "").strip().upper()
    if thumbprint:
        return {"private_key": key.group(0), "thumbprint": thumbprint}
    cert = _CERT.search(text)
    if cert is None:
        raise DomainError(f"oauth.certificate_thumbprint: set it, or put the certificate in {path} too")
    return {"private_key": key.group(0), "public_certificate": cert.group(0)}
