"""Demo data: sample issues and sessions from the KCSP papers' facts and clearly fake subscribers.

Modules:
- `loader`: Demo data: bulletin items and sessions from the KCSP papers' facts, plus clearly fake subscribers.
- `partners`: Demo partner organisations: names and types from the KCSP papers' facts.
- `schedule`: Where the demo puts its dated records, relative to "now" as a London calendar date.
- `training`: The demo's multi-date training: the ASB Tools & Powers CPD (kcst-facts S08).
"""
