# One command to run the app, one to run the tests; both set themselves up on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run demo test test-fast test-dates test-calendar lint bench setup

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

run: $(STAMP)  ## open the TUI on the default data dir (outbox transport until SMTP is configured)
	$(VENV)/bin/bulletin-tui

demo: $(STAMP)  ## load the demo data into the default data dir
	$(VENV)/bin/bulletin-tui demo

test: $(STAMP)  ## install test-only tools (chromium, axe-core) if missing, then run every test
	bash scripts/test-deps.sh
	$(PY) -m pytest --durations=15

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow and not browser"

# The tests that touch dates, times or the demo, under a machine clock moved to two instants (docs/reproducible-runs.md):
# anything that reads the machine's time instead of the Clock fails here. CI runs it after `make test`.
DATE_TESTS := tests/test_clock.py tests/test_times.py tests/awareness tests/feedback/test_rules.py \
	tests/feedback/test_report.py tests/sessions/test_dst.py tests/sessions/test_reminders.py \
	tests/sessions/test_report.py tests/sessions/test_occurrence_demo.py tests/sessions/test_occurrence_listings.py \
	tests/sessions/test_occurrence_rules.py tests/sessions/test_followup.py tests/sessions/test_cli.py \
	tests/rendering/test_assembly.py tests/rendering/test_render.py tests/errors/test_top_level_guard.py \
	tests/errors/test_read_only_folder.py tests/storage/test_permissions.py tests/test_outputs.py \
	tests/sending/test_cli.py tests/sending/test_multi_list.py tests/web/test_occurrence_registration.py \
	tests/tui/test_awareness_calendar.py tests/tui/test_session_dates.py tests/tui/test_errors_and_dashboard.py
DATE_INSTANTS := 2027-03-31T23:59:00+01:00 2028-02-29T12:00:00Z
CALENDAR_INSTANTS := now $(DATE_INSTANTS) 2027-10-31T01:30:00Z

test-dates: $(STAMP)  ## the date-sensitive tests under two faked machine clocks, side by side (one core each)
	@echo "Date-sensitive tests under a machine clock of: $(DATE_INSTANTS)"
	@pids=; for at in $(DATE_INSTANTS); do \
	  scripts/faketime-run.sh "$$at" $(PY) -m pytest -p no:cacheprovider -m "not slow and not browser" --durations=8 \
	    $(DATE_TESTS) > "$(VENV)/test-dates-$$at.log" 2>&1 & pids="$$pids $$!"; done; \
	failed=0; for pid in $$pids; do wait $$pid || failed=1; done; \
	for at in $(DATE_INSTANTS); do echo "== under a machine clock of $$at:"; tail -n 40 "$(VENV)/test-dates-$$at.log"; done; \
	exit $$failed

test-calendar: $(STAMP)  ## the whole fast suite under each of the four instants of docs/reproducible-runs.md
	for at in $(CALENDAR_INSTANTS); do \
	  scripts/faketime-run.sh "$$at" $(PY) -m pytest -m "not slow and not browser" || exit 1; done

lint: $(STAMP)
	$(VENV)/bin/ruff check bulletin_tui tests benchmarks
	$(VENV)/bin/mypy bulletin_tui
	$(VENV)/bin/lint-imports
	$(VENV)/bin/vulture  # dead code: [tool.vulture] in pyproject.toml, scripts/vulture_whitelist.py

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(PY) $$b || exit 1; done
