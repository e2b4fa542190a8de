# Two commands for a new user: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/execution2

.PHONY: run test lint test-sqlite test-postgres clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/execution2 manage migrate --no-input -v 0
	$(BIN)/execution2 demo --if-missing
	$(BIN)/execution2 serve

test: lint test-sqlite test-postgres

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	DATABASE_URL= EXECUTION2_DATA_DIR=$$(mktemp -d) \
		$(BIN)/execution2 manage makemigrations --check --dry-run

test-sqlite: $(VENV)/.dev-installed
	DATABASE_URL= $(BIN)/pytest

# The whole suite again on PostgreSQL (the browser tests ran once above). Under CI a missing
# server fails the run; elsewhere it is skipped with a message.
test-postgres: $(VENV)/.dev-installed
	@url="$${DATABASE_URL:-$(PG_TEST_URL)}"; \
	if $(BIN)/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" \
		"$$(echo $$url | sed 's#/[^/]*$$#/postgres#')" 2>/dev/null; then \
		echo "== the suite on PostgreSQL ($$url)"; \
		DATABASE_URL="$$url" $(BIN)/pytest -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $$url, and CI must test on it." >&2; exit 1; \
	else \
		echo "SKIPPED the PostgreSQL run: no server at $$url (set DATABASE_URL to test on one)."; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
