"""A local stand-in for Microsoft Entra ID, over HTTPS (test CA), driven by MSAL itself.

Serves, per tenant: the OpenID configuration, `/oauth2/v2.0/token` (client credentials with a secret or a signed
client assertion, device code, refresh token) and `/oauth2/v2.0/devicecode`. Access tokens are RS256 JWTs signed
by the server's own key; `validate(token, user)` is what a mail server asks: issued here, not expired, for
Exchange Online, and for that mailbox (delegated: the token's user; app-only: a mailbox the app was given permission
on). A client-credentials request with the scope `https://graph.microsoft.com/.default` gets a Microsoft Graph token
whose `roles` are `graph_roles`, the Graph application permissions an admin consented to (tests/teams/graph.py).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .pki import Pki

TENANT = "kcst-tenant"
CLIENT_ID = "11111111-2222-3333-4444-555555555555"
SECRET = "Kx8Q~test-client-secret-value-0123456789"
MAILBOX = "kentcommunitysafetyteam@kent.gov.uk"
STAFF = "officer@kent.gov.uk"
OUTLOOK = "https://outlook.office.com"
GRAPH = "https://graph.microsoft.com"
GRAPH_ROLES = frozenset({"Calendars.ReadWrite", "OnlineMeetings.ReadWrite.All", "OnlineMeetingArtifact.Read.All"})


@dataclass
class Issued:
    user: str
    """The delegated user, or '' for an app-only token."""
    expires_at: float
    audience: str = OUTLOOK
    roles: tuple[str, ...] = ()


@dataclass
class EntraState:
    base: str = ""
    lifetime: int = 3600
    """expires_in of the access tokens issued."""
    secret: str = SECRET
    app_mailboxes: set[str] = field(default_factory=lambda: {MAILBOX})
    errors: list[dict[str, Any]] = field(default_factory=list)
    """Error bodies answered (HTTP 400/401) to the next token requests, one each."""
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    issued: dict[str, Issued] = field(default_factory=dict)
    grants: list[str] = field(default_factory=list)
    assertions: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    signing_key: rsa.RSAPrivateKey = field(default_factory=lambda: _signing_key())
    app_certificate_pem: bytes = b""
    graph_roles: set[str] = field(default_factory=lambda: set(GRAPH_ROLES))
    """The Microsoft Graph application permissions an admin consented to (the `roles` of app-only Graph tokens)."""
    scopes: list[str] = field(default_factory=list)
    """The scope of each client-credentials request."""

    @property
    def authority(self) -> str:
        return self.base

    def token_endpoint(self, tenant: str = TENANT) -> str:
        return f"{self.base}/{tenant}/oauth2/v2.0/token"

    def authorise(self, user: str = STAFF) -> None:
        """The person entered the code and signed in (every pending device code)."""
        with self.lock:
            for device in self.devices.values():
                device["user"] = user

    def validate(self, token: str, user: str) -> bool:
        """Would Exchange accept this bearer token for this mailbox now?"""
        issued = self.issued.get(token)
        if issued is None or time.time() >= issued.expires_at or issued.audience != OUTLOOK:
            return False
        return issued.user == user if issued.user else user in self.app_mailboxes

    def user_of(self, token: str) -> str | None:
        """The mailbox a current token signs in as (delegated user, or the app's one mailbox), else None."""
        issued = self.issued.get(token)
        if issued is None or time.time() >= issued.expires_at:
            return None
        return issued.user or next(iter(sorted(self.app_mailboxes)), None)

    def access_token(self, user: str = "", scope: str = "") -> dict[str, Any]:
        now = time.time()
        audience = GRAPH if GRAPH in scope else OUTLOOK
        claims = {"aud": audience, "iss": f"{self.base}/{TENANT}/v2.0", "iat": int(now),
                  "exp": int(now + self.lifetime), "appid": CLIENT_ID, "jti": secrets.token_hex(8)}
        app_roles = sorted(self.graph_roles) if audience == GRAPH else ["SMTP.SendAsApp", "IMAP.AccessAsApp"]
        claims.update({"upn": user, "scp": "SMTP.Send IMAP.AccessAsUser.All"} if user else {"roles": app_roles})
        token = jwt.encode(claims, self.signing_key, algorithm="RS256")
        self.issued[token] = Issued(user, now + self.lifetime, audience, () if user else tuple(app_roles))
        body: dict[str, Any] = {"token_type": "Bearer", "access_token": token, "expires_in": self.lifetime}
        if user:
            refresh = secrets.token_urlsafe(24)
            self.refresh_tokens[refresh] = user
            body.update(refresh_token=refresh, scope="https://outlook.office.com/SMTP.Send "
                        "https://outlook.office.com/IMAP.AccessAsUser.All", id_token=_id_token(user),
                        client_info=_b64(json.dumps({"uid": _oid(user), "utid": TENANT})))
        return body


@functools.cache
def _signing_key() -> rsa.RSAPrivateKey:
    """The stand-in's token-signing key (one per test session: RSA key generation is slow)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(text: str) -> str:
    return _b64_bytes(text.encode())


def _b64_bytes(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _oid(user: str) -> str:
    return hashlib.sha256(user.encode()).hexdigest()[:32]


def _id_token(user: str) -> str:
    now = int(time.time())
    claims = {"aud": CLIENT_ID, "iss": f"https://entra.test/{TENANT}/v2.0", "iat": now, "exp": now + 3600,
              "sub": _oid(user), "oid": _oid(user), "tid": TENANT, "preferred_username": user, "name": "Officer"}
    return f"{_b64(json.dumps({'alg': 'none'}))}.{_b64(json.dumps(claims))}."


class EntraHandler(BaseHTTPRequestHandler):
    server: EntraServer

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_GET(self) -> None:
        parts = urlsplit(self.path).path.strip("/").split("/")
        state = self.server.state
        if len(parts) >= 2 and parts[1:] == ["v2.0", ".well-known", "openid-configuration"]:
            tenant, base = parts[0], state.base
            if tenant != TENANT:
                self._answer(400, {"error": "invalid_tenant", "error_description":
                                   f"AADSTS90002: Tenant '{tenant}' not found."})
                return
            self._answer(200, {
                "issuer": f"{base}/{tenant}/v2.0", "authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/authorize",
                "token_endpoint": state.token_endpoint(tenant),
                "device_authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/devicecode"})
            return
        self._answer(404, {"error": "not_found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        path = urlsplit(self.path).path
        with self.server.state.lock:
            if path.endswith("/devicecode"):
                self._answer(200, self._device_code())
            elif path.endswith("/token"):
                self._answer(*self._token(form))
            else:
                self._answer(404, {"error": "not_found"})

    def _device_code(self) -> dict[str, Any]:
        code = secrets.token_urlsafe(16)
        self.server.state.devices[code] = {"user": ""}
        uri = f"{self.server.state.base}/devicelogin"
        return {"device_code": code, "user_code": "KCST-2026", "verification_uri": uri, "expires_in": 900,
                "interval": 1, "message": f"To sign in, open {uri} and enter the code KCST-2026."}

    def _token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        state = self.server.state
        grant = form.get("grant_type", "")
        state.grants.append(grant)
        if state.errors:
            return 400, state.errors.pop(0)
        if form.get("client_id") != CLIENT_ID:
            return 400, _error("unauthorized_client", 700016, f"Application with identifier '{form.get('client_id')}'"
                               " was not found in the directory.")
        if grant == "client_credentials":
            state.scopes.append(form.get("scope", ""))
            problem = self._client_problem(form)
            return (401, problem) if problem else (200, state.access_token(scope=form.get("scope", "")))
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            device = state.devices.get(form.get("device_code", ""))
            if device is None:
                return 400, _error("expired_token", 70020, "The provided value for 'device_code' has expired.")
            if not device["user"]:
                return 400, _error("authorization_pending", 70016, "Pending end-user authorization.")
            return 200, state.access_token(device["user"])
        if grant == "refresh_token":
            user = state.refresh_tokens.pop(form.get("refresh_token", ""), "")
            return (200, state.access_token(user)) if user else (400, _error("invalid_grant", 70008, "expired"))
        return 400, _error("unsupported_grant_type", 70003, f"grant {grant}")

    def _client_problem(self, form: dict[str, str]) -> dict[str, Any] | None:
        state = self.server.state
        if "client_assertion" in form:
            return self._assertion_problem(form["client_assertion"])
        if form.get("client_secret") != state.secret:
            return _error("invalid_client", 7000215, "Invalid client secret provided.")
        return None

    def _assertion_problem(self, assertion: str) -> dict[str, Any] | None:
        state = self.server.state
        certificate = x509.load_pem_x509_certificate(state.app_certificate_pem)
        try:
            claims = jwt.decode(assertion, certificate.public_key(), algorithms=["RS256", "PS256"],
                                audience=state.token_endpoint(), issuer=CLIENT_ID)
        except jwt.PyJWTError as exc:
            return _error("invalid_client", 700027, f"Client assertion failed signature validation: {exc}")
        header = jwt.get_unverified_header(assertion)
        state.assertions.append({"header": header, "claims": claims})
        names_the_certificate = any(
            str(header.get(name, "")).rstrip("=") == _b64_bytes(certificate.fingerprint(digest))
            for name, digest in (("x5t", hashes.SHA1()), ("x5t#S256", hashes.SHA256())))
        if not names_the_certificate or claims.get("sub") != CLIENT_ID:
            return _error("invalid_client", 700027, "The certificate with the thumbprint was not found.")
        return None

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def _error(error: str, code: int, text: str) -> dict[str, Any]:
    return {"error": error, "error_codes": [code], "error_description": f"AADSTS{code}: {text} Trace ID: "
            "0000 Correlation ID: 1111 Timestamp: 2026-11-27 08:00:00Z"}


class EntraServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: EntraState) -> None:
        super().__init__(("127.0.0.1", 0), EntraHandler)
        self.state = state


@contextmanager
def running_entra(pki: Pki) -> Iterator[EntraState]:
    """The stand-in on a free loopback port over HTTPS; MSAL must trust `pki.ca_file` (REQUESTS_CA_BUNDLE)."""
    state = EntraState(app_certificate_pem=pki.app_certificate.public_bytes(serialization.Encoding.PEM))
    server = EntraServer(state)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pki.server_cert, pki.server_key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    state.base = f"https://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
