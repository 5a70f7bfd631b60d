# motcua: `make run` installs and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export MOTCUA_DEMO ?= 1

.PHONY: install run test test-sqlite test-postgres bench lint format messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

messages: install
	$(PY) scripts/compile_messages.py

run: install messages
	$(VENV)/bin/motcua migrate --no-input
	$(VENV)/bin/motcua demo --history-months 2
	$(VENV)/bin/motcua indices-demo
	$(VENV)/bin/motcua feedback-demo
	$(VENV)/bin/motcua collectstatic --no-input --verbosity 0
	PORT=$(PORT) $(VENV)/bin/motcua serve

test: install messages
	bash scripts/test.sh

bench: install messages
	bash scripts/bench.sh

lint: install
	$(VENV)/bin/ruff check src bench scripts tests
	$(VENV)/bin/ruff format --check src bench scripts tests
	MOTCUA_SECRET_KEY=lint $(VENV)/bin/motcua makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format src bench scripts tests
	$(VENV)/bin/ruff check --fix src bench scripts tests

clean:
	rm -rf $(VENV) var
