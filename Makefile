# The two commands a newcomer needs:  make run   and   make test
# Both set up everything (virtual environment, packages, database) on first use.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install install-test migrate demo bench clean help

help:
	@echo "make run    - set up, load the demo article, serve http://$(HOST):$(PORT)/"
	@echo "make test   - set up and run the whole test suite (DATABASE_URL picks the database)"
	@echo "make bench  - run the benchmarks in bench/"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_demo_admin --address $(HOST):$(PORT)

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-test
	bash .ci/install-test-tools
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install-test
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 media var staticfiles node_modules
