# factcheck: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test install lint format bench bench-quick clean audit

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "factcheck needs Python 3.11 or newer")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# Embedded mode: SQLite file, Celery tasks run in-process, sample data, server on localhost.
DEMO_ENV := DEBUG=1 FACTCHECK_EMBEDDED=1
demo: $(STAMP)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py demo_setup
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# The whole suite plus lint and format checks. Bare machine: SQLite and eager tasks (the
# pytest plugin sets FACTCHECK_EMBEDDED=1 and FACTCHECK_PLAIN_HTTP=1 for the run); with
# DATABASE_URL and CELERY_BROKER_URL set (as .ci/run does) it runs against PostgreSQL and Redis.
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

bench-quick: $(STAMP)
	$(PY) -m bench --quick $(BENCH_ARGS)

# Fails on known vulnerabilities in the installed dependencies (pip-audit; see ops/audit.py).
audit: $(STAMP)
	$(PY) ops/audit.py $(AUDIT_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache tests/artifacts
