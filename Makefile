# Two commands do all set-up: `make demo` and `make test` (see README).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
DEMO_DIR ?= demo-data
DEMO_DB := sqlite:///$(DEMO_DIR)/leadbase.db
DEMO_COMPANIES ?= 300
DEMO_ADMIN_PASSWORD ?= demo-admin-password

.PHONY: demo test lint typecheck unit venv chromium clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

venv: $(BIN)/.installed

# Browser tests drive Debian's Chromium; never a downloaded browser.
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Install Chromium first: sudo apt-get install -y chromium"; exit 1; fi; }

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy

test: venv chromium lint typecheck
	$(BIN)/pytest --postgres $(PG_URL) --browser

unit: venv
	$(BIN)/pytest tests/unit -q

demo: venv
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(BIN)/leadbase --db $(DEMO_DB) init --admin-user admin --admin-password $(DEMO_ADMIN_PASSWORD)
	$(BIN)/leadbase --db $(DEMO_DB) sample --companies $(DEMO_COMPANIES) --out $(DEMO_DIR)/sample
	$(BIN)/leadbase --db $(DEMO_DB) import $(DEMO_DIR)/sample/bought.xlsx --source bought-list --kind bought --vendor "Sample vendor" --terms "demo data"
	$(BIN)/leadbase --db $(DEMO_DB) import $(DEMO_DIR)/sample/crm_export.csv --source old-crm --kind crm-export
	$(BIN)/leadbase --db $(DEMO_DB) import $(DEMO_DIR)/sample/directory.jsonl --source directory --kind crawl
	# Crawl the bundled sample directory, served on 127.0.0.1 by the demo itself.
	$(BIN)/python -m spiders.sample_site --port 8765 --companies 30 & site=$$!; sleep 2; \
	  $(BIN)/leadbase --db $(DEMO_DB) crawl demo -s JOBDIR=$(DEMO_DIR)/crawl-jobs/demo; code=$$?; \
	  kill $$site; exit $$code
	$(BIN)/leadbase --db $(DEMO_DB) dedupe
	$(BIN)/leadbase --db $(DEMO_DB) stats
	@if $(BIN)/leadbase review --help >/dev/null 2>&1; then \
	  echo "Review app: sign in as admin / $(DEMO_ADMIN_PASSWORD); Ctrl-C stops it."; \
	  $(BIN)/leadbase --db $(DEMO_DB) review; fi

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
