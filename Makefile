# S-PASS Territoires — the two commands: `make run` and `make test`.
# Everything the platform needs is installed by these targets on a fresh Debian 12 machine.
SHELL := /bin/bash
.DEFAULT_GOAL := run
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_WORKERS ?= 3
VENDOR := static/vendor
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test stop install system-deps venv assets db migrate demo serve lint messages lock umap-env

install: system-deps venv assets

system-deps:
	@bin/install-system-deps $(if $(filter test,$(MAKECMDGOALS)),--test)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(UV): | $(VENV)/bin/python
	$(PY) -m pip install -q "uv==$(UV_VERSION)"

$(VENV)/.installed: requirements.lock | $(UV)
	$(UV) pip install -q --compile-bytecode --python $(PY) --require-hashes -r requirements.lock
	touch $@

venv: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

$(VENDOR)/.installed: node_modules/.installed bin/vendor-assets layers/icons.py $(VENV)/.installed
	bin/vendor-assets
	touch $@

assets: $(VENDOR)/.installed

db: install
	@if [ -z "$$DATABASE_URL" ]; then bin/spass-db start; fi

locale/en/LC_MESSAGES/django.mo: locale/en/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages -v0 --ignore '.venv' --ignore 'node_modules'

messages: locale/en/LC_MESSAGES/django.mo

migrate: db messages
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_territories --if-empty
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_maps
	$(PY) manage.py load_demo_news
	$(PY) manage.py load_demo_portals
	$(PY) manage.py load_demo_pins
	$(PY) manage.py load_demo_forms
	$(PY) manage.py load_demo_actors
	$(PY) manage.py load_demo_activite
	$(PY) manage.py load_demo_carnets

serve: demo
	$(PY) manage.py collectstatic --noinput --clear -v0
	@mkdir -p var/run var/log
	@echo "S-PASS Territoires : http://$(HOST):$(PORT)/  (arrêt : make stop)"
	@# background jobs (web imports): the procrastinate worker, stopped by make stop
	$(PY) manage.py procrastinate worker >>var/log/worker.log 2>&1 & echo $$! >var/run/worker.pid
	@# granian: HTTP in Rust (keep-alive), one Python thread per worker process, like the
	@# sync workers of gunicorn it replaced (7x the cached tiles per second: bench/tiles)
	exec $(VENV)/bin/granian --interface wsgi config.wsgi:application --host $(HOST) \
	  --port $(PORT) --workers $(WEB_WORKERS) --blocking-threads 1 --no-ws \
	  --pid-file var/run/web.pid --access-log --log-config config/granian-logging.json

run: serve

# OGC API Features conformance suite for tests/ogc: it pins pytest<9, so it gets its own venv.
OGCTESTS := var/ogctests
$(OGCTESTS)/.installed:
	$(PYTHON) -m venv $(OGCTESTS)
	$(OGCTESTS)/bin/pip install -q "ogctests==0.1.15"
	touch $@

# The real uMap, in its own venv, for tests/layers/test_umap_real.py (required when CI=true).
UMAP_VERSION := 3.7.3
UMAP_VENV := var/umap-venv
$(UMAP_VENV)/.installed:
	$(PYTHON) -m venv $(UMAP_VENV)
	$(UMAP_VENV)/bin/pip install -q "umap-project==$(UMAP_VERSION)"
	touch $@

test: db messages $(OGCTESTS)/.installed $(UMAP_VENV)/.installed
	$(PY) manage.py check --fail-level ERROR
	$(VENV)/bin/ruff check .
	@# the 30 slowest tests are listed at the end: where to look when the suite grows slow
	$(VENV)/bin/pytest --durations=30 $(PYTEST_ARGS)

stop:
	@if [ -f var/run/web.pid ]; then kill "$$(cat var/run/web.pid)" 2>/dev/null || true; fi
	@if [ -f var/run/worker.pid ]; then kill "$$(cat var/run/worker.pid)" 2>/dev/null || true; rm -f var/run/worker.pid; fi
	@if [ -z "$$DATABASE_URL" ] && [ -x bin/spass-db ]; then bin/spass-db stop; fi

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Re-resolve requirements.lock after editing pyproject.toml (names and hashes only).
lock: | $(UV)
	$(UV) pip compile pyproject.toml --group dev --generate-hashes --python-version 3.11 \
	  --no-header --no-annotate --quiet -o requirements.lock

umap-env: $(UMAP_VENV)/.installed
