"""One IMAP folder over an `imaplib` connection: its UIDs, their raw bytes, and moving them elsewhere."""

from __future__ import annotations

import imaplib
import re
from collections.abc import Iterable
from typing import Any

from ..domain.errors import DomainError

_FETCHED_UID = re.compile(rb"\bUID (\d+)\b")
_FETCHED_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)\b")


class FolderError(DomainError):
    """The server refused a folder operation; the message quotes its reply."""


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(result: tuple[str, Any], what: str) -> list[Any]:
    status, data = result
    data = list(data or [])
    if status != "OK":
        reply = b" ".join(d for d in data if isinstance(d, bytes)).decode(errors="replace")
        raise FolderError(f"imap: {what}: {reply}")
    return data


class ImapFolder:
    """The folder selected read-write on `client`; UIDs are valid for `uidvalidity`."""

    def __init__(self, client: imaplib.IMAP4, name: str) -> None:
        self.client, self.name = client, name
        _check(client.select(_quoted(name)), f"select {name}")
        validity = client.response("UIDVALIDITY")[1]
        self.uidvalidity = int(validity[0]) if validity and validity[0] else 0
        self.separator = self._separator()
        capabilities = _check(client.capability(), "capability")
        self.capabilities = set(capabilities[0].upper().split()) if capabilities and isinstance(
            capabilities[0], bytes) else set()

    def _separator(self) -> str:
        data = _check(self.client.list('""', '""'), "list")
        found = re.search(rb'\) "(.)"', data[0]) if data and isinstance(data[0], bytes) else None
        return found.group(1).decode() if found else "/"

    def uids(self) -> list[int]:
        data = _check(self.client.uid("SEARCH", "ALL"), "search")
        return [int(n) for n in data[0].split()] if data and isinstance(data[0], bytes) else []

    def sizes(self, uids: Iterable[int]) -> dict[int, int]:
        """Each message's size in bytes, as the server reports it (nothing is downloaded)."""
        wanted = ",".join(str(u) for u in uids)
        found: dict[int, int] = {}
        for item in _check(self.client.uid("FETCH", wanted, "(UID RFC822.SIZE)"), "size") if wanted else []:
            line = item[0] if isinstance(item, tuple) else item
            uid, size = (_FETCHED_UID.search(line), _FETCHED_SIZE.search(line)) if isinstance(line, bytes) else (
                None, None)
            if uid and size:
                found[int(uid.group(1))] = int(size.group(1))
        return found

    def fetch(self, uids: Iterable[int], *, headers_only: bool = False) -> dict[int, bytes]:
        """Raw messages by UID, or only their headers (BODY.PEEK: nothing is marked read)."""
        wanted = ",".join(str(u) for u in uids)
        found: dict[int, bytes] = {}
        if not wanted:
            return found
        section = "BODY.PEEK[HEADER]" if headers_only else "BODY.PEEK[]"
        for item in _check(self.client.uid("FETCH", wanted, f"(UID {section})"), "fetch"):
            if isinstance(item, tuple) and len(item) == 2:
                uid = _FETCHED_UID.search(item[0])
                if uid:
                    found[int(uid.group(1))] = item[1]
        return found

    def server_name(self, name: str) -> str:
        """A configured `a/b` folder name in the server's own hierarchy separator."""
        return name.replace("/", self.separator)

    def ensure(self, name: str) -> str:
        target = self.server_name(name)
        status, _ = self.client.create(_quoted(target))
        del status  # an existing folder answers NO [ALREADYEXISTS]: fine
        self.client.subscribe(_quoted(target))
        return target

    def move(self, uids: list[int], name: str) -> None:
        """Move messages to `name` (created if missing): MOVE where offered, else COPY + delete + expunge."""
        if not uids:
            return
        target = self.ensure(name)
        wanted = ",".join(str(u) for u in uids)
        if b"MOVE" in self.capabilities:
            _check(self.client.uid("MOVE", wanted, _quoted(target)), f"move to {target}")
            return
        _check(self.client.uid("COPY", wanted, _quoted(target)), f"copy to {target}")
        _check(self.client.uid("STORE", wanted, "+FLAGS.SILENT", r"(\Deleted)"), "flag as deleted")
        _check(self.client.expunge(), "expunge")
