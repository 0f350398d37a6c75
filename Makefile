# newsarchive's front door: `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SHARED ?= $(abspath ../shared/data)
DEMO_ARCHIVE ?= demo-archive
PYTEST_ARGS ?=
# the suite waits on servers, subprocesses and Spark much of the time: one worker per core, a test file per worker
PYTEST_WORKERS ?= -n auto --dist loadfile

.PHONY: help venv demo test test-fast train-ner lint typecheck bench browser-deps axe-deps postgres-deps r-deps clean

help:
	@echo "make demo   - set up a virtualenv, build a demo archive from sample pages and search it"
	@echo "make test   - set up everything the tests need and run them"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - speed and quality benchmarks (results in docs/benchmarks.md)"
	@echo "make train-ner - retrain the news NER (enrich/models/ner_conll) from ../shared/data (~1 hour)"

$(VENV)/.installed: pyproject.toml $(wildcard requirements-*.txt)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[server,dev,postgres,spark,research]'
	@if [ -f requirements-nlp.txt ]; then $(PIP) install -q --no-deps --require-hashes -r requirements-nlp.txt; fi
	touch $@

venv: $(VENV)/.installed

demo: venv
	$(PY) demo/run_demo.py --archive $(DEMO_ARCHIVE) --shared $(SHARED)

browser-deps:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then \
	  echo "chromium present"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	  || echo "could not install chromium: browser tests will be skipped"; \
	else \
	  echo "chromium missing and not root: browser tests will be skipped"; \
	fi

# axe-core for the accessibility test, from the npm registry into .cache/axe (git-ignored, never committed)
AXE_DIR := .cache/axe
axe-deps:
	@if [ -f $(AXE_DIR)/node_modules/axe-core/axe.min.js ]; then \
	  echo "axe-core present"; \
	elif command -v npm >/dev/null 2>&1; then \
	  npm install --no-save --no-audit --no-fund --silent --prefix $(AXE_DIR) axe-core@4 \
	  || echo "could not install axe-core: the accessibility test will be skipped"; \
	else \
	  echo "npm missing: the accessibility test will be skipped"; \
	fi

# PostgreSQL for the server-mode tests: they start a throwaway cluster as the postgres user
postgres-deps:
	@if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "postgresql present"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null) \
	  || echo "could not install postgresql-15: postgres tests will be skipped"; \
	else \
	  echo "postgresql (initdb, pg_ctl) missing and not root: postgres tests will be skipped"; \
	fi

# R (Debian's r-base-core, no extra packages) for the test that reads our CSV exports in R
r-deps:
	@if command -v Rscript >/dev/null 2>&1; then \
	  echo "R present"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-base-core >/dev/null) \
	  || echo "could not install r-base-core: the R export test will be skipped"; \
	else \
	  echo "Rscript missing and not root: the R export test will be skipped"; \
	fi

test: venv browser-deps axe-deps postgres-deps r-deps
	NEWSARCHIVE_SHARED_DATA=$(SHARED) $(PY) -m pytest -q $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-fast: venv
	NEWSARCHIVE_SHARED_DATA=$(SHARED) $(PY) -m pytest -q -m "not slow and not browser" $(PYTEST_ARGS)

train-ner: venv
	$(PY) -m newsarchive.enrich.train_ner --data $(SHARED)

lint: venv
	$(VENV)/bin/ruff check src tests bench demo
	$(VENV)/bin/ruff format --check src tests bench demo
	$(VENV)/bin/mypy
	$(PY) -m newsarchive.web.locale check

bench: venv
	$(PY) bench/extraction_quality.py --data $(SHARED) --markdown
	$(PY) bench/textdump_quality.py --data $(SHARED) --markdown
	$(PY) bench/ingest_speed.py --data $(SHARED) --markdown
	$(PY) bench/search_speed.py --data $(SHARED) --markdown
	$(PY) bench/http_load.py --archive bench/out/archive-100000
	$(PY) bench/enrichment_quality.py --data $(SHARED) --markdown
	$(PY) bench/enrichment_speed.py --data $(SHARED)
	$(PY) bench/dedup_quality.py --data $(SHARED) --markdown
	$(PY) bench/encoding_detection.py --data $(SHARED) --markdown

clean:
	rm -rf $(VENV) $(DEMO_ARCHIVE) .pytest_cache .mypy_cache .ruff_cache .cache
