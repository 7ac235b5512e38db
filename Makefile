PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser run test test-fast lint types pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# setup.py compiles tasks/**/*.pyx into the source tree: a changed one is built again.
$(STAMP): pyproject.toml setup.py $(wildcard tasks/*/*.pyx) | $(BIN)/python
	@echo "installing docprep and its dependencies into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install -e '.[dev,dask,s3]' > $(VENV)/install.log 2>&1 \
		|| { tail -n 30 $(VENV)/install.log; exit 1; }
	@# Bytecode now, as pip does for what it installs: where PYTHONDONTWRITEBYTECODE is set,
	@# each run would otherwise compile docprep's modules again (0.09 s of an up-to-date run, cProfile).
	@$(BIN)/python -m compileall -q flows tasks >> $(VENV)/install.log
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/docprep run seeds --output output

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install
	$(BIN)/mypy

# The report's browser test opens the page in Debian's chromium (never a browser download):
# installed here when missing, as root with apt-get as on CI; elsewhere that test skips.
browser: | $(BIN)/python
	@command -v chromium > /dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
			echo "installing chromium for the report's browser test (log: $(VENV)/chromium.log)"; \
			{ apt-get update && apt-get install -y chromium; } > $(VENV)/chromium.log 2>&1 \
				|| { tail -n 20 $(VENV)/chromium.log; \
				     echo "chromium could not be installed: the browser test will skip"; }; \
		else \
			echo "chromium is missing and cannot be installed here (needs root and apt-get):" \
			     "the browser test will skip"; \
		fi; }

pytest: install browser
	$(BIN)/pytest

test: lint types pytest

# The tests of the pure steps and of the commit, in seconds: no server, cluster or subprocess run.
test-fast: install
	$(BIN)/ruff check .
	$(BIN)/pytest -m "not slow"

clean:
	rm -rf $(VENV) output/*/ .mypy_cache .ruff_cache .pytest_cache build
	rm -f tasks/*/*.c tasks/*/*.so
