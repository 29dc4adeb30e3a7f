# The menu of routine commands. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# The suite, browser tests included, runs in parallel processes (pytest-xdist), one per core here.
# `--dist loadfile` keeps each module's tests in one process, so a module-wide fixture (the demo's copy, a
# crawl, a server, a scaled demo) is built once, not once in each process. Modules are handed out in the
# order tests/conftest.py gives them (`--no-loadscope-reorder`): the longest first (LONGEST_FIRST), then
# those with most tests, so that the two processes finish together.
TEST_WORKERS ?= 2
export PORT

.PHONY: run test lint typecheck pytest e2e bench load fuzz setup migrate demo lock clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements/dev.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(BIN)/presence migrate --noinput

demo: migrate
	$(BIN)/presence demo

run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/presence serve

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/lint-imports --no-cache

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/presence makemigrations --check --dry-run
	$(BIN)/pytest -q -p no:cacheprovider --collect-only tests/e2e >/dev/null; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no browser tests: failing"; exit 1; fi; \
	  if [ $$status -ne 0 ]; then exit $$status; fi
	$(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

test: lint typecheck pytest

e2e: setup
	$(BIN)/pytest -q -m e2e tests/e2e

# Page benchmark at BENCH_SCALE (default 1,10; e.g. BENCH_SCALE=1,10,100) times the demo, each scale in a
# database of its own built once (var/bench-<N>x, or <db>_bench_<N>x on PostgreSQL); BENCH_ROUNDS per page.
bench: setup
	$(BIN)/python -m presence.bench

# Load test: locust, headless, against `presence serve --production` on 127.0.0.1 with LOAD_USERS logged-in
# demo users (default 20, then 50) for LOAD_SECONDS each (default 30), on LOAD_SCALE times the demo (default 1).
load: setup
	$(BIN)/python -m presence.bench._load

# schemathesis over every API operation of a fresh demo served on 127.0.0.1, as an editor; fails on any 5xx.
# Bounded: FUZZ_EXAMPLES per operation (default 10), FUZZ_SECONDS in all (default 900).
fuzz: setup
	$(BIN)/python tests/fuzz/run_schemathesis.py

# Refresh the translation catalogs from the source, then compile them (needs GNU gettext; see docs/translations.md).
messages: setup
	cd src/presence && ../../$(BIN)/presence makemessages -l fr -l es -l ar -l ru -l zh_Hans --no-obsolete
	cd src/presence && ../../$(BIN)/presence compilemessages

# Refresh the lock file after editing requirements/*.in (needs uv).
lock:
	uv pip compile --python-version 3.11 --generate-hashes requirements/dev.in -o requirements/dev.lock

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
