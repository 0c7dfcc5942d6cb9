"""Known partner organisations: the registry (add, edit, remove, list) and who a sender speaks for.

Modules:
- `registry`: The registry of partner organisations (table `partners`), and which partner a sender speaks for.
"""
