"""The yearly report (`bulletin-tui report`): the financial-year KCST update for the partnership (not a delivery
report: those are the inbox's bounces).

Modules:
- `data`: Facts for the financial-year KCST update: sessions delivered, bulletins sent, subscriber numbers.
- `document`: The yearly report as blocks (headings, text, bullet lists, tables, charts).
- `docx`: The yearly report as a Word document for a meeting's agenda pack.
- `feedback_lines`: The report's feedback section.
- `report`: The KCST update for the partnership.
- `who_lines`: The report's "who is who" section.
"""
