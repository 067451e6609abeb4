# Two commands do all set-up on a fresh machine (Python 3.11 and make, nothing else):
#   make demo   ingest the bundled example corpus into presstrace.db and print a summary
#   make test   run the whole test suite (what CI runs)
#   make check  the fast loop while working: lint and the unit tests (under two minutes)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check lint bench clean system-deps

# The tests start a real PostgreSQL server (initdb/pg_ctl from Debian's postgresql package)
# and drive a real headless Chromium (Debian's chromium package, through Playwright; no
# browser download). Install what is missing when we may (root, apt-get; one apt-get update),
# otherwise say what is needed.
system-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
	  || missing="$$missing postgresql"; \
	command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else echo "the tests need the Debian packages:$$missing"; exit 1; fi; \
	fi

# torch's CPU build first (the grouping stage distils its embedding model with it once):
# an unpinned torch would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/presstrace --db presstrace.db ingest examples/articles/
	@echo
	$(BIN)/presstrace --db presstrace.db stats
	@echo
	$(BIN)/presstrace --db presstrace.db list
	@echo
	$(BIN)/presstrace --db presstrace.db search drone attack
	@echo
	$(BIN)/presstrace --db presstrace.db entities --type PERSON --limit 8
	@echo
	$(BIN)/presstrace --db presstrace.db quotes --speaker putin --limit 5
	@echo
	$(BIN)/presstrace --db presstrace.db duplicates
	@echo
	$(BIN)/presstrace --db presstrace.db stories
	@echo
	$(BIN)/presstrace --db presstrace.db threads
	@echo
	$(BIN)/presstrace --db presstrace.db narratives
	@echo
	$(BIN)/presstrace --db presstrace.db timeline --by month
	$(BIN)/presstrace --db presstrace.db report -o report.html

# The suite runs in TEST_WORKERS pytest-xdist processes, a test file to a worker (its module
# fixtures are made once); the session's ingests and web corpus are made once for all
# workers (tests/conftest.py `made_once`), while each worker starts its own PostgreSQL server,
# Chromium and spaCy. 2: the cores CI has; more workers than cores only add that start-up.
TEST_WORKERS ?= 2

test: $(STAMP) system-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# Unit tests only (tests/conftest.py gives each test its marker: unit, e2e, postgres,
# browser); no PostgreSQL server, no browser, no whole-pipeline run. In the same workers as
# `make test`: the unit tests alone hold ~300 s of CPU (spaCy models, the name merges).
check: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -q -m unit -n $(TEST_WORKERS) --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) presstrace.db presstrace.db-wal presstrace.db-shm
