PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint types pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "installing docprep and its dependencies into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install -e '.[dev,dask,s3]' > $(VENV)/install.log 2>&1 \
		|| { tail -n 30 $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/docprep run seeds --output output

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

test: lint types pytest

# The tests of the pure steps and of the commit, in seconds: no server, cluster or subprocess run.
test-fast: install
	$(BIN)/ruff check .
	$(BIN)/pytest -m "not slow"

clean:
	rm -rf $(VENV) output/*/ .mypy_cache .ruff_cache .pytest_cache
