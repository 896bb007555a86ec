# Kotikanava: `make run` sets everything up and starts the site; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
# System packages the project needs (Debian 12 names).
APT_PACKAGES := ffmpeg gettext chromium nginx-light libnginx-mod-rtmp libvoikko1 voikko-fi \
	postgresql-client rsync
APT_COMMANDS := ffmpeg ffprobe msgfmt chromium nginx pg_dump pg_restore rsync

.PHONY: run test setup system-packages python-packages frontend messages database demo lint clean

run: setup demo
	@$(BIN)/honcho -f deploy/Procfile.dev start

# The production path (PostgreSQL) runs against the machine's real server, as CI does.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test

test: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -m "not postgres"
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -m postgres

setup: system-packages python-packages frontend messages database

system-packages:
	@missing=""; for cmd in $(APT_COMMANDS); do command -v $$cmd >/dev/null || missing=1; done; \
	[ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] || missing=1; \
	[ -f /usr/lib/voikko/5/mor-standard/mor.vfst ] && ls /usr/lib/*/libvoikko.so.1 >/dev/null 2>&1 || missing=1; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; \
	  else echo "Missing system packages. Run:"; \
	    echo "  sudo apt-get update && sudo apt-get install -y $(APT_PACKAGES)"; exit 1; fi; \
	  echo "Installing system packages: $(APT_PACKAGES)"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    $(APT_PACKAGES) >/dev/null; \
	fi

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e ".[test]"
	@touch $@

python-packages: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend: node_modules/.package-lock.json

messages: $(VENV)/.installed
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

database: python-packages
	@$(MANAGE) migrate --noinput -v 0
	@$(MANAGE) collectstatic --noinput -v 0

demo: database
	@$(MANAGE) load_demo

lint: python-packages
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules static
