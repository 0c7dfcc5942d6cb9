"""Child for the kill test: saves forever; after each completed save prints the value it saved."""

import sys
from pathlib import Path

from bulletin_tui.storage.database import Database


def payload(n: int) -> dict:
    """A deterministic, sizeable state for counter value n (so saves take long enough to be interrupted)."""
    return {str(i): {"n": n, "text": f"row {i} of state {n} " * 8} for i in range(3000)}


def main() -> None:
    db = Database.open(Path(sys.argv[1]), create=True)
    table = db.table("rows")
    counter = db.table("counter")
    current = counter._read_table().get("c", {"n": 0})["n"]
    while True:
        nxt = current + 1
        with db.transaction():
            table._update_table(lambda t, n=nxt: (t.clear(), t.update(payload(n))))
            counter._update_table(lambda t, n=nxt: t.update({"c": {"n": n}}))
        print(nxt, flush=True)
        current = nxt


if __name__ == "__main__":
    main()
