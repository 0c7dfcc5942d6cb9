"""Real bounces nobody here wrote: flufl.bounce's own test corpus (103 files from Postfix, Exim, qmail, Sendmail,
Exchange, GroupWise, Netscape, Yahoo, AOL, mail.ru, sina and more), with the addresses its authors expect, fetched from
its source distribution by scripts/test-deps.sh. Each file goes through the same reading as `inbox fetch`
(parse, classify). Measured: permanent failures found with the right address, temporary failures never counted as
failures, and no file read as an unsubscribe or a complaint.

`python -m tests.inbox.test_public_bounce_corpus` prints the table and every miss.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bulletin_tui.mailbox.classify import Kind, classify
from bulletin_tui.mailbox.message import parse_mail
from bulletin_tui.services.subscribers.tokens import find_tokens

from ..conftest import IN_CI

CORPUS = Path(__file__).parents[2] / ".venv" / "corpora" / "flufl-bounce"


def expectations() -> dict[str, tuple[set[str], bool]]:
    """File -> (expected addresses, lower-cased; temporary?) from the corpus's own DETECTORS table, files that two
    detectors list merged (groupwise_02.txt is Exchange's)."""
    tree = ast.parse((CORPUS / "expected.py").read_text(encoding="utf-8"))
    table = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == "DETECTORS" for t in node.targets))
    found: dict[str, tuple[set[str], bool]] = {}
    for _module, name, addresses, temporary in ast.literal_eval(table):
        known, _ = found.get(name, (set(), temporary))
        found[name] = (known | {a.decode().lower() for a in addresses}, temporary)
    return found


@dataclass
class Table:
    permanent: int = 0
    permanent_right: int = 0
    temporary: int = 0
    temporary_as_failure: int = 0
    none_expected: int = 0
    none_but_failure: int = 0
    wrong_kind: int = 0  # read as an unsubscribe or a complaint: would act on a person
    misses: list[str] = field(default_factory=list)


def measure() -> Table:
    table = Table()
    for name, (expected, temporary) in sorted(expectations().items()):
        found = classify(parse_mail((CORPUS / "data" / name).read_bytes()), find_tokens)
        failed = {f.address.lower() for f in found.report.failures if f.action == "failed"} if found.report else set()
        if found.kind in (Kind.UNSUBSCRIBE, Kind.COMPLAINT):
            table.wrong_kind += 1
            table.misses.append(f"{name}: read as {found.kind.value}")
        if not expected:
            table.none_expected += 1
            table.none_but_failure += bool(failed)
        elif temporary:
            table.temporary += 1
            if failed & expected:
                table.temporary_as_failure += 1
                table.misses.append(f"{name}: a temporary failure counted as failed ({found.reason})")
        else:
            table.permanent += 1
            if expected <= failed:
                table.permanent_right += 1
            else:
                table.misses.append(f"{name}: expected {sorted(expected)}, found {sorted(failed)} ({found.reason})")
    return table


@pytest.fixture(scope="module")
def table() -> Table:
    if not (CORPUS / "expected.py").exists():
        if IN_CI:
            pytest.fail("the public bounce corpus is missing (scripts/test-deps.sh fetches it)")
        pytest.skip("the public bounce corpus is missing: `make test` fetches it (scripts/test-deps.sh)")
    return measure()


def test_permanent_failures_are_found_with_the_right_address(table: Table) -> None:
    assert table.permanent >= 80
    assert table.permanent_right / table.permanent >= 0.95, table.misses


def test_temporary_failures_are_never_counted_as_failures(table: Table) -> None:
    assert table.temporary >= 10 and table.temporary_as_failure == 0, table.misses


def test_no_bounce_is_read_as_an_unsubscribe_or_a_complaint(table: Table) -> None:
    assert table.wrong_kind == 0, table.misses


def test_files_with_no_findable_address_fail_nobody(table: Table) -> None:
    """groupwise_03 (not a bounce), qmail_08, simple_42 (its archive obscured the address: `david...@gmail.com`)."""
    assert table.none_expected >= 3 and table.none_but_failure == 0


if __name__ == "__main__":
    result = measure()
    print(f"permanent failures: {result.permanent_right}/{result.permanent} with the right address")
    print(f"temporary failures: {result.temporary_as_failure}/{result.temporary} counted as failures")
    print(f"no address expected: {result.none_but_failure}/{result.none_expected} read as a failure")
    print(f"read as an unsubscribe or complaint: {result.wrong_kind}")
    print("\n".join(result.misses) or "no misses", f"\n(corpus: {os.fspath(CORPUS)})")
