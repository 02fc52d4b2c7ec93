# The two commands a newcomer needs:  make run   and   make test
# Both set up everything (virtual environment, packages, database) on first use.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8000
# In development the site's address (SITE_URL: canonical URLs, feeds, sitemap, the admin
# link printed by the commands) follows HOST and PORT unless SITE_URL is set (forum/settings.py).
SERVE  := HOST=$(HOST) PORT=$(PORT)

.PHONY: run serve test install install-test install-production database migrate demo bench format clean help

help:
	@echo "make run    - set up, load the demo article, serve http://$(HOST):$(PORT)/"
	@echo "              (another address: make run PORT=8101  or  make run HOST=0.0.0.0 PORT=8101)"
	@echo "make test   - set up and run the whole test suite (DATABASE_URL picks the database;"
	@echo "              pytest options: make test PYTEST_ARGS=\"-k admin -x\")"
	@echo "make serve  - the production stack locally: gunicorn, DEBUG off, WhiteNoise, Redis if REDIS_URL"
	@echo "make bench  - run the benchmarks in bench/"
	@echo "make format - format the Python code (ruff format) and indent the templates (djhtml)"
	@echo "Other commands: $(PY) manage.py import_transcript FILE, export_transcript SLUG (see README)"

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || { echo "error: $(PYTHON) cannot create a virtual environment; on Debian or Ubuntu install it with: sudo apt-get install python3-venv" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e ".[test]"
	touch $@

$(VENV)/.installed-production: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e ".[production]"
	touch $@

install: $(VENV)/.installed
install-production: $(VENV)/.installed-production
install-test: $(VENV)/.installed-test

# Creates the PostgreSQL database DATABASE_URL names when it is missing (SQLite needs nothing).
database: install
	$(PY) manage.py ensure_database

migrate: database
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo
	$(SERVE) $(PY) manage.py ensure_demo_admin

run: demo
	$(SERVE) $(PY) manage.py runserver $(HOST):$(PORT)

# The production stack on this machine, as a server would run it (README, "Running in
# production"): DEBUG off, collected and compressed static files, gunicorn with 2 workers
# per core. Plain HTTP on 127.0.0.1, so HTTPS redirects and secure cookies are off here.
# REDIS_URL=redis://127.0.0.1:6379/0 make serve  shares the cache between the workers.
SERVE_ENV = DEBUG=false SECRET_KEY="$$(cat var/serve-secret-key)" SECURE_SSL_REDIRECT=false \
	SECURE_COOKIES=false SECURE_HSTS_SECONDS=0 CONN_MAX_AGE=$${CONN_MAX_AGE:-600} \
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} BIND=$(HOST):$(PORT)

serve: demo install-production
	@mkdir -p var && test -s var/serve-secret-key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/serve-secret-key
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(VENV)/bin/gunicorn -c forum/gunicorn.conf.py forum.wsgi

test: install-test
	bash .ci/install-test-tools
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install-test
	$(PY) bench/run.py

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml templates

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm media var staticfiles node_modules
