# Destalin: `make run` to try it, `make test` to check it. `make` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c 'import hashlib,sys;print(hashlib.sha1(open("pyproject.toml","rb").read()).hexdigest()[:12])')
DEV_ENV := DEBUG=1 DJANGO_SETTINGS_MODULE=destalin.settings

.DEFAULT_GOAL := help
.PHONY: help install run serve stress scale-test test test-sqlite test-postgres test-browser lint format migrations-check demo bench bench-load bench-forums clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

# The single sign-on tests run a real OpenID Connect provider (npm's oidc-provider); without
# npm they are skipped with a reason (CI installs it and fails instead).
SSO_MODULES := tests/sso/node_modules/.installed

$(SSO_MODULES): tests/sso/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/sso --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the single sign-on tests will be skipped"; fi

# The W3C Nu HTML Checker for the suite's validation of every page: vnu.jar from the npm
# registry (the vnu-jar package ships the jar itself; its optional Java download is skipped:
# Debian's Java runs it), kept inside .venv so `make clean` removes it.
VNU_VERSION := 26.9.27
VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar

$(VNU_JAR):
	@command -v npm >/dev/null || { echo "npm is needed for the HTML checker (apt-get install npm)"; exit 1; }
	npm install --silent --no-save --no-audit --no-fund --ignore-scripts --prefix $(VENV)/vnu vnu-jar@$(VNU_VERSION)
	test -f $@

install: $(STAMP) $(SSO_MODULES) $(VNU_JAR) ## Create or update .venv with the project and its dev tools

demo: install ## Migrate, load the fixtures and create the demo course and logins
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py createcachetable
	$(DEV_ENV) $(BIN)/python manage.py load_readings
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

run: demo ## Set everything up and serve on http://127.0.0.1:8000 (with the mail worker)
	$(DEV_ENV) sh -c '$(BIN)/python manage.py db_worker --interval 2 & worker=$$!; \
		trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(BIN)/python manage.py runserver 127.0.0.1:8000'

# Production-like: DEBUG off, static files collected, gunicorn with 2 x cores + 1 workers and
# the task worker beside it. Settings come from the environment, or from .env if present
# (see .env.example); SECRET_KEY is required.
WORKERS ?= $(shell $(PYTHON) -c 'import os; print(2 * os.cpu_count() + 1)')
SERVE_ENV := set -a; [ -f .env ] && . ./.env; set +a; DEBUG=0 DJANGO_SETTINGS_MODULE=destalin.settings

serve: install ## Production-like: DEBUG off, collectstatic, migrations, gunicorn and the task worker on 127.0.0.1:8000
	$(SERVE_ENV) $(BIN)/python manage.py check --deploy
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py migrate --no-input
	$(SERVE_ENV) $(BIN)/python manage.py createcachetable
	$(SERVE_ENV) sh -c '$(BIN)/python manage.py db_worker & worker=$$!; \
		trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(BIN)/gunicorn destalin.wsgi --bind $${BIND:-127.0.0.1:8000} --workers $(WORKERS)'

lint: install ## ruff check and format check, the import contract (pyproject.toml), the template linter (djLint)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/djlint templates --lint

format: install ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install ## Fail if a model change has no migration
	env -u DATABASE_URL $(BIN)/python manage.py makemigrations --check --dry-run --settings=destalin.settings_test

test: lint migrations-check test-sqlite test-postgres ## Lint and run the whole suite on SQLite, then on DATABASE_URL if set

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: install
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== whole suite again on $$DATABASE_URL"; \
		$(BIN)/pytest; \
	else \
		echo "== DATABASE_URL not set: PostgreSQL run skipped"; \
	fi

stress: install ## Twenty clients posting while PostgreSQL restarts (needs DATABASE_URL; restarts the local cluster)
	@test -n "$$DATABASE_URL" || { echo "make stress needs DATABASE_URL (PostgreSQL)"; exit 1; }
	STRESS=1 $(BIN)/pytest -m "stress and restart" -s

scale-test: install ## Two app servers on one PostgreSQL and Redis under a bounded locust load (needs DATABASE_URL)
	@test -n "$$DATABASE_URL" || { echo "make scale-test needs DATABASE_URL (PostgreSQL)"; exit 1; }
	STRESS=1 $(BIN)/pytest -m "stress and not restart" -s

test-browser: install ## Only the browser tests (headless chromium)
	env -u DATABASE_URL $(BIN)/pytest -m browser

BENCHES := bench.thread bench.gradebook bench.scale bench.reader bench.margin bench.load

bench: install ## Benchmarks (thread page vs its floor, gradebook and CSV, pages beside university-sized data, a 300-page reading vs a 30-page one, a reading with 2,000 notes vs none, wrk against gunicorn, PDF intake of 300 text pages and a 40-page scan) on SQLite, then on DATABASE_URL if set
	for bench in $(BENCHES); do env -u DATABASE_URL $(BIN)/python -m $$bench || exit 1; done
	@if [ -n "$$DATABASE_URL" ]; then for bench in $(BENCHES); do $(BIN)/python -m $$bench || exit 1; done; fi
	$(BIN)/python -m bench.pdf
	$(MAKE) bench-forums

bench-load: install ## Only the load test: gunicorn (2 workers) on a free port, wrk on the course page, reader and 1,000-post thread (needs Debian's wrk)
	env -u DATABASE_URL $(BIN)/python -m bench.load
	@if [ -n "$$DATABASE_URL" ]; then $(BIN)/python -m bench.load; fi

bench-forums: install ## Spirit, django-machina and Misago render the same 1,000-post thread (each in its own venv under .bench-venvs/)
	$(BIN)/python bench/forums/run.py

clean: ## Remove the virtualenv, the local database and collected static files
	rm -rf $(VENV) .bench-venvs tests/sso/node_modules db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles test-artifacts
