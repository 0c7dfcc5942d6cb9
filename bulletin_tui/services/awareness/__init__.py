"""The awareness calendar: campaigns of the team's year (rules and a year's actual dates), seeded with the events
of the source papers; what falls in a window or a month; the check that an issue mentions the campaigns starting
in its month (the items made from them are `bulletins.calendar_items`).

Modules:
- `campaigns`: Keep the calendar: add, edit, remove campaigns and record a year's actual dates.
- `check`: The calendar's pre-send check on an issue: campaigns starting in its month that no item mentions.
- `schedule`: Where the calendar's campaigns fall: a window from today, a year, a bulletin issue's month.
- `seed`: The campaigns of the source papers (kcst-facts B04, B06, B18), added once.
- `year`: The calendar as the commands show it: a year's dates, past/on now/upcoming, next dates.
"""
