# site-gen: build / test entry points (GNU make).
#
# `make help` lists every target. On a bare machine only python3 and make are needed:
# scripts/provision sets up the rest (see README, "Quick start").
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

.PHONY: site serve check schema test audit golden catalogs lint typecheck bench site-zensical \
	deps deps-dev test-tools clean distclean help

help: ## list the targets
	@echo "usage: make [target] [PORT=8000] [PYTEST_ARGS=...] [BENCH_ARGS=...]"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-zA-Z_-]+):.*## (.*)$$/  \1\t\2/' | expand -t 18

# --- virtualenv + dependencies ------------------------------------------------

# A virtualenv that works (its pip runs). scripts/provision installs python3-venv with apt-get
# when it is missing and we are root, or says exactly what to install; a half-made .venv from
# an earlier failed attempt is removed and made again.
$(VENV)/.venv-ok:
	@scripts/provision venv "$(PYTHON)" "$(VENV)"
	@touch $@

# Runtime deps + the package itself (editable, no dependency resolution: every
# dependency comes from the pinned requirements file). setuptools is pinned in
# requirements.txt, so the editable install needs no isolated build env.
$(VENV)/.installed: requirements.txt pyproject.toml | $(VENV)/.venv-ok
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

# axe-core for the accessibility tests, exactly as pinned by the lock file; installed here, at
# set-up time, never from inside a test.
AXE_STAMP := tests/browser/node_modules/.installed
$(AXE_STAMP): tests/browser/package-lock.json tests/browser/package.json | test-tools
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.installed ## install the pinned runtime dependencies into .venv
deps-dev: $(VENV)/.installed-dev ## install the pinned test dependencies too

test-tools: ## install (as root, with apt-get) or name the system programs the tests need
	@scripts/provision test-tools

# --- main targets ---------------------------------------------------------------

# The engine that builds site/ is the project's setting (`engine:` of the briefing plugin in
# mkdocs.yml; site-gen reads and checks it, this only decides what to install): Zensical is pinned
# in requirements-dev.txt, so a Zensical project installs those.
ENGINE := $(shell sed -n '/^  - briefing/,/^  - \|^[a-z]/s/.*engine: *\([a-z]*\).*/\1/p' mkdocs.yml 2>/dev/null | head -n 1)
SITE_DEPS := $(if $(filter zensical,$(ENGINE)),$(VENV)/.installed-dev,$(VENV)/.installed)

site: $(SITE_DEPS) ## validate content/, regenerate docs/, build site/ (strict) with the configured engine
	$(SITE_GEN) build

# Zensical (pinned in requirements-dev.txt) builds the same docs/ from the same mkdocs.yml, for
# this run; `engine: zensical` under the briefing plugin makes it the engine of `make site`.
site-zensical: $(VENV)/.installed-dev ## build the same site with Zensical, whatever the engine setting says
	$(SITE_GEN) build --engine zensical

PORT ?= 8000
serve: $(SITE_DEPS) ## live preview on 127.0.0.1:8000 (another port: make serve PORT=8001)
	$(SITE_GEN) serve --dev-addr 127.0.0.1:$(PORT)

check: $(VENV)/.installed ## validate content/; prints every error, writes nothing
	$(SITE_GEN) check

# Regenerate the JSON Schema editors use for completion (schema/briefing.schema.json).
schema: $(VENV)/.installed ## regenerate the JSON Schema (schema/briefing.schema.json)
	$(SITE_GEN) schema

# Synthetic briefings of 100, 1,000 and 10,000 records, built with MkDocs and Zensical; prints
# the table of bench/RESULTS.md (BENCH_ARGS="--sizes 100" for a quick run); then the budget of
# `site-gen check` on 10,000 records with 1,000 broken references (bench/check_budget.py; fails
# when over 2 s of CPU).
bench: $(VENV)/.installed-dev ## performance benchmark (bench/RESULTS.md) and the check budget
	$(PY) -m bench $(BENCH_ARGS)
	$(PY) -m bench.check_budget

# The whole suite: unit, golden, real builds with both engines, headless Chromium. Everything it
# needs is provisioned first (pinned Python packages, system programs, axe-core), so on a bare
# machine `make test` is the only command to run. The vulnerability audit runs last.
test: $(VENV)/.installed-dev test-tools $(AXE_STAMP) ## the whole test suite, then the dependency audit
	@echo "$(PY) -m pytest $(PYTEST_ARGS)"
	@rc=0; $(PY) -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ "$$rc" -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	exit "$$rc"
	@$(MAKE) --no-print-directory audit

# pip-audit against the public vulnerability databases. --strict: a package that could not be
# checked fails the audit, so "no known vulnerabilities" is only claimed after checking all.
# Where the databases cannot be reached (only package registries are, on some machines), the
# audit cannot run: it says so loudly rather than pass or fail on something it did not check.
# security/advisories.toml is checked offline by the test suite either way.
audit: $(VENV)/.installed-dev ## known vulnerabilities in the pinned dependencies (pip-audit)
	@scripts/audit $(BIN)/pip-audit

# Regenerate the golden Markdown files after an intended rendering change; review the diff.
golden: $(VENV)/.installed-dev ## regenerate the golden Markdown after an intended change
	UPDATE_GOLDEN=1 $(PY) -m pytest tests/test_golden.py

# Bring every message catalog (site_gen/i18n/locale) in step with the code; then translate what is new.
catalogs: $(VENV)/.installed-dev ## update the message catalogs (site_gen/i18n/locale) from the code
	$(PY) -m site_gen.i18n.extract

lint: $(VENV)/.installed-dev ## ruff
	$(BIN)/ruff check .

typecheck: $(VENV)/.installed-dev ## mypy
	$(BIN)/mypy site_gen

# --- cleanup ---------------------------------------------------------------------

clean: ## remove site/ and caches (keeps docs/ and .venv/)
	rm -rf site/ .site.building-*/ .site.old-*/ .cache/ build/ .pytest_cache/ .hypothesis/ .ruff_cache/ .mypy_cache/
	rm -rf -- *.egg-info
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean ## clean + generated docs pages + .venv/ + node_modules
	rm -rf -- $(GENERATED_DOCS)
	rm -rf $(VENV) tests/browser/node_modules
