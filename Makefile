# One task runner for humans and CI.  `make demo` and `make test` are the two commands.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PYTEST_ARGS ?=

.PHONY: help install install-test demo serve test test-slow test-spark test-browser test-all lint format bench clean

help:
	@echo "make demo    - install, simulate a small state into ./demo-world, import it, serve http://127.0.0.1:8000"
	@echo "make test    - install test dependencies and run the default suite (under 10 minutes on 2 cores)"
	@echo "make test-slow / test-spark / test-browser - suites behind pytest markers"
	@echo "make lint    - ruff"
	@echo "make bench NAME=import - run a benchmark (see docs/benchmarks.md)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,spark]'
	touch $(STAMP) $@

install: $(STAMP)

install-test: $(TEST_STAMP)

demo: $(STAMP)
	TARGETSHARE_MODE=demo $(BIN)/targetshare demo

serve: $(STAMP)
	$(BIN)/targetshare serve

test: $(TEST_STAMP)
	$(BIN)/ruff check targetshare tests bench
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-slow: $(TEST_STAMP)
	$(BIN)/pytest -q -m slow $(PYTEST_ARGS)

test-spark: $(TEST_STAMP)
	$(BIN)/pytest -q -m spark $(PYTEST_ARGS) || [ $$? -eq 5 ]

test-browser: $(TEST_STAMP)
	$(BIN)/pytest -q -m browser $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check targetshare tests bench

format: $(TEST_STAMP)
	$(BIN)/ruff format targetshare tests bench

NAME ?= import
bench: $(TEST_STAMP)
	$(BIN)/targetshare bench $(NAME)

clean:
	rm -rf $(VENV) demo-world targetshare.db targetshare.db-wal targetshare.db-shm quarantine .targetshare-cache
