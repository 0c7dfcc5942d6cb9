"""Feedback questionnaires: import a Microsoft Forms (or any CSV/XLSX) export with a column mapping saved per
session kind, summarise it per session and per year, and find or erase a person in it.

Modules:
- `imports`: Import a questionnaire export (Microsoft Forms or any CSV/XLSX) for one session.
- `mapping`: The column mapping of a questionnaire export.
- `privacy`: A person in the questionnaires.
- `sheet`: A questionnaire export as a header and numbered rows.
- `summary`: What the questionnaires say: per session (responses, response rate, ratings) and pooled over a year.
"""
