"""Whole-or-nothing appends on a real full disk (a 4 KB tmpfs), torn tails cut, and nested transactions that
roll back to their savepoint."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bulletin_tui.domain.subscribers import TOPICS
from bulletin_tui.services.context import AppContext
from bulletin_tui.services.subscribers.lists import add_list
from bulletin_tui.services.subscribers.people import add_subscriber, update_details
from bulletin_tui.storage.appendlog import AppendError, AppendFile, cut_torn_tail
from tests.small_disk import small_disk


def test_a_record_that_does_not_fit_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "4k") as disk:
        log = AppendFile(disk / "log.jsonl")
        line = b'{"n": 1, "padding": "' + b"x" * 1000 + b'"}\n'
        written = 0
        with pytest.raises(AppendError, match="No space left"):
            while True:  # the fifth does not fit whole: the kernel writes part of it, then refuses the rest
                log.append(line)
                written += 1
        assert (disk / "log.jsonl").read_bytes() == line * written and written == 4
        log.close()


def test_a_torn_tail_is_cut_on_open_and_new_records_start_on_their_own_line(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    log = AppendFile(path)
    log.append(b'{"d": 4}\n')
    log.close()
    assert path.read_bytes() == b'{"a": 1}\n{"b": 2}\n{"d": 4}\n'
    path.write_bytes(b"no newline at all")
    assert cut_torn_tail(path) == 17 and path.read_bytes() == b""
    assert os.stat(path).st_size == 0


def test_a_nested_transaction_rolls_back_to_its_savepoint(ctx: AppContext) -> None:
    add_list(ctx, "e-bulletin", "E-bulletin")
    with ctx.store.transaction():
        add_subscriber(ctx, "kept@example.org", list_name="e-bulletin", source="test")
        with pytest.raises(RuntimeError), ctx.store.transaction():
            add_subscriber(ctx, "dropped@example.org", list_name="e-bulletin", source="test")
            update_details(ctx, "kept@example.org", topics=[TOPICS[0]])
            raise RuntimeError("refused half-way")
    assert ctx.store.subscribers.get("dropped@example.org") is None
    kept = ctx.store.subscribers.get("kept@example.org")
    assert kept is not None and kept.topics == []
    ctx.store.db.storage._reload()  # type: ignore[attr-defined]
    assert ctx.store.subscribers.get("kept@example.org") is not None  # the outer transaction was saved
    assert ctx.store.subscribers.get("dropped@example.org") is None
