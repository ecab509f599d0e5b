# tiro — two commands on a fresh machine:
#   make run    set up, migrate, load reference data, serve API + dashboard on :8000
#   make test   set up (dev dependencies, PostgreSQL, Chromium) and run the whole suite
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
TIRO := $(VENV)/bin/tiro
PYTHON ?= python3
PYTEST_ARGS ?=

.PHONY: run test setup setup-dev lint docs lock bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check "uv>=0.5,<1"

$(VENV)/.run-deps: pyproject.toml requirements.lock | $(PY)
	$(UV) pip install -q --python $(PY) -c requirements.lock -e .
	touch $@

$(VENV)/.dev-deps: pyproject.toml requirements.lock | $(PY)
	$(UV) pip install -q --python $(PY) -c requirements.lock -e '.[dev]'
	touch $@ $(VENV)/.run-deps

setup: $(VENV)/.run-deps
setup-dev: $(VENV)/.dev-deps

run: setup
	$(TIRO) db upgrade
	$(TIRO) db seed
	$(TIRO) serve

test: setup-dev
	scripts/test-setup.sh
	$(VENV)/bin/ruff check .
	$(TIRO) params lint
	TIRO_TEST_POSTGRES_URL=$$(scripts/test-postgres.sh start) \
	  $(PY) -m pytest -n 2 -q -p no:cacheprovider $(PYTEST_ARGS)

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TIRO) params lint

docs: setup-dev
	$(TIRO) docs build

lock: $(PY)
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 -q -o requirements.lock

clean:
	rm -rf $(VENV) var
	scripts/test-postgres.sh stop
