# Discourse analytics: `make help` lists the targets.
# Needs only Python 3.11+ on the PATH (as python3, or set PYTHON=...). Every target installs what it
# needs into .venv first; the install is skipped when pyproject.toml and requirements.lock are
# unchanged.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast figures report lab bench lint format browser clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the pinned dependencies (offline model included)

run: install ## the main job on the bundled seed: ingest, annotate, compare, figures, report
	$(BIN)/discourse run

test: install browser ## set up everything and run the whole test suite
	$(BIN)/python -m pytest

test-fast: install ## the tests without notebooks, figure regeneration and the browser
	$(BIN)/python -m pytest -m "not slow"

figures: install ## regenerate the reference figures/ from the raw seed
	$(BIN)/discourse run --until figures

report: install ## write data/processed/report.html from the seed
	$(BIN)/discourse run --until report

lab: install ## open JupyterLab on notebooks/ (adds --allow-root when run as root)
	$(BIN)/jupyter lab notebooks/ $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

bench: install ## benchmarks: ingest and annotation throughput, memory, cache, compare scale, cold start
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_annotate.py
	$(BIN)/python bench/bench_compare.py
	$(BIN)/python bench/bench_memory.py --stages annotate,compare,figures,report
	$(BIN)/python bench/bench_coldstart.py

lint: install ## ruff check and format check
	$(BIN)/ruff check analysis tests bench
	$(BIN)/ruff format --check analysis tests bench

format: install ## ruff format
	$(BIN)/ruff format analysis tests bench

browser: ## install Debian's chromium for the report test when it is missing
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "installing chromium (Debian package) for the report test"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

clean: ## remove .venv and data/processed
	rm -rf $(VENV) data/processed/*
