# The two commands a newcomer needs:  make run   and   make test
# Both set up everything (virtual environment, packages, database) on first use.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run serve test install install-test install-production migrate demo bench clean help

help:
	@echo "make run    - set up, load the demo article, serve http://$(HOST):$(PORT)/"
	@echo "make test   - set up and run the whole test suite (DATABASE_URL picks the database)"
	@echo "make serve  - the production stack locally: gunicorn, DEBUG off, WhiteNoise, Redis if REDIS_URL"
	@echo "make bench  - run the benchmarks in bench/"

$(VENV)/.installed: pyproject.toml
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

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_demo_admin --address $(HOST):$(PORT)

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

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

clean:
	rm -rf $(VENV) db.sqlite3 media var staticfiles node_modules
