# motcua: `make run` installs and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The national portal's stand-in listens beside the site: 8765 for the default port.
PORTAL_PORT ?= $(shell expr $(PORT) + 765)

.PHONY: install run test test-sqlite test-postgres bench lint format messages mutation clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

messages: install
	$(PY) scripts/compile_messages.py

# `make run` puts demo mode, the port, the public URL and the local national portal's address
# in .env (git-ignored, other lines kept), so every `.venv/bin/motcua …` run later in this
# checkout uses the same mode and database.
run: install messages
	$(PY) -m motcua.settings.env MOTCUA_DEMO=1 MOTCUA_PORT=$(PORT) MOTCUA_PUBLIC_URL=http://127.0.0.1:$(PORT)
	$(PY) -m motcua.settings.env MOTCUA_NATIONAL_PORTAL_URL=http://127.0.0.1:$(PORTAL_PORT)/dong-bo
	$(VENV)/bin/motcua migrate --no-input
	$(VENV)/bin/motcua demo --history-months 2
	$(VENV)/bin/motcua collectstatic --no-input --verbosity 0
	@# The national portal's stand-in and the sync worker run beside the site, so every change
	@# (the demo's history first) is delivered and the "synchronised" metric counts real answers;
	@# the task worker builds reports and mails the scheduled reports and daily early warnings.
	$(VENV)/bin/motcua national-portal-receiver --port $(PORTAL_PORT) > var/national-portal-receiver.log 2>&1 & receiver=$$!; \
	sleep 2; $(VENV)/bin/motcua sync-worker --idle 2 > var/sync-worker.log 2>&1 & worker=$$!; \
	$(VENV)/bin/motcua task-worker > var/task-worker.log 2>&1 & tasks=$$!; \
	trap 'kill $$worker $$receiver $$tasks 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/motcua serve

test: install messages
	bash scripts/test.sh

bench: install messages
	bash scripts/bench.sh

# Mutation testing of the rule modules (docs/mutation.md); slow, so not part of `make test`.
mutation: install messages
	bash scripts/mutation.sh

lint: install
	$(VENV)/bin/ruff check src bench scripts tests
	$(VENV)/bin/ruff format --check src bench scripts tests
	MOTCUA_ENV_FILE= MOTCUA_SECRET_KEY=lint $(VENV)/bin/mypy
	$(PY) scripts/app_graph.py --check
	$(VENV)/bin/lint-imports --no-cache
	MOTCUA_ENV_FILE= MOTCUA_SECRET_KEY=lint $(VENV)/bin/motcua makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format src bench scripts tests
	$(VENV)/bin/ruff check --fix src bench scripts tests

clean:
	rm -rf $(VENV) var .env
