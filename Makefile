# Two commands do all set-up on a fresh machine (Python 3.11 and make, nothing else):
#   make demo   ingest the bundled example corpus into presstrace.db and print a summary
#   make test   run the whole test suite (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean system-deps

# The tests start a real PostgreSQL server (initdb/pg_ctl from Debian's postgresql package);
# install it when it is missing and we may (root, apt-get), otherwise say what is needed.
system-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
	  || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	         apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; \
	       else echo "the tests need PostgreSQL: install the Debian package postgresql"; exit 1; fi; }

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
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

test: $(STAMP) system-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) presstrace.db presstrace.db-wal presstrace.db-shm
