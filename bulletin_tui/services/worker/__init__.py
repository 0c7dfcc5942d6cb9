"""`bulletin-tui worker`: does what is due (the outbound queue, scheduled sends, reminders, the team mailbox, the
web journal, the daily backup), each job exactly once across a crash; its status for `status`, the dashboard and a
healthcheck (`status --worker`).

Public names are re-exported lazily (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

from .. import lazy_exports

_EXPORTS = {
    "WorkerBusyError": "lock",
    "WorkerLock": "lock",
    "WorkerStatus": "status",
    "describe": "status",
    "health": "status",
    "log_path": "joblog",
    "read_status": "status",
    "run_worker": "run",
    "status_path": "status",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)
