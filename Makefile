# Everything a newcomer needs: `make play` and `make test` create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: play test test-nowin browser lint bench bench-quick fuzz i18n clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

play: $(STAMP)  ## start a session on the bundled default deck
	$(BIN)/stigmacards play

test: $(STAMP) browser  ## the whole test suite
	$(BIN)/python -m pytest

# The room's browser tests drive the system Chromium (Debian/Ubuntu package `chromium`) through
# Playwright; Playwright's own browser download is never used. Installed here when missing and
# possible (root with apt-get); otherwise those tests skip and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
	      echo "could not install chromium: the browser tests will be skipped"; \
	    else echo "no chromium (apt-get install chromium): the browser tests will be skipped"; fi; }

test-nowin: $(STAMP)  ## the whole suite with POSIX-only modules and names hidden, as on Windows
	STIGMACARDS_NOWIN=1 STIGMACARDS_NOWIN_TESTS=1 PYTHONPATH=tests/platform/nowin $(BIN)/python -m pytest -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check stigmacards tests benchmarks
	$(BIN)/ruff format --check stigmacards tests benchmarks
	$(BIN)/mypy --strict stigmacards

bench: $(STAMP)  ## the full benchmark table (minutes)
	$(BIN)/python benchmarks/run.py

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/run.py --quick

FUZZ ?= 10000
fuzz: $(STAMP)  ## the Hypothesis properties of the loader, validation and inert text, FUZZ examples each
	STIGMACARDS_FUZZ_EXAMPLES=$(FUZZ) $(BIN)/python -m pytest -q --timeout=3600 \
		tests/deck/test_loader_properties.py tests/deck/test_validation.py tests/ui/test_inert.py

i18n: $(STAMP)  ## compile the gettext catalogues after editing a .po file
	$(BIN)/python tools/i18n_build.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache .hypothesis
