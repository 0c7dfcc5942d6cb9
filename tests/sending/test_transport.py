"""Transports against real parts: the outbox folder and an aiosmtpd server on loopback (plain and TLS)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import stat
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult

from bulletin_tui.config import Settings, SmtpSettings
from bulletin_tui.domain.errors import DomainError
from bulletin_tui.sending.factory import make_transport
from bulletin_tui.sending.smtp import SecurityRefused, SmtpTransport, check_connection, data_payload
from bulletin_tui.sending.transport import OutboxTransport, Outcome

from .smtp_server import running_server
from .tls import client_trusting, self_signed, server_context

MESSAGE = b"From: a@kent.gov.uk\r\nTo: b@example.org\r\nSubject: hi\r\n\r\n.leading dot\r\nbody\r\n"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


def plain(port: int, **kwargs: object) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, security="none", timeout=5, **kwargs)  # type: ignore[arg-type]


async def test_outbox_writes_one_eml_per_message(tmp_path: Path) -> None:
    outbox = OutboxTransport(tmp_path / "outbox")
    first = await outbox.deliver("a@kent.gov.uk", "b@example.org", MESSAGE)
    await outbox.deliver("a@kent.gov.uk", "c/../x@example.org", MESSAGE)
    assert first.outcome is Outcome.SENT and first.code == 250
    files = sorted(p.name for p in (tmp_path / "outbox").iterdir())
    assert files == [".sequence", "000001-b@example.org.eml", "000002-c_.._x@example.org.eml"]
    parsed = email.message_from_bytes((tmp_path / "outbox" / files[1]).read_bytes(), policy=email.policy.default)
    assert parsed["To"] == "b@example.org"
    assert {stat.S_IMODE((tmp_path / "outbox" / name).stat().st_mode) for name in files} == {0o600}


async def test_outbox_file_and_its_name_are_on_disk_before_sent_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger records "sent" when deliver returns: the .eml's bytes and its folder entry must be fsynced."""
    import os

    folder = tmp_path / "outbox"
    outbox = OutboxTransport(folder)
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    await outbox.deliver("a@kent.gov.uk", "b@example.org", MESSAGE)
    assert any(name.endswith(".tmp") or name.endswith(".eml") for name in synced)  # the message's bytes
    assert str(folder) in synced  # the new name


async def test_outbox_names_are_never_reused_even_after_files_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "outbox"
    first = OutboxTransport(folder)
    for person in ("a", "b", "c"):
        await first.deliver("x@kent.gov.uk", f"{person}@example.org", MESSAGE)
    for path in folder.glob("*.eml"):  # e.g. an erasure removed every message
        path.unlink()
    second = OutboxTransport(folder)
    delivery = await second.deliver("x@kent.gov.uk", "d@example.org", MESSAGE)
    assert delivery.reply == "written to 000004-d@example.org.eml"


async def test_outbox_never_overwrites_an_existing_file(tmp_path: Path) -> None:
    folder = tmp_path / "outbox"
    outbox = OutboxTransport(folder)
    (folder / "000001-b@example.org.eml").write_bytes(b"someone else's message")  # appeared meanwhile
    (folder / "000002-b@example.org.eml").write_bytes(b"another one")
    delivery = await outbox.deliver("x@kent.gov.uk", "b@example.org", MESSAGE)
    assert delivery.reply == "written to 000003-b@example.org.eml"
    assert (folder / "000001-b@example.org.eml").read_bytes() == b"someone else's message"
    assert (folder / "000002-b@example.org.eml").read_bytes() == b"another one"
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


async def test_concurrent_outbox_writes_get_distinct_names(tmp_path: Path) -> None:
    outbox = OutboxTransport(tmp_path / "outbox")
    replies = await asyncio.gather(*(outbox.deliver("x@kent.gov.uk", f"p{n}@example.org", MESSAGE)
                                     for n in range(50)))
    assert len({r.reply for r in replies}) == 50 and len(list((tmp_path / "outbox").glob("*.eml"))) == 50


def test_outbox_is_the_default_without_an_smtp_host(tmp_path: Path) -> None:
    assert make_transport(Settings(data_dir=tmp_path), tmp_path).name == "outbox"
    with_host = Settings(data_dir=tmp_path, smtp=SmtpSettings(host="127.0.0.1", security="none"))
    assert make_transport(with_host, tmp_path).name == "smtp"


