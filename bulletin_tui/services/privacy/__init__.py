"""Privacy: every place personal data lives (`places.PLACES`), and what goes through them all: subject access
(everything held about a person), erasure, the retention schedule and the personal-data audit.

Modules:
- `audit`: The personal-data audit: every place personal data lives, what it holds now (count, oldest).
- `files`: Files outside the database that may hold a person.
- `ledger_files`: Send ledgers as a privacy place.
- `log_files`: The data folder's logs as a privacy place.
- `place`: What one place where personal data lives must offer.
- `places`: Every place personal data lives, in one list (`PLACES`) that every privacy function iterates.
- `places_files`: Places outside the database besides sent mail.
- `places_inbox`: Places the team mailbox's return path fills.
- `places_mail`: Places what was sent leaves behind.
- `places_people`: Places in the database that hold people as such.
- `places_sessions`: Places in the database about sessions.
- `retention`: The retention schedule applied.
- `retention_class`: One class of the retention schedule.
- `retention_db`: Retention classes kept in the database (registrations, questionnaires, inbox, people).
- `retention_files`: Retention classes kept in files.
- `subject`: Subject access (everything held about one person) and erasure, through every place.
- `subject_view`: Subject access as sections, one per place personal data lives (`places.PLACES`).
"""
