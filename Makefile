# Two commands on a fresh machine with Python 3.11 and make:
#   make run    set up, create the embedded database with sample data, start the app
#   make test   set up, then lint, type-check and run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8501

.PHONY: run test lint typecheck pytest sample reference screenshots bench clean help

help:
	@echo "make run | make test | make lint | make sample | make reference | make screenshots | make clean"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: reinstall only when a requirements file changes.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/python -m data_access init-db --sample
	$(BIN)/streamlit run app.py --server.address $(HOST) --server.port $(PORT)

test: lint typecheck pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev
	$(BIN)/mypy

pytest: $(VENV)/.dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Regenerate the sample data (deterministic) and the province reference (from vietnamadminunits).
sample: $(VENV)/.dev
	$(BIN)/python -m devtools generate-sample

reference: $(VENV)/.dev
	$(BIN)/python scripts/build_province_reference.py

# Benchmarks at about 100,000 and 1,000,000 submissions, SQLite and PostgreSQL (needs postgresql).
bench: $(VENV)/.dev
	$(BIN)/python scripts/bench.py

# README screenshots, from the same browser set-up as the end-to-end tests (needs chromium).
screenshots: $(VENV)/.dev
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .mypy_cache test-results
