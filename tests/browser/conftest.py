"""Fixtures for the browser suite: the real site built once, served on 127.0.0.1, one Chromium.

Every browser context a test opens blocks and records requests to any host other than the
site's own; at the end of each test the recorded list must be empty, so every browser test is
also a privacy test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from . import harness

REPO = harness.REPO


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs the built site in headless Chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def content() -> dict[str, dict]:
    """The briefing's YAML, as plain data, to check pages against (content/*.yaml)."""
    return {path.stem: yaml.safe_load(path.read_text("utf-8")) for path in (REPO / "content").glob("*.yaml")}


@pytest.fixture(scope="session", params=harness.ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The engine that built the site under test: every reader-facing test runs once per engine.

    Session-scoped, so each engine's site is built once; pytest orders the tests so that all of
    one engine's run before the other's.
    """
    return str(request.param)


@pytest.fixture(scope="session")
def site(engine: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real briefing, built once per session and engine with ``site-gen build --site-dir``."""
    return harness.build_site(tmp_path_factory.mktemp(f"browser-{engine}"), engine=engine)


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    with harness.serve(site) as url:
        yield url


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    # Package scope: Playwright's sync API allows one driver per thread at a time, and browser
    # tests elsewhere in the suite start their own once this package is done.
    with sync_playwright() as playwright:
        chromium = harness.launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    return harness.ensure_axe()


@pytest.fixture(scope="session")
def screenshots(engine: str) -> Path:
    """Where pictures go: tests/browser/screenshots/ for MkDocs, its zensical/ folder for Zensical."""
    folder = harness.SCREENSHOTS if engine == "mkdocs" else harness.SCREENSHOTS / engine
    folder.mkdir(parents=True, exist_ok=True)
    return folder


NewPage = Callable[..., Page]


def _open(browser: Browser, base_url: str, opened: list[BrowserContext], **options: object) -> Page:
    context = harness.new_context(browser, base_url, **options)  # type: ignore[arg-type]
    opened.append(context)
    return context.new_page()


def _check_private(opened: list[BrowserContext]) -> None:
    foreign = [url for context in opened for url in context.traffic.foreign]  # type: ignore[attr-defined]
    for context in opened:
        context.close()
    assert not foreign, f"requests to other hosts: {foreign}"


@pytest.fixture
def new_page(browser: Browser, base_url: str) -> Iterator[NewPage]:
    """``new_page(scheme="dark", viewport=harness.PHONE, javascript=False)``: a page in a fresh context."""
    opened: list[BrowserContext] = []
    yield lambda **options: _open(browser, base_url, opened, **options)
    _check_private(opened)


@pytest.fixture(scope="module")
def module_page(browser: Browser, base_url: str) -> Iterator[Page]:
    """One light-mode desktop page shared by a module's tests (e.g. many search queries)."""
    opened: list[BrowserContext] = []
    yield _open(browser, base_url, opened)
    _check_private(opened)