def test_dot_stuffing() -> None:
    assert data_payload(b"a\r\n.b\r\n") == b"a\r\n..b\r\n.\r\n"
    assert data_payload(b".first\r\n..two\r\n.") == b"..first\r\n...two\r\n..\r\n.\r\n"
    assert data_payload(b"no dots. here\r\n") == b"no dots. here\r\n.\r\n"


async def test_smtp_delivers_and_reuses_connections() -> None:
    async with running_server() as server:
        transport = SmtpTransport(plain(server.port), concurrency=2)
        results = [await transport.deliver("a@kent.gov.uk", f"r{i}@example.org", MESSAGE) for i in range(5)]
        await transport.close()
    assert [r.outcome for r in results] == [Outcome.SENT] * 5
    assert results[0].code == 250 and "queued" in results[0].reply
    assert server.handler.connections == 2  # never more than the pool size, each reused
    assert server.messages[0].data.splitlines()[4] == b".leading dot"
    assert [m.rcpt_tos for m in server.messages] == [[f"r{i}@example.org"] for i in range(5)]


def test_plaintext_refused_to_a_remote_host_unless_allowed() -> None:
    with pytest.raises(SecurityRefused):
        SmtpTransport(SmtpSettings(host="smtp.example.org", security="none"))
    SmtpTransport(SmtpSettings(host="smtp.example.org", security="none", allow_plaintext=True))


async def test_starttls_required_server_without_it_is_refused() -> None:
    async with running_server() as server:
        settings = SmtpSettings(host="127.0.0.1", port=server.port, security="starttls", timeout=5)
        result = await SmtpTransport(settings).deliver("a@kent.gov.uk", "b@example.org", MESSAGE)
    assert result.outcome is Outcome.PAUSE and "STARTTLS" in result.reply
    assert server.messages == [] and not any(c.startswith("MAIL") for c in server.handler.commands)


async def test_self_signed_certificate_refused_for_starttls_and_implicit_tls(certificate: tuple[Path, Path]) -> None:
    context = server_context(*certificate)
    async with running_server(tls_context=context) as server:
        settings = SmtpSettings(host="127.0.0.1", port=server.port, security="starttls", timeout=5)
        starttls = await SmtpTransport(settings).deliver("a@kent.gov.uk", "b@example.org", MESSAGE)
    async with running_server(tls_context=context, implicit_tls=True) as tls_server:
        settings = SmtpSettings(host="127.0.0.1", port=tls_server.port, security="tls", timeout=5)
        implicit = await SmtpTransport(settings).deliver("a@kent.gov.uk", "b@example.org", MESSAGE)
    for result in (starttls, implicit):
        assert result.outcome is Outcome.PAUSE and "CERTIFICATE_VERIFY_FAILED" in result.reply
    assert server.messages == [] and tls_server.messages == []


async def test_starttls_with_a_trusted_certificate_and_auth(certificate: tuple[Path, Path]) -> None:
    logins: list[str] = []

    def authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        logins.append(auth_data.login.decode())
        return AuthResult(success=auth_data.password == b"s3cret")

    async with running_server(tls_context=server_context(*certificate), authenticator=authenticator) as server:
        settings = SmtpSettings(
            host="127.0.0.1", port=server.port, security="starttls", timeout=5, username="kcst", password="s3cret"
        )  # type: ignore[arg-type]
        transport = SmtpTransport(settings, tls_context=client_trusting(certificate[0]))
        result = await transport.deliver("a@kent.gov.uk", "b@example.org", MESSAGE)
        await transport.close()
        described = await check_connection(settings, tls_context=client_trusting(certificate[0]))
    assert result.outcome is Outcome.SENT and len(server.messages) == 1 and logins == ["kcst", "kcst"]
    assert described == f"Connected to 127.0.0.1:{server.port} (STARTTLS, signed in as kcst)"


async def test_no_auth_over_plaintext() -> None:
    async with running_server(auth_require_tls=False, authenticator=lambda *a: AuthResult(success=True)) as server:
        settings = plain(server.port, username="kcst", password="s3cret")
        result = await SmtpTransport(settings).deliver("a@kent.gov.uk", "b@example.org", MESSAGE)
        with pytest.raises(SecurityRefused):
            await check_connection(settings)
    assert result.outcome is Outcome.PAUSE and "without TLS" in result.reply
    assert server.handler.auth_seen == [] and server.messages == []


async def test_check_connection_names_an_unreachable_server() -> None:
    async with running_server() as server:
        port = server.port
    with pytest.raises(DomainError, match=f"127.0.0.1:{port}"):
        await check_connection(plain(port))
