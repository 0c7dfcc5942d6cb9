"""aiosmtpd with `AUTH XOAUTH2` as Exchange Online does it: only a current token, for the right mailbox."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session

from tests.sending.smtp_server import RecordingHandler, Script

from .entra import EntraState


@dataclass
class AuthLog:
    tokens: list[str] = field(default_factory=list)
    """Every token presented (accepted or not), in order."""
    refused: int = 0
    expired_uses: int = 0
    """MAIL commands on a session whose token had expired (a client should reconnect before that)."""


class XOAuth2Handler(RecordingHandler):
    """Records and answers like `RecordingHandler`; signs in with XOAUTH2 against the Entra stand-in."""

    def __init__(self, entra: EntraState, *, error_challenge: bool = False) -> None:
        super().__init__(Script())
        self.entra, self.error_challenge = entra, error_challenge
        self.auth = AuthLog()
        self.auth_replies: list[str] = []
        """Replies given to the next AUTH attempts instead of checking (e.g. Microsoft's 5.7.139)."""

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        raw = args[1] if len(args) > 1 else ""
        fields = dict(part.split("=", 1) for part in base64.b64decode(raw).decode().split("\x01") if "=" in part)
        user, token = fields.get("user", ""), fields.get("auth", "").removeprefix("Bearer ")
        self.auth.tokens.append(token)
        if self.auth_replies:
            self.auth.refused += 1
            return AuthResult(success=False, handled=False, message=self.auth_replies.pop(0))
        if self.entra.validate(token, user):
            return AuthResult(success=True, auth_data=token)
        self.auth.refused += 1
        if self.error_challenge:  # Gmail's way: a base64 JSON challenge, the client answers empty, then 535
            await server.challenge_auth(json.dumps({"status": "401", "schemes": "bearer"}))
        return AuthResult(success=False, handled=False, message="535 5.7.3 Authentication unsuccessful")

    @staticmethod
    def tokens_seen(server: object) -> list[str]:
        """The tokens a running server's XOAUTH2 handler was shown."""
        handler = getattr(server, "handler", None)
        return list(handler.auth.tokens) if isinstance(handler, XOAuth2Handler) else []

    async def handle_MAIL(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          options: list[str]) -> str:
        token = session.auth_data
        if isinstance(token, str) and self.entra.user_of(token) is None:
            self.auth.expired_uses += 1
            return "451 4.7.0 Session token expired"
        return await super().handle_MAIL(server, session, envelope, address, options)
