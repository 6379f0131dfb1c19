# Task runner: `make test` (whole suite), `make test-fast` (no daemons), lint, typecheck, bench.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: venv test-tools test test-fast lint format typecheck bench docs-check lint-shell test-integration \
	bench-ssh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

# Debian packages the tests need beyond install.sh's (pebble, shellcheck); idempotent.
test-tools:
	scripts/install-test-tools

# Fast tests run on every core; integration tests share the real daemons, one at a time.
test: venv test-tools
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -m "not integration" -n auto
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -m integration

test-fast: venv
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -m "not integration" -n auto

lint: venv
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

format: venv
	$(VENV)/bin/ruff check --fix src tests bench
	$(VENV)/bin/ruff format src tests bench

typecheck: venv
	$(VENV)/bin/mypy

bench: venv
	$(PY) bench/cli_latency.py

# Shell scripts: the installer, CI entry point and host scripts (needs `shellcheck`).
SHELL_SCRIPTS := install.sh .ci/run scripts/start-services scripts/make-base-image \
	scripts/install-test-tools

lint-shell:
	shellcheck $(SHELL_SCRIPTS)

# Only the tests against the real installation (run ./install.sh first, as root).
test-integration: venv test-tools
	$(PY) -m pytest -m integration

# SSH hop latency against the installed pydokku (root, after ./install.sh).
bench-ssh: venv
	$(PY) bench/ssh_latency.py
