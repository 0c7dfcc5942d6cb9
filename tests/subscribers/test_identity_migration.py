"""Schema 1 -> 2: a database keyed by the legacy form of addresses moves to the canonical form (issue #11 item 8)."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import orjson

from bulletin_tui.config import Settings
from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.domain.identity import legacy_key
from bulletin_tui.domain.subscribers import MembershipStatus, SuppressionEntry
from bulletin_tui.services.context import open_context
from bulletin_tui.services.sessions import catalogue as sessions
from bulletin_tui.services.sessions.mail import mail_queue
from bulletin_tui.services.sessions.registrations import find_registration, register
from bulletin_tui.services.subscribers import tokens
from bulletin_tui.services.subscribers.import_commit import import_file
from bulletin_tui.services.subscribers.people import add_subscriber, unsubscribe
from bulletin_tui.services.subscribers.secret import derived_key
from bulletin_tui.services.subscribers.suppression import is_suppressed, suppressions
from bulletin_tui.storage import backups

from ..conftest import FIXED_NOW


def _legacy_registration_id(slug: str, email: str) -> str:
    return "r-" + hashlib.sha256(f"{slug}\n{legacy_key(email)}".encode()).hexdigest()[:20]


def _make_v1_database(settings: Settings) -> tuple[str, str]:
    """A database as bulletin-tui 1 left it; returns (a pre-upgrade unsubscribe token, the session slug)."""
    with open_context(settings, create=True, clock=FixedClock(FIXED_NOW)) as ctx:
        add_subscriber(ctx, "user@bücher.example", name="Ute")
        unsubscribe(ctx, "user@bücher.example")
        starts, ends = sessions.parse_times("2026-12-03 12:30", "13:30")
        slug = sessions.create_session(ctx, slug="csis", title="CSIS", start=starts, end=ends).slug
        register(ctx, slug, "zoë@bücher.example", name="Zoë")
        old_digest = hmac.new(derived_key(ctx, "suppression-v1"), b"gone@b\xc3\xbccher.example", hashlib.sha256)
        suppressions(ctx).put(SuppressionEntry(digest=old_digest.hexdigest(), reason="erasure request", at=FIXED_NOW))
        reference = tokens._form_referencer(ctx)(legacy_key("user@bücher.example"))
        body = f"u1.{reference}.e-bulletin.0"
        token = f"{body}.{tokens._mac(ctx, body)}"
    path = settings.data_dir / "bulletin.json"
    data = orjson.loads(path.read_bytes())
    data["_meta"]["schema"]["schema_version"] = 1
    people = data["subscribers"]
    person = people.pop("user@xn--bcher-kva.example")
    people["user@bücher.example"] = person  # schema 1 key; and the same person imported again as an A-label:
    people["user@xn--bcher-kva.example"] = {
        **person, "email": "user@xn--bcher-kva.example", "name": "", "created_at": "2026-11-23T10:00:00Z",
        "updated_at": "2026-11-23T10:00:00Z",
        "lists": {"e-bulletin": {"status": "subscribed", "changed_at": "2026-11-23T10:00:00Z", "token_version": 0}}}
    [(new_id, registration)] = data["registrations"].items()
    old_id = _legacy_registration_id("csis", "zoë@bücher.example")
    data["registrations"] = {old_id: {**registration, "id": old_id}}
    data["session_mail"] = {m.replace(new_id, old_id): {**row, "id": m.replace(new_id, old_id),
                                                         "registration_id": old_id}
                            for m, row in data["session_mail"].items()}
    path.write_bytes(orjson.dumps(data))
    return token, slug


def test_a_schema_1_database_is_backed_up_and_rekeyed(tmp_path: Path, write_csv) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "data")
    token, slug = _make_v1_database(settings)
    before = (settings.data_dir / "bulletin.json").read_bytes()
    with open_context(settings, clock=FixedClock(FIXED_NOW)) as ctx:
        [person] = ctx.store.subscribers.all()
        assert person.key == "user@xn--bcher-kva.example" and person.email == "user@bücher.example"
        assert person.name == "Ute" and person.lists["e-bulletin"].status is MembershipStatus.UNSUBSCRIBED
        assert [c.action.value for c in person.consent] == ["granted", "withdrawn"]
        registration = find_registration(ctx, slug, "ZOË@xn--bcher-kva.example")
        [mail] = mail_queue(ctx).all()
        assert mail.registration_id == registration.id and mail.id.startswith(registration.id)
        assert is_suppressed(ctx, "gone@xn--bcher-kva.example") and is_suppressed(ctx, "GONE@bücher.example")
        preview, _ = import_file(ctx, write_csv("Email\ngone@XN--BCHER-KVA.example\nuser@bücher.example\n"))
        assert preview.counts()["suppressed"] == 1 and preview.counts()["new"] == 0
        with_token = tokens.verify_unsubscribe_token(ctx, token)
        assert with_token == ("user@xn--bcher-kva.example", "e-bulletin")
    on_disk = orjson.loads((settings.data_dir / "bulletin.json").read_bytes())
    assert on_disk["_meta"]["schema"]["schema_version"] == 2
    assert any(b.read_bytes() == before for b in backups.list_backups(settings.data_dir / "bulletin.json"))


def test_a_read_only_open_migrates_in_memory_and_writes_nothing(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    _make_v1_database(settings)
    path = settings.data_dir / "bulletin.json"
    before, backups_before = path.read_bytes(), backups.list_backups(path)
    with open_context(settings, read_only=True, clock=FixedClock(FIXED_NOW)) as ctx:
        assert "user@xn--bcher-kva.example" in ctx.store.subscribers
    assert path.read_bytes() == before and backups.list_backups(path) == backups_before
