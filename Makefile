# Two entry points for a fresh machine: `make demo` and `make test`. Each installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint typecheck pytest demo docs clean chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# Browser tests use Debian's chromium (no browser downloads). Installing it needs root; without it the
# browser tests skip, except under CI=true where they fail.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
	  || echo "chromium is not installed and could not be installed: browser tests will be skipped"; }

pytest: $(STAMP) chromium
	$(BIN)/pytest

test: lint typecheck pytest

docs: $(STAMP)
	$(BIN)/python -m warduty.cli.docgen docs/cli.md

demo: $(STAMP)
	$(BIN)/warduty demo

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
