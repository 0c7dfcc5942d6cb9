"""Names vulture (`make lint`, [tool.vulture] in pyproject.toml) cannot see used, each with who uses it.

Vulture reads this file as code: an attribute access here counts as a use. Nothing imports or runs it. Whole
families (Textual's `on_*`/`action_*`/`compose`/`BINDINGS`/CSS, Typer commands, pydantic validators) are ignored
by name or decorator in pyproject.toml instead.
"""

# ruff: noqa
_ = object()

# Textual and Rich read these attributes and call these overrides.
_.disabled, _.highlighted, _.show_root, _.show_row_labels, _.cursor_type, _.select_on_focus  # widget attributes
_.no_wrap, _.overflow  # rich.text.Text attributes (widgets/fit_table.py)
_.filter_paths  # DirectoryTree override (widgets/file_picking.py)
_.get_suggestion  # Suggester override (widgets/file_picking.py)
console  # the __rich_console__ / __rich_measure__ protocol's argument (widgets/cells.py)

# TinyDB's extension points (storage/database.py).
_.document_id_class, _.table_class, _._get_next_id

# markdown-it-py calls the parser's link check (rendering/markdown.py).
_.validateLink

# html.parser.HTMLParser callbacks are ignored by name in pyproject.toml; these are the template context:
# rendering/view.py and rendering/followup.py fields read only by the Jinja templates in templates/.
_.summary_html, _.summary_links, _.closed, _.register_url, _.google_url, _.outlook_url, _.ics_url
_.date_text, _.preheader, _.intro_html, _.intro_text, _.feedback_text, _.feedback_ask

# Settings fields read by name: [retention] periods (services/privacy/retention_class.py: getattr(..., setting)).
_.registrations_months, _.feedback_text_months, _.inbox_months, _.sent_mail_months, _.leavers_months
_.exports_days, _.logs_days

# StrEnum members chosen from the command line by value (commands/sessions_common.py Fold).
_.SECOND, _.GMT

# Stored record fields: written to the database or a file and read back by pydantic, shown in exports and
# subject access (model_dump), never by attribute.
_.updated_by, _.access_needs, _.undone_by, _.cancelled_by, _.kept_at, _.synced_at, _.attendance_taken_at
_.attendance_reports, _.tables, _.comment, _.last_email, _.by_sender, _.awareness_campaigns, _.graph_message

# Named as strings: services/privacy/places_inbox.py calls these through `getattr(inbox, name)`.
_.erase_messages, _.erase_changes, _.erase_score, _.erase_contributions

# Used by the tests and benchmarks (a test clock, counters a test reads, entry points a test drives).
_.advance  # domain/clock.py: tests move a fixed clock on
_.FINAL_STATES, _.commits  # sending/ledger.py
_.NOT_PERSONAL  # services/privacy/places.py, checked against every table
_.reloads, _.last_wait_s  # storage/atomic.py, benchmarks/bench_contention.py
_.all_entries  # storage/journal.py
_.send_followup, _.send_bulletin, _.fetch_due_attendance, _.attendance_summary, _.attendance_chart
_.online_session_slugs, _.keys_markdown, _.current_name
