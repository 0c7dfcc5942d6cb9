"""Import rules: updates, never re-subscribing, suppression, one atomic write, evidence, and exact undo."""

from __future__ import annotations

import orjson
import pytest

from bulletin_tui.domain.clock import FixedClock
from bulletin_tui.domain.errors import DomainError, NotFoundError
from bulletin_tui.domain.subscribers import ConsentAction, MembershipStatus
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.subscribers.import_commit import commit_import, import_file, list_imports, undo_import
from bulletin_tui.services.subscribers.imports import preview_import
from bulletin_tui.services.subscribers.lists import add_list
from bulletin_tui.services.subscribers.people import add_subscriber, get_subscriber, unsubscribe
from bulletin_tui.services.subscribers.suppression import suppress


def table_bytes(ctx: AppContext) -> bytes:
    data = orjson.loads(ctx.store.db.path.read_bytes())
    return orjson.dumps(data.get("subscribers", {}), option=orjson.OPT_SORT_KEYS)


def test_import_records_consent_evidence_with_file_time_and_operator(ctx: AppContext, write_csv) -> None:  # type: ignore[no-untyped-def]
    preview, record = import_file(ctx, write_csv("Email,Name\na@example.org,A\n"))
    assert record is not None and record.operator == "test-operator" and record.file_name == "people.csv"
    assert record.at == ctx.clock.now() and len(record.file_sha256) == 64
    consent = get_subscriber(ctx, "a@example.org").consent
    assert [(c.action, c.source, c.operator) for c in consent] == [
        (ConsentAction.GRANTED, "import", "test-operator")]
    assert record.id in consent[0].reference and "people.csv" in consent[0].reference
    assert [r.id for r in list_imports(ctx)] == [record.id]


def test_commit_is_one_atomic_save(ctx: AppContext, write_csv) -> None:  # type: ignore[no-untyped-def]
    rows = "".join(f"p{n}@example.org,Person {n}\n" for n in range(500))
    saves_before = ctx.store.db.storage.saves
    import_file(ctx, write_csv("Email,Name\n" + rows))
    assert ctx.store.db.storage.saves - saves_before == 1
    assert len(orjson.loads(ctx.store.db.path.read_bytes())["subscribers"]) == 500


