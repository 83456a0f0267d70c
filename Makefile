# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/crossexec ask facts/examples/demo.yaml --as-of 2024-09-30

# Graphviz's `dot` checks the DOT output of `crossexec why`; installed only if missing (CI runs as
# root), never fatal: without it those tests skip and say so.
test: $(STAMP)
	@command -v dot >/dev/null 2>&1 || apt-get install -y -q graphviz >/dev/null 2>&1 \
	  || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q graphviz >/dev/null 2>&1) \
	  || sudo -n apt-get install -y -q graphviz >/dev/null 2>&1 \
	  || echo "note: Graphviz (dot) is not installed; the DOT tests will be skipped"
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/bench_ask.py

clean:
	rm -rf $(VENV) build *.egg-info
