# The two set-up commands are `make demo` and `make test`; both create .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Prefect keeps its own database under data/ so that `make prefect-ui` shows the demo's runs.
export PREFECT_HOME := $(CURDIR)/data/prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT := false
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false

.PHONY: venv demo test pytest lint format prefect-ui review deploy clean-data constraints

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## Run the main job on the embedded default: SQLite under data/, a local Prefect server, bundled samples.
demo: $(STAMP)
	$(BIN)/python -m flows.demo

## Lint, type-check and run the whole test suite.
test: lint pytest

# Tests run in one process per core (pytest-xdist); PYTEST_WORKERS=0 runs them in this one.
PYTEST_WORKERS ?= auto

pytest: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Start a local Prefect server (and UI) on the database the demo wrote.
prefect-ui: $(STAMP)
	$(BIN)/prefect server start --host 127.0.0.1 --port 4200

## The review app on the demo's database (http://127.0.0.1:8000/; the demo printed its accounts).
review: $(STAMP)
	$(BIN)/kyc serve --host 127.0.0.1 --port 8000

## Create the process work pool and register every deployment of prefect.yaml (needs PREFECT_API_URL).
deploy: $(STAMP)
	$(BIN)/prefect work-pool inspect kyc-process >/dev/null 2>&1 || $(BIN)/prefect work-pool create kyc-process --type process
	$(BIN)/prefect --no-prompt deploy --all

## Pin the versions the project was tested with (run after changing dependencies).
constraints:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^peppol-kyc' > constraints.txt

clean-data:
	rm -rf data/kyc.db data/kyc.db-wal data/kyc.db-shm data/lists data/prefect data/cache