def test_a_failing_commit_leaves_nothing_behind(ctx: AppContext, write_csv, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import_file(ctx, write_csv("Email\nkeep@example.org\n", name="first.csv"))
    before = table_bytes(ctx)
    preview = preview_import(ctx, write_csv("Email\nnew1@example.org\nnew2@example.org\n"))

    def broken_put(record):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    from bulletin_tui.services.subscribers import import_commit as imports_commit
    monkeypatch.setattr(imports_commit.import_records(ctx), "put", broken_put)
    with pytest.raises(OSError):
        commit_import(ctx, preview)
    assert table_bytes(ctx) == before and len(ctx.store.subscribers) == 1


def test_dry_run_changes_nothing(ctx: AppContext, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("Email\nx@example.org\n")
    before = ctx.store.db.path.read_bytes()
    preview, record = import_file(ctx, path, dry_run=True)
    assert record is None and preview.counts()["new"] == 1
    assert ctx.store.db.path.read_bytes() == before and len(ctx.store.subscribers) == 0


def test_new_updated_unchanged_are_counted(ctx: AppContext, write_csv) -> None:  # type: ignore[no-untyped-def]
    import_file(ctx, write_csv("Email,Name,Organisation\nsame@example.org,Same,Org\nmove@example.org,Mo,Old\n"))
    preview = preview_import(ctx, write_csv(
        "Email,Name,Organisation\nSAME@example.org,Same,Org\nmove@example.org,,New Org\nfresh@example.org,F,\n"))
    assert {k: preview.counts()[k] for k in ("new", "updated", "unchanged")} == {
        "new": 1, "updated": 1, "unchanged": 1}
    commit_import(ctx, preview)
    moved = get_subscriber(ctx, "move@example.org")
    assert (moved.name, moved.organisation) == ("Mo", "New Org")  # empty cells never wipe details


def test_existing_person_joins_another_list_with_its_own_consent(ctx: AppContext, write_csv) -> None:  # type: ignore[no-untyped-def]
    add_list(ctx, "dhr-webinars", "DHR webinars")
    import_file(ctx, write_csv("Email\nboth@example.org\n"))
    preview, _ = import_file(ctx, write_csv("Email\nboth@example.org\n"), "DHR webinars")
    assert preview.counts()["updated"] == 1
    person = get_subscriber(ctx, "both@example.org")
    assert person.is_subscribed("e-bulletin") and person.is_subscribed("dhr-webinars")
    assert [c.list_slug for c in person.consent] == ["e-bulletin", "dhr-webinars"]


def test_import_never_resubscribes_or_touches_an_unsubscribed_person(ctx: AppContext, write_csv) -> None:  # type: ignore[no-untyped-def]
    import_file(ctx, write_csv("Email,Name\ngone@example.org,Old Name\n"))
    unsubscribe(ctx, "gone@example.org")
    before = get_subscriber(ctx, "gone@example.org")
    preview, _ = import_file(ctx, write_csv("Email,Name\ngone@example.org,New Name\n"))
    assert preview.unsubscribed == [2] and preview.counts()["updated"] == 0
    assert get_subscriber(ctx, "gone@example.org") == before


def test_suppressed_addresses_are_skipped_by_import(ctx: AppContext, write_csv) -> None:  # type: ignore[no-untyped-def]
    suppress(ctx, "Bounced@Example.org", "hard bounce")
    preview, _ = import_file(ctx, write_csv("Email\nbounced@example.org\nok@example.org\n"))
    assert preview.suppressed == [2] and "bounced@example.org" not in ctx.store.subscribers


def test_unknown_list_is_a_not_found_error_naming_the_lists(ctx: AppContext, write_csv) -> None:  # type: ignore[no-untyped-def]
    add_list(ctx, "csis-invitations", "CSIS invitations")
    with pytest.raises(NotFoundError, match="no list called 'nope' .lists: csis-invitations"):
        preview_import(ctx, write_csv("Email\na@example.org\n"), "nope")


def test_undo_restores_the_previous_state_exactly(ctx: AppContext, clock: FixedClock, write_csv) -> None:  # type: ignore[no-untyped-def]
    import_file(ctx, write_csv("Email,Name,Organisation\nkept@example.org,Kept,Old Org\n", name="base.csv"))
    before = table_bytes(ctx)
    clock.advance(hours=1)
    _, record = import_file(ctx, write_csv(
        "Email,Name,Organisation\nkept@example.org,Kept,New Org\nadded@example.org,Added,\n"))
    assert table_bytes(ctx) != before
    clock.advance(hours=1)
    result = undo_import(ctx, record.id)  # type: ignore[union-attr]
    assert (result.removed, result.restored, result.kept_changed) == (1, 1, [])
    assert table_bytes(ctx) == before
    with pytest.raises(DomainError, match="already undone"):
        undo_import(ctx, record.id)  # type: ignore[union-attr]


def test_undo_keeps_an_unsubscribe_made_after_the_import(ctx: AppContext, clock: FixedClock, write_csv) -> None:  # type: ignore[no-untyped-def]
    _, record = import_file(ctx, write_csv("Email\nleft@example.org\nstays@example.org\n"))
    clock.advance(minutes=5)
    unsubscribe(ctx, "left@example.org")
    result = undo_import(ctx, record.id)  # type: ignore[union-attr]
    assert result.kept_changed == ["left@example.org"] and result.removed == 1
    kept = get_subscriber(ctx, "left@example.org")
    assert kept.lists["e-bulletin"].status is MembershipStatus.UNSUBSCRIBED


def test_a_stale_preview_is_refused(ctx: AppContext, clock: FixedClock, write_csv) -> None:  # type: ignore[no-untyped-def]
    import_file(ctx, write_csv("Email,Name\nx@example.org,X\n", name="a.csv"))
    preview = preview_import(ctx, write_csv("Email,Name\nx@example.org,Changed\n"))
    clock.advance(minutes=1)
    add_list(ctx, "dhr-webinars", "DHR webinars")
    add_subscriber(ctx, "x@example.org", list_name="dhr-webinars")
    with pytest.raises(DomainError, match="changed since the preview"):
        commit_import(ctx, preview)


def test_a_status_column_saying_unsubscribed_withdraws_and_is_recorded(ctx: AppContext, write_csv) -> None:  # type: ignore[no-untyped-def]
    add_subscriber(ctx, "was.on@example.org")
    preview, _ = import_file(ctx, write_csv(
        "Email,Subscribed\nwas.on@example.org,No\nnever@example.org,Opted out\nyes@example.org,Yes\n"))
    assert preview.opted_out == [2, 3]
    assert not get_subscriber(ctx, "was.on@example.org").is_subscribed("e-bulletin")
    never = get_subscriber(ctx, "never@example.org")
    assert not never.is_subscribed("e-bulletin") and never.consent[-1].action is ConsentAction.WITHDRAWN
    assert get_subscriber(ctx, "yes@example.org").is_subscribed("e-bulletin")


def test_topics_use_the_usual_spelling_of_known_priorities(ctx: AppContext, write_csv) -> None:  # type: ignore[no-untyped-def]
    import_file(ctx, write_csv('Email,Topics\nt@example.org,"road safety; VAWG; Local litter"\n'))
    assert get_subscriber(ctx, "t@example.org").topics == [
        "Road Safety", "Violence Against Women and Girls (VAWG)", "Local litter"]
    add_list(ctx, "dhr-webinars", "DHR webinars")
    person = add_subscriber(ctx, "t@example.org", list_name="dhr-webinars", topics=["domestic abuse", "ASB"])
    assert person.topics[-2:] == ["Domestic Abuse", "Preventing Neighbourhood Crime & ASB"]


def test_someone_who_left_every_list_is_not_added_to_a_new_one(ctx: AppContext, write_csv) -> None:  # type: ignore[no-untyped-def]
    add_list(ctx, "dhr-webinars", "DHR webinars")
    add_list(ctx, "csis-invitations", "CSIS invitations")
    add_subscriber(ctx, "left.all@example.org")
    add_subscriber(ctx, "left.one@example.org")
    add_subscriber(ctx, "left.one@example.org", list_name="dhr-webinars")
    unsubscribe(ctx, "left.all@example.org")
    unsubscribe(ctx, "left.one@example.org", "dhr-webinars")
    preview, _ = import_file(ctx, write_csv("Email\nleft.all@example.org\nleft.one@example.org\n"),
                             "csis-invitations")
    assert preview.unsubscribed == [2] and preview.counts()["updated"] == 1
    assert "csis-invitations" not in get_subscriber(ctx, "left.all@example.org").lists
    assert get_subscriber(ctx, "left.one@example.org").is_subscribed("csis-invitations")
