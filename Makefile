# propdesk: `make run` serves it on http://127.0.0.1:8000, `make test` runs the tests.
# Works on a fresh clone: the virtualenv is made and filled on first use.

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint messages translations install

run: install translations
	$(BIN)/propdesk serve

# Browser tests (marked `browser`) drive $(CHROMIUM). Where it is missing they are left out with a
# note, except under CI, where a missing browser must fail. A `-m` in PYTEST_ARGS wins over this.
test: install translations
	@if [ -z "$${CI:-}" ] && [ ! -x "$(CHROMIUM)" ]; then \
		echo "note: $(CHROMIUM) not found, leaving out browser tests (apt-get install chromium)"; \
		set -x; $(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS); \
	else \
		set -x; $(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Extract the package's messages into propdesk/locale/zh_Hans, then compile them.
messages: install
	mkdir -p propdesk/locale
	cd propdesk && ../$(BIN)/propdesk makemessages -l zh_Hans --ignore=.venv --ignore=migrations --no-obsolete
	$(MAKE) translations

# Compile .po into .mo when gettext's msgfmt is there and a .po is newer than its .mo. Left alone
# otherwise, so that two `make test` running side by side (CI) never rewrite a catalogue under a test.
translations: install
	@if ! command -v msgfmt >/dev/null 2>&1; then \
		echo "note: msgfmt not found, translations not compiled (apt-get install gettext)"; \
	elif [ -z "$$(find propdesk -type d -name locale -print -quit)" ]; then \
		echo "note: no propdesk/locale yet, nothing to compile (make messages)"; \
	elif [ -n "$$(for po in $$(find propdesk -path '*/locale/*' -name '*.po'); do \
			[ -f "$${po%.po}.mo" ] && [ ! "$$po" -nt "$${po%.po}.mo" ] || echo "$$po"; done)" ]; then \
		$(BIN)/propdesk compilemessages --ignore=.venv --ignore=var; \
	else \
		echo "translations are compiled"; \
	fi

install: $(STAMP)

# Reinstall only when pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e ".[dev]"
	touch $@

$(BIN)/python:
	$(PY) -m venv $(VENV)
