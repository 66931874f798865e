# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
# uv is bootstrapped with the machine's pip and run as a module, so no PATH changes are needed.
UV := python3 -m uv
PYTEST := $(UV) run --frozen pytest
SQLITE_MARKERS := services or e2e
# TEST_TODAY=YYYY-MM-DD (or ATT_TODAY) runs the suite, or the system, as of that date (shared/clock.py).
ifdef TEST_TODAY
export ATT_TODAY := $(TEST_TODAY)
endif

.PHONY: help install uv frontend system-packages run test test-unit test-workflows test-services test-e2e \
        test-ui test-sqlite screenshots bench lint format clean-data

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

uv:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv

install: uv ## Install Python dependencies (locked) and build the GOV.UK Frontend assets
	$(UV) sync --frozen --quiet
	@$(MAKE) --no-print-directory frontend

frontend:
	@if [ -f scripts/build_frontend.sh ]; then bash scripts/build_frontend.sh; fi

system-packages: ## Debian packages the tests need (Chromium for browser tests, poppler for PDF checks)
	@bash scripts/ensure_system_packages.sh

# The venv's Python directly, not through `uv run`: the supervisor is then make's own child, and stops with it.
run: install ## Start the whole system (embedded Temporal, services, worker, SMTP sink) with demo data
	.venv/bin/python -m scripts.run

test: install system-packages ## Run the whole suite (PostgreSQL when TEST_POSTGRES_URL is set, else SQLite)
	$(PYTEST)

test-sqlite: install system-packages ## The database-backed tests again on SQLite
	env -u TEST_POSTGRES_URL $(PYTEST) -m "$(SQLITE_MARKERS)"

test-unit: install ## Fast tests with no I/O
	$(PYTEST) -m unit

test-workflows: install ## Temporal workflow tests
	$(PYTEST) -m workflows

test-services: install ## Each service against its real database
	$(PYTEST) -m services

test-e2e: install ## The whole system as real processes
	$(PYTEST) -m e2e

test-ui: install system-packages ## Browser tests in headless Chromium
	$(PYTEST) -m ui

screenshots: install system-packages ## Every page of the officer UI in headless Chromium, checked with axe, as PNGs in test-artifacts/screenshots
	$(PYTEST) -m ui -q
	@ls test-artifacts/screenshots

# Not part of `make test`: about 10 minutes of load on the machine. PostgreSQL at BENCH_PG (default 127.0.0.1:5432).
bench: install ## Run every benchmark (bench/README.md) and write bench/results/latest.json (about 10 minutes)
	@bash scripts/ensure_system_packages.sh --bench
	.venv/bin/python bench/run.py

lint: install ## ruff, mypy and the import-linter contracts
	$(UV) run --frozen ruff check .
	$(UV) run --frozen mypy shared services workflows scripts
	$(UV) run --frozen lint-imports

format: install ## Format the code with ruff
	$(UV) run --frozen ruff format .

clean-data: ## Delete the embedded databases, Temporal history and sent mail of `make run`
	rm -rf data
