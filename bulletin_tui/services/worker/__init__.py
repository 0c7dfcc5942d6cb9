"""`bulletin-tui worker`: does what is due (the outbound queue, scheduled sends, reminders, the team mailbox, the
web journal, the daily backup), each job exactly once across a crash; its status for `status`, the dashboard and a
healthcheck (`status --worker`).

Modules:
- `joblog`: `logs/worker.log`: one line per job run (when, which job, how it went, how long).
- `jobs`: What the worker does, one function per job.
- `lock`: One worker per data folder: an exclusive `flock` on `worker/worker.lock` for the worker's whole life.
- `loop`: The worker's loop: each job when it is due, a heartbeat, and a clean stop.
- `run`: `bulletin-tui worker`: one process per data folder that does what is due.
- `status`: `DATA/worker/status.json`: the worker's pid, heartbeat and jobs; the `status --worker` check.
"""
