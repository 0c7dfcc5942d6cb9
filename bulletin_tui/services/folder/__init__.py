"""The data folder itself: its backups and putting one back, and whether it is brand new.

Modules:
- `backups`: The database's backups as the terminal app offers them.
- `fresh`: A brand-new data folder: the only kind in which opening for writing starts a database.
"""
