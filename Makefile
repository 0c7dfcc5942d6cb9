# One command to run the app, one to run the tests; both set themselves up on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run demo test test-fast lint bench setup

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
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow and not browser"

lint: $(STAMP)
	$(VENV)/bin/ruff check bulletin_tui tests benchmarks
	$(VENV)/bin/mypy bulletin_tui
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(PY) $$b || exit 1; done
