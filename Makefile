# Two commands on a fresh machine: `make run` (serve with demo data) and `make test`.
# Both are idempotent. Settings come from the environment (see README).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
DEMO_PASSWORD ?= coventry-demo
# Links in e-mails (invitations, notifications) point at the server `make run` starts.
SITE_URL ?= http://127.0.0.1:$(PORT)
export DEMO_PASSWORD SITE_URL

.PHONY: run test setup lint format lock clean screenshots assets backup restore

# The virtual environment is rebuilt only when the lock file changes.
$(BIN)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

# Front-end packages from npm (package-lock.json), and the stylesheet built from them.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend/static/build/app.css: frontend/scss/app.scss node_modules/.installed
	npm run --silent build

assets: frontend/static/build/app.css

setup: $(BIN)/.installed assets
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data

run: setup
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "Demo logins: broker (Coventry), solihull, region, business, charity, meriden, volunteer — password: $(DEMO_PASSWORD)"
	@echo "Background tasks (e-mail to the console, reminders, expiry, digests): run_huey"
	$(BIN)/python manage.py run_huey --workers 2 --quiet & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/uvicorn brokerage.config.asgi:application --host 127.0.0.1 --port $(PORT)

test: $(BIN)/.installed assets
	$(BIN)/pytest $(PYTEST_ARGS)

# Back up the database (PostgreSQL: pg_dump; SQLite: a consistent copy) into backups/, or
# restore one: make restore FILE=backups/brokerage-20261203-061500.dump
backup: $(BIN)/.installed
	$(BIN)/python manage.py backup

restore: $(BIN)/.installed
	@test -n "$(FILE)" || (echo "Say which backup: make restore FILE=backups/…" >&2; exit 2)
	$(BIN)/python manage.py restore "$(FILE)"

# The main pages at phone and desktop widths, on the demo market, into docs/screenshots/.
screenshots: $(BIN)/.installed assets
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest -q tests/browser/test_screenshots.py

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-pin every dependency (with hashes) after editing pyproject.toml.
lock: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --universal \
		--generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 node_modules frontend/static/build
