"""The data folder itself: its backups and putting one back.

Modules:
- `backups`: The database's backups as the terminal app offers them.
"""
