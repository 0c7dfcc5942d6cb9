"""Bulletin issues: create and list issues, assemble items (backlog, order, sections), pre-send checks,
mark ready, load an issue and have it rendered once (`prepare_issue`), render an issue to a folder (HTML,
text, archive page, .ics, sample .eml), and publish the archive as a static site.

Modules:
- `assembly`: Assemble an issue: add, edit, remove and reorder items, pick from the backlog, mark ready.
- `calendar_items`: Bulletin items from the awareness calendar: a month's campaigns offered to its issue.
- `check_inputs`: What an issue's pre-send checks read, as one fingerprint.
- `command_checks`: `bulletin check`: the pre-send checks plus the privacy notice's.
- `issues`: Bulletin issues: create, list, check before sending, mark ready (items are assembled in assembly.py).
- `prepare`: Load an issue from the store and have it rendered once.
- `promotional`: The PECR pre-send check.
- `publish`: `bulletin publish`: the archive as a static site that "View this bulletin online" links into.
- `render`: Write an issue to a folder: inlined HTML, plain text, archive page.
"""
