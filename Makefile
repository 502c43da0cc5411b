# Portico: `make dev` serves the portal with a demo practice; `make test` runs the whole suite.
# Both need only Python 3.11+ and pip: PostgreSQL, Redis and S3 come from wheels (config/embedded/).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: dev test bench bench-provision bench-messaging bench-upload lint typecheck browser shell clean-var

dev: $(STAMP)
	$(PY) -m config.embedded dev

test: $(STAMP) browser
	$(PY) -m config.embedded test $(ARGS)

bench: $(STAMP)
	$(PY) -m config.embedded run -- $(PY) -m bench.request_routing

bench-provision: $(STAMP)
	$(PY) -m config.embedded run -- $(PY) -m bench.provision $(ARGS)

bench-upload: $(STAMP)
	$(PY) -m config.embedded run -- $(PY) -m bench.upload

bench-messaging: $(STAMP)
	$(PY) -m config.embedded run -- $(PY) -m bench.messaging $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy .

shell: $(STAMP)
	$(PY) -m config.embedded run -- $(PY) manage.py shell

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Portico needs Python 3.11 or newer; $(PYTHON) is older. Set PYTHON=python3.11 (or newer)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# Browser tests drive Debian's chromium through Playwright (never `playwright install`: it downloads).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's chromium for the browser tests…"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "The browser tests need Chromium on PATH as 'chromium'. On Debian/Ubuntu: sudo apt-get install chromium"; \
			exit 1; \
		fi; }

clean-var:
	rm -rf .var
