# tiro — two commands on a fresh machine:
#   make run    set up, migrate, load reference data, serve API + dashboard on :8000
#   make test   set up (dev dependencies, PostgreSQL, Chromium) and run the whole suite
# Both print the one line that puts `tiro` on the PATH of your shell (source .venv/bin/activate).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
TIRO := $(VENV)/bin/tiro
PYTHON ?= python3
PYTEST_ARGS ?=
# Bytecode is compiled at install: the first `tiro` may run where Python cannot write it.
INSTALL := $(UV) pip install -q --compile-bytecode --python $(PY) -c requirements.lock
COMPILE_SRC := $(PY) -m compileall -q src/tiro
ACTIVATE_HINT := printf '\ntiro is installed in $(VENV)/bin; to have `tiro` on the PATH of your shell:\n  source $(VENV)/bin/activate\n\n'

.PHONY: run test setup setup-dev lint docs lock bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check "uv>=0.5,<1"

$(VENV)/.run-deps: pyproject.toml requirements.lock | $(PY)
	$(INSTALL) -e .
	$(COMPILE_SRC)
	touch $@

$(VENV)/.dev-deps: pyproject.toml requirements.lock | $(PY)
	$(INSTALL) -e '.[dev]'
	$(COMPILE_SRC)
	touch $@ $(VENV)/.run-deps

setup: $(VENV)/.run-deps
setup-dev: $(VENV)/.dev-deps

run: setup
	$(TIRO) db upgrade
	$(TIRO) db seed
	$(TIRO) manufacturing library seed
	@$(ACTIVATE_HINT)
	$(TIRO) serve

# PostgreSQL for this checkout only, stopped when the suite ends (TIRO_KEEP_POSTGRES=1 keeps it).
test: setup-dev
	scripts/test-setup.sh
	$(VENV)/bin/ruff check .
	$(TIRO) params lint
	status=0; scripts/test-postgres.sh run -- \
	  $(PY) -m pytest -n 2 -q -p no:cacheprovider $(PYTEST_ARGS) || status=$$?; \
	  $(ACTIVATE_HINT); exit $$status

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
