"""A stand-in for the receiving side of a deliverability check: an aiosmtpd server on 127.0.0.1 that, for each
message, DKIM-signs it (dkimpy, a test RSA key, the `h=` the test chooses), prepends the receiving server's own
`Authentication-Results` header (results the test chooses) and delivers it into the test Dovecot's Maildir.

    with running_mta(mailbox, StandinPolicy(signed_headers=WITH_ONE_CLICK)) as mta:
        ... send to 127.0.0.1:mta.port ...; mta.delivered holds the exact bytes put into the Maildir

`dns_txt(key)` answers dkimpy's DNS look-up (`dkim.verify(message, dnsfunc=...)`) for the selector's public key,
so a test can verify the signature independently, with no network.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.sending.smtp_server import Received, RecordingHandler, RunningServer, Script, threaded_server

AUTHSERV_ID = "mx.standin.test"
SELECTOR = "bulletin2026"
BASE_HEADERS = ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "List-Id")
WITH_ONE_CLICK = (*BASE_HEADERS, "List-Unsubscribe", "List-Unsubscribe-Post")
Deliver = Callable[[str, bytes], object]
"""(Maildir user, message bytes) -> anything: puts the message into that user's INBOX."""


@dataclass(frozen=True)
class DkimKey:
    """A test RSA key: the private PEM dkimpy signs with, the public key as it would sit in DNS."""

    private_pem: bytes
    public_der: bytes

    @staticmethod
    def generate() -> DkimKey:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
        der = key.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
        return DkimKey(pem, der)

    def txt_record(self) -> bytes:
        return b"v=DKIM1; k=rsa; p=" + base64.b64encode(self.public_der)


def dns_txt(key: DkimKey, domain: str, selector: str = SELECTOR) -> Callable[..., bytes | None]:
    """dkimpy's `dnsfunc`: the key's TXT record for `selector._domainkey.domain`, nothing for any other name."""
    wanted = f"{selector}._domainkey.{domain}.".lower()

    def lookup(name: bytes | str, timeout: int = 5) -> bytes | None:
        asked = name.decode() if isinstance(name, bytes) else name
        return key.txt_record() if asked.lower().rstrip(".") + "." == wanted else None

    return lookup


@dataclass
class StandinPolicy:
    """What the stand-in signs and what its Authentication-Results header says (the test's choices)."""

    signed_headers: tuple[str, ...] = WITH_ONE_CLICK
    dkim_domain: str = "kent.gov.uk"
    spf: str = "pass"
    dkim: str = "pass"
    dmarc: str = "pass"
    extra_results: tuple[str, ...] = ()
    """Further Authentication-Results headers below the stand-in's own (e.g. one a sender forged)."""
    deliver: bool = True
    """False: accept the message and lose it (nothing arrives)."""


@dataclass
class StandinMta:
    """The aiosmtpd server's message hook: sign, add results, deliver."""

    key: DkimKey
    policy: StandinPolicy
    put: Deliver
    delivered: list[bytes] = field(default_factory=list)
    server: RunningServer | None = None

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.port

    def on_message(self, received: Received) -> None:
        if not self.policy.deliver:
            return
        message = self.signed(received.data)
        from_domain = received.parsed()["From"].addresses[0].domain
        mailfrom = received.mail_from.rpartition("@")[2]
        results = (f"Authentication-Results: {AUTHSERV_ID}; spf={self.policy.spf} smtp.mailfrom={mailfrom}; "
                   f"dkim={self.policy.dkim} header.d={self.policy.dkim_domain} header.s={SELECTOR}; "
                   f"dmarc={self.policy.dmarc} header.from={from_domain}\r\n").encode()
        extra = b"".join(f"Authentication-Results: {value}\r\n".encode() for value in self.policy.extra_results)
        final = results + extra + message
        self.delivered.append(final)
        for recipient in received.rcpt_tos:
            self.put(recipient, final)

    def signed(self, data: bytes) -> bytes:
        signature: bytes = dkim.sign(data, SELECTOR.encode(), self.policy.dkim_domain.encode(), self.key.private_pem,
                              include_headers=[h.encode() for h in self.policy.signed_headers])
        return signature + data


@contextmanager
def running_mta(key: DkimKey, policy: StandinPolicy, put: Deliver) -> Iterator[StandinMta]:
    """The stand-in on 127.0.0.1 (plain SMTP, loopback only), on its own thread (the CLI runs `asyncio.run`)."""
    mta = StandinMta(key, policy, put)
    with threaded_server(handler=RecordingHandler(Script(on_message=mta.on_message))) as server:
        mta.server = server
        yield mta
