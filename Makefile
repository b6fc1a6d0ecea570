# Two commands set everything up on a fresh machine: `make run` and `make test`.
# Django 6 needs Python 3.12 or newer; the first one found is used.
PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/correspondence
REDIS ?= redis://127.0.0.1:6379

# `make run`, the tests and the benchmarks serve plain HTTP on loopback (HTTPS_ONLY=false), signed with a secret key
# of this machine made once in .secret_key (kept out of git). A deployment sets SECRET_KEY itself (docs/operations.md).
ifndef SECRET_KEY
SECRET_KEY := $(shell test -s .secret_key || (umask 077; $(or $(PYTHON),python3) -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key); cat .secret_key)
endif
export SECRET_KEY
export HTTPS_ONLY ?= false

.PHONY: run test test-postgres test-embedded lint check install system-packages clean bench fuzz

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# From Debian, for the tests: chromium drives the staff pages; DejaVu Sans sets Greek and Cyrillic letters.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		echo "Installing from Debian:$$missing"; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	fi

# The embedded default: SQLite, in-process tasks, emails written to ./outbox.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "API key (all scopes, live mode, postal accounts ABC12345 and ABC01234): $$($(PY) manage.py create_api_key demo --scopes all --postal-account ABC12345 --postal-account ABC01234)"
	@echo "Admin: http://127.0.0.1:8000/admin/  user admin  password admin"
	@echo "API docs: http://127.0.0.1:8000/api/docs/"
	EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend} \
		$(VENV)/bin/gunicorn config.wsgi --config config/gunicorn.py --bind 127.0.0.1:8000

# The whole suite: PostgreSQL and Redis, then the embedded default on SQLite.
test: install system-packages check test-postgres test-embedded

test-postgres: install system-packages
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} REDIS_URL=$${REDIS_URL:-$(REDIS)/0} \
		$(PY) -m pytest -m "not embedded" $(PYTEST_ARGS)

test-embedded: install
	env -u DATABASE_URL -u CELERY_BROKER_URL -u REDIS_URL -u RATE_LIMIT_REDIS_URL \
		$(PY) -m pytest -m embedded -p no:cacheprovider $(PYTEST_ARGS)

# The hostile-input fuzz tests of the five API families (docs/testing.md), at FUZZ_EXAMPLES examples each instead of
# the few `make test` runs; derandomized, so a run repeats, and a larger number searches further.
FUZZ_EXAMPLES ?= 1000
FUZZ_TESTS := tests/accounts/test_backoffice_hostile_input_fuzz.py tests/communications/test_crm_parameters_fuzz.py \
	tests/correspondence/test_letters_hostile_input_fuzz.py \
	tests/correspondence/initialize/test_altinn_hostile_input_fuzz.py tests/postal/test_jsonrpc_fuzz.py

fuzz: install
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} REDIS_URL=$${REDIS_URL:-$(REDIS)/0} FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
		$(PY) -m pytest -p no:cacheprovider --hypothesis-show-statistics $(FUZZ_TESTS) $(PYTEST_ARGS)

check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

lint: check

# Every benchmark against PostgreSQL- and Redis-backed servers; the table goes to bench/results.md.
bench: install
	command -v wrk >/dev/null || { apt-get install -y wrk 2>/dev/null || sudo apt-get install -y wrk; }
	$(PY) -m pip install --quiet -r bench/requirements.txt
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 outbox media
