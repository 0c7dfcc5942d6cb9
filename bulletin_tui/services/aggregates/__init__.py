"""Aggregates: the counts kept when retention removes the detail behind them (docs/privacy.md), read by the yearly
report and the feedback summary and written by privacy's retention. Counts only: nothing leads back to a person.

Modules:
- `kept`: Figures kept when the detail behind them goes (the retention schedule, docs/privacy.md).
- `kept_people`: The yearly subscriber counts kept before people who left long ago are removed.
"""
