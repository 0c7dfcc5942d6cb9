"""Use cases shared by the CLI, the TUI and the web face, one package per capability; each takes an `AppContext`.

`context.py` holds the collaborators they share. A package's `__init__.py` holds only its docstring (its modules,
one line each): import a name from the module that defines it.

- `aggregates/`: counts kept when retention removes the detail (the report and the feedback summary read them).
- `awareness/`: the awareness calendar's campaigns, their dates and the check that an issue mentions them.
- `bulletins/`: bulletin issues: create, assemble, check, prepare (render once), render to a folder, publish.
- `demo/`: the demo data.
- `feedback/`: questionnaire exports: import, column mappings, summaries, a person in them.
- `folder/`: the data folder itself: its backups and putting one back, its status at a glance.
- `inbox/`: the return path: one pass over the team mailbox, the review queue, partners' draft items.
- `inputs/`: files a user names, read within limits.
- `mailauth/`: mail sign-in (OAuth2 through MSAL, the client secret) and the steps `mail check` records.
- `mailcheck/`: `mail check`: reaching the mailbox, the Graph permissions, `--deliverability`.
- `mailings/`: sending: each mailing (a bulletin send, a follow-up, session mail, a single message) through the
  one runner, and its ledger.
- `partners/`: the registry of partner organisations.
- `privacy/`: every place personal data lives; subject access, erasure, retention, the audit.
- `schedule/`: scheduled sends, and which bulletin is next.
- `sessions/`: information sessions: catalogue, dates, registrations, session mail, reminders, attendance.
- `subscribers/`: people and consent, lists, CSV import and undo, tokens, the suppression list, export, unsubscribes
  the web face journalled but not yet applied.
- `teams/`: Teams meetings and attendance through Microsoft Graph.
- `web/`: the web face's use cases: the inbound journal, signed links.
- `worker/`: `bulletin-tui worker`: its jobs, loop, lock, log and status.
- `yearly_report/`: the financial-year KCST update for the partnership (Markdown and Word); not a delivery report.
"""
