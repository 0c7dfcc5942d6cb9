"""The data folder itself: its backups and putting one back, whether it is brand new, and its status at a glance.

Modules:
- `backups`: The database's backups as the terminal app offers them.
- `fresh`: A brand-new data folder: the only kind in which opening for writing starts a database.
- `status`: The data folder at a glance for whoever runs `serve` (`bulletin-tui status`).
"""
