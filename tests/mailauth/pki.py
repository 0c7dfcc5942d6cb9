"""A test certificate authority: a CA, a server certificate for 127.0.0.1 signed by it, and an app certificate."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _pem_key(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _certificate(subject: str, key: rsa.RSAPrivateKey, issuer: x509.Name, signer: rsa.RSAPrivateKey, *,
                 ca: bool = False, ip: str | None = None) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(issuer)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True)
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    if ip:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
                                        critical=False)
    return builder.sign(signer, hashes.SHA256())


@dataclass
class Pki:
    ca_file: Path
    server_cert: Path
    server_key: Path
    app_pem: Path
    """The app registration's certificate and private key in one PEM file (as certificate_path wants)."""
    app_certificate: x509.Certificate

    @property
    def app_thumbprint_sha1(self) -> str:
        return self.app_certificate.fingerprint(hashes.SHA1()).hex().upper()


def make_pki(folder: Path) -> Pki:
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, server_key, app_key = _key(), _key(), _key()
    ca = _certificate("bulletin-tui test CA", ca_key, _name("bulletin-tui test CA"), ca_key, ca=True)
    server = _certificate("127.0.0.1", server_key, ca.subject, ca_key, ip="127.0.0.1")
    app = _certificate("bulletin-tui app", app_key, _name("bulletin-tui app"), app_key)
    paths = Pki(folder / "ca.pem", folder / "server.pem", folder / "server.key", folder / "app.pem", app)
    paths.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths.server_cert.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths.server_key.write_bytes(_pem_key(server_key))
    paths.app_pem.write_bytes(_pem_key(app_key) + app.public_bytes(serialization.Encoding.PEM))
    return paths
