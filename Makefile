# Two commands do all the set-up on a fresh machine:
#   make run    install, ingest the corpus if needed, serve the page + widget on http://127.0.0.1:7860
#   make test   install (with the test extras and Debian's chromium), run the tests and the evaluation gate

# The newest Python from 3.11 to 3.13 that runs here (tested with each; a pyenv shim of an
# inactive version fails the check and is passed over). Override with `make run PYTHON=python3.12`.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null && { echo $$p; break; }; done)
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run install install-test ingest serve test eval bench clean

run: install ingest serve

$(BIN)/python:
	@[ -n "$(PYTHON)" ] || { echo "make: no Python 3.11, 3.12 or 3.13 found; install one, or pass PYTHON=..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# torch first, pinned to the CPU build on this machine's disk: an unpinned torch
# pulled in by sentence-transformers would be a multi-gigabyte CUDA build.
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[st,test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test
	@{ command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; } || \
	  { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium fonts-noto-cjk; }
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update && $(SUDO) apt-get install -y postgresql; }

ingest: install
	$(BIN)/policy-advisor ingest

serve: install
	$(BIN)/policy-advisor serve

test: install-test
	$(BIN)/python -m pytest -q
	$(BIN)/policy-advisor ingest
	$(BIN)/policy-advisor eval --check --no-progress

eval: ingest
	$(BIN)/policy-advisor eval

bench: install-test
	$(BIN)/python bench/core_bench.py

clean:
	rm -rf $(VENV) data test-artifacts
