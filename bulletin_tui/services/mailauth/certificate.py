"""The app's certificate credential for MSAL: the private key from a PEM file, and a thumbprint or the certificate.

With `certificate_thumbprint` set (the SHA-1 hex Entra ID shows), MSAL signs an RS256 client assertion naming it
(`x5t`); without it, the certificate must be in the same PEM file and MSAL uses its SHA-256 thumbprint (PS256).
"""

from __future__ import annotations

import re
from pathlib import Path

from ...domain.errors import DomainError

_KEY = re.compile(r"-----BEGIN (?:RSA |EC )?PRIVATE KEY-----.+?-----END (?:RSA |EC )?PRIVATE KEY-----", re.S)
_CERT = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


def certificate_credential(path: Path, thumbprint: str = "") -> dict[str, str]:
    """MSAL's `client_credential` for a certificate."""
    try:
        text = path.expanduser().read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError(f"oauth.certificate_path: {path}: {exc}") from None
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
