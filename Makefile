# Reciprocity — `make run` to try it, `make test` to check it. Needs only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export RECIPROCITY_DATA_DIR ?= $(CURDIR)/var
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint fmt bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/reciprocity migrate --no-input -v 0
	$(BIN)/reciprocity demo --url http://$(HOST):$(PORT)/
	$(BIN)/reciprocity serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The whole suite twice: on SQLite, then on a throwaway PostgreSQL 15 server started (and stopped) here.
test: lint
	RECIPROCITY_DATA_DIR=$$(mktemp -d) $(BIN)/reciprocity makemigrations --check --dry-run -v 1
	$(BIN)/pytest -n 2 -q
	scripts/with-postgres $(BIN)/pytest -n 2 -q

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info
