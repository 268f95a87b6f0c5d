# Two set-up commands on a fresh machine (python3 only): `make demo` and `make test`.
# Each creates .venv on first use and reinstalls only when pyproject.toml or the C line walk's source changes
# (the install compiles filmscrape/extract/_treewalk.pyx in place; see hatch_build.py).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BASE := $(VENV)/.installed-base  # filmscrape and its runtime dependencies: all the demo needs
DEV := $(VENV)/.installed-dev    # plus the readers, test, lint and benchmark tools

.PHONY: demo test lint bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "filmscrape needs Python 3.11 or newer; try: make PYTHON=python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

BUILT := pyproject.toml hatch_build.py filmscrape/extract/_treewalk.pyx

$(BASE): $(BUILT) | $(BIN)/python
	@echo "installing filmscrape into $(VENV) ..."
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV): $(BUILT) | $(BIN)/python
	@echo "installing filmscrape and its dev tools into $(VENV) ..."
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(BASE)

demo: $(BASE)
	$(BIN)/filmscrape demo

lint: $(DEV)
	$(BIN)/ruff check filmscrape tests benchmarks tools
	$(BIN)/mypy

# pytest exits 5 when it collects no tests, which fails this target as it should.
test: lint
	$(BIN)/pytest

bench: $(DEV)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) data/*/ .pytest_cache .mypy_cache filmscrape/extract/_treewalk*.so
