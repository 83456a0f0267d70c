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

# Installs a Debian package only if it is missing (CI runs as root); never fatal.
APT_INSTALL = apt-get install -y -q $(1) >/dev/null 2>&1 \
	  || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $(1) >/dev/null 2>&1) \
	  || sudo -n apt-get install -y -q $(1) >/dev/null 2>&1

# Graphviz's `dot` checks the DOT output of `crossexec why`; a CJK font (fonts-noto-cjk, the font
# the DOT output names) lets it draw the Chinese of a proof in PNG. Without them those tests skip
# and say so. LibreOffice and pdftoppm render a drafted document (crossexec draft) to PDF and PNG;
# without them that test skips and says why. Chromium (Debian's) is the real browser the workbench
# of `crossexec serve` is tested in (Playwright drives it; Playwright's own browser download is not
# used); without it that test skips and says why.
test: $(STAMP)
	@command -v dot >/dev/null 2>&1 || $(call APT_INSTALL,graphviz) \
	  || echo "note: Graphviz (dot) is not installed; the DOT tests will be skipped"
	@fc-list :lang=zh 2>/dev/null | grep -q . || $(call APT_INSTALL,fonts-noto-cjk) \
	  || echo "note: no CJK font (fonts-noto-cjk) could be installed; the PNG test will be skipped"
	@command -v soffice >/dev/null 2>&1 || $(call APT_INSTALL,libreoffice-writer-nogui) \
	  || echo "note: LibreOffice is not installed; the test that renders a draft to PDF will be skipped"
	@command -v pdftoppm >/dev/null 2>&1 || $(call APT_INSTALL,poppler-utils) \
	  || echo "note: poppler-utils (pdftoppm) is not installed; the draft's PNG will not be rendered"
	@command -v chromium >/dev/null 2>&1 || $(call APT_INSTALL,chromium) \
	  || echo "note: chromium is not installed; the workbench's browser test (tests/test_workbench.py) will be skipped"
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/bench_ask.py

clean:
	rm -rf $(VENV) build *.egg-info
