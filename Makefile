# site-gen: build / test entry points (GNU make).
#
#   make site           generate docs/ from content/ and build site/ (strict)
#   make serve          live-reloading preview server
#   make check          validate content/ without building
#   make test           run the test suite (installs dev dependencies)
#   make lint           ruff
#   make typecheck      mypy
#   make bench          python -m bench
#   make site-zensical  build with Zensical, whatever mkdocs.yml's engine setting says
#   make clean          remove site/ and caches (keeps docs/ and .venv/)
#   make distclean      clean + generated docs pages + .venv/
#
# Dependencies are fully pinned in requirements.txt / requirements-dev.txt and
# installed into .venv/. Stamp files (.venv/.installed, .venv/.installed-dev)
# make sure pip runs again only when a requirements file or pyproject.toml
# changes.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := site
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
PIP    := $(PY) -m pip
SITE_GEN := $(BIN)/site-gen

# Material for MkDocs prints a large "MkDocs 2.0" banner on every build unless
# this is set.
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# The playwright *Python package* is used with Debian's /usr/bin/chromium; it
# must never try to download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

# Pages and folders that `site-gen build` writes into docs/ (kept in sync with
# .gitignore). Hand-written files (docs/assets/, overrides/) are never touched.
GENERATED_DOCS := \
	docs/.site-gen-manifest.json docs/feed.xml \
	docs/index.md docs/timeline.md docs/funding.md docs/quotes.md \
	docs/people.md docs/topics.md docs/faq.md docs/sources.md \
	docs/updates.md docs/full-briefing.md \
	docs/timeline docs/people docs/topics docs/data \
	docs/quotes docs/sources docs/funding

.PHONY: site serve check schema test golden lint typecheck bench site-zensical \
	deps deps-dev clean distclean help

help:
	@sed -n '3,13p' $(firstword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

# --- virtualenv + dependencies ------------------------------------------------

# The activate script also silences Material's MkDocs 2.0 banner for plain `mkdocs` runs.
$(PY):
	$(PYTHON) -m venv $(VENV)
	echo 'export NO_MKDOCS_2_WARNING=1' >> $(VENV)/bin/activate

# Runtime deps + the package itself (editable, no dependency resolution: every
# dependency comes from the pinned requirements file). setuptools is pinned in
# requirements.txt, so the editable install needs no isolated build env.
$(VENV)/.installed: requirements.txt pyproject.toml | $(PY)
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install -r requirements-dev.txt
	touch $@

deps: $(VENV)/.installed
deps-dev: $(VENV)/.installed-dev

# --- main targets ---------------------------------------------------------------

# The engine that builds site/ is the project's setting (`engine:` of the briefing plugin in
# mkdocs.yml; site-gen reads and checks it, this only decides what to install): Zensical is pinned
# in requirements-dev.txt, so a Zensical project installs those.
ENGINE := $(shell sed -n '/^  - briefing/,/^  - \|^[a-z]/s/.*engine: *\([a-z]*\).*/\1/p' mkdocs.yml 2>/dev/null | head -n 1)
SITE_DEPS := $(if $(filter zensical,$(ENGINE)),$(VENV)/.installed-dev,$(VENV)/.installed)

site: $(SITE_DEPS)
	$(SITE_GEN) build

# Zensical (pinned in requirements-dev.txt) builds the same docs/ from the same mkdocs.yml, for
# this run; `engine: zensical` under the briefing plugin makes it the engine of `make site`.
site-zensical: $(VENV)/.installed-dev
	$(SITE_GEN) build --engine zensical

serve: $(SITE_DEPS)
	$(SITE_GEN) serve

check: $(VENV)/.installed
	$(SITE_GEN) check

# Regenerate the JSON Schema editors use for completion (schema/briefing.schema.json).
schema: $(VENV)/.installed
	$(SITE_GEN) schema

# Synthetic briefings of 100, 1,000 and 10,000 records, built with MkDocs and Zensical; prints
# the table of bench/RESULTS.md (BENCH_ARGS="--sizes 100" for a quick run).
bench: $(VENV)/.installed-dev
	$(PY) -m bench $(BENCH_ARGS)

# pytest exits 5 when it collected no test at all; that is reported loudly but
# not treated as a failure (a fresh checkout may have an empty tests/).
test: $(VENV)/.installed-dev
	@echo "$(PY) -m pytest $(PYTEST_ARGS)"
	@rc=0; $(PY) -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ "$$rc" -eq 5 ]; then \
		echo "WARNING: pytest collected no tests (exit 5)" >&2; exit 0; \
	fi; \
	exit "$$rc"

# Regenerate the golden Markdown files after an intended rendering change; review the diff.
golden: $(VENV)/.installed-dev
	UPDATE_GOLDEN=1 $(PY) -m pytest tests/test_golden.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy site_gen

# --- cleanup ---------------------------------------------------------------------

clean:
	rm -rf site/ .site.building-*/ .site.old-*/ .cache/ build/ .pytest_cache/ .hypothesis/ .ruff_cache/ .mypy_cache/
	rm -rf -- *.egg-info
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf -- $(GENERATED_DOCS)
	rm -rf $(VENV)
