"""The real site in a real browser: build it, serve it on 127.0.0.1, drive Debian's Chromium.

Plain functions, so the pytest fixtures (conftest.py) and a developer at a Python prompt use the
same code. Nothing here downloads anything: Chromium is the system one, axe-core comes from the
pinned package in this folder (``npm ci``).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CHROMIUM = os.environ.get("SITE_GEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = HERE / "screenshots"

# Every page of the site, by its URL path (use_directory_urls), with its generated Markdown file.
PAGES = {
    "": "index.md",
    "timeline/": "timeline.md",
    "funding/": "funding.md",
    "quotes/": "quotes.md",
    "people/": "people.md",
    "topics/": "topics.md",
    "faq/": "faq.md",
    "sources/": "sources.md",
    "updates/": "updates.md",
    "full-briefing/": "full-briefing.md",
}

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


# The engines the reader-facing suite runs against (the `engine` fixture, conftest.py).
ENGINES = ("mkdocs", "zensical")


def build_site(destination: Path, plugin_options: str = "", engine: str = "mkdocs") -> Path:
    """A copy of the project (config, theme overrides, CSS, content) built with ``site-gen build``.

    The copy keeps the working tree untouched: the generated docs/ and site/ live under
    ``destination``. ``plugin_options``: YAML lines for the ``briefing`` plugin's configuration.
    ``engine``: the ``engine`` setting of the ``briefing`` plugin, so the build goes the way a
    project that chose that engine goes.
    """
    plugin_options = "\n".join(filter(None, [f"engine: {engine}", plugin_options]))
    project = destination / "project"
    project.mkdir(parents=True, exist_ok=True)
    from site_gen.init import standalone_config

    config = standalone_config(REPO / "mkdocs.yml")
    if plugin_options:
        options = "".join(f"\n      {line}" for line in plugin_options.splitlines())
        config, found = re.subn(r"^  - briefing$", f"  - briefing:{options}", config, flags=re.MULTILINE)
        assert found == 1, "mkdocs.yml does not list the briefing plugin as '  - briefing'"
    (project / "mkdocs.yml").write_text(config, "utf-8")
    for folder in ("overrides", "docs/assets", "content"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, project / folder, dirs_exist_ok=True)
    site = project / "site"  # inside the project: Zensical builds nowhere else
    result = subprocess.run(
        [sys.executable, "-m", "site_gen", "build", "--site-dir", str(site)],
        cwd=project, text=True, capture_output=True, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"},
    )
    if result.returncode != 0:
        raise RuntimeError(f"site-gen build failed:\n{result.stdout}\n{result.stderr}")
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` as a plain static site on 127.0.0.1 (free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def ensure_axe() -> Path:
    """axe-core, pinned by package-lock.json in this folder and installed by ``make test``."""
    if not AXE.is_file():
        raise RuntimeError(
            f"axe-core is not installed ({AXE.relative_to(REPO)} is missing). `make test` installs it "
            "from tests/browser/package-lock.json (npm ci --prefix tests/browser) before running the suite.")
    return AXE


@dataclass
class Traffic:
    """Every request a browser context made, split into the site's own and everybody else's."""

    origin: str
    own: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def route(self, route, request) -> None:
        url = request.url
        parts = urlsplit(url)
        if url.startswith(("data:", "blob:")) or (parts.scheme, parts.netloc) == self.origin_parts:
            self.own.append(url)
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort("blockedbyclient")

    @property
    def origin_parts(self) -> tuple[str, str]:
        parts = urlsplit(self.origin)
        return parts.scheme, parts.netloc


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def new_context(browser, base_url: str, *, scheme: str = "light", viewport: dict | None = None,
                javascript: bool = True, reduced_motion: bool = True):
    """A fresh context (no stored palette choice) whose requests off the site are blocked and counted."""
    context = browser.new_context(
        base_url=base_url,
        viewport=viewport or DESKTOP,
        color_scheme=scheme,
        java_script_enabled=javascript,
        reduced_motion="reduce" if reduced_motion else "no-preference",
        service_workers="block",
    )
    traffic = Traffic(base_url)
    context.route("**/*", traffic.route)
    context.traffic = traffic  # type: ignore[attr-defined]
    return context


# --------------------------------------------------------------------------- the search box
#
# Material's search is a form in the page (input.md-search__input, results grouped by page in
# .md-search-result__item). Zensical 0.0.73's is a <dialog> in an open shadow root, opened from
# .md-search__button, whose results are one ranked list of a[role=option]. Playwright's CSS
# selectors pierce open shadow roots, so both are driven like a reader drives them.

SEARCH_INDEX = {"mkdocs": "search/search_index.json", "zensical": "search.json"}
ZENSICAL_DIALOG = "dialog[aria-label='Search']"
# The element whose shadow root holds Zensical's dialog (JavaScript, for page.evaluate).
ZENSICAL_ROOT_JS = """(() => {
    const host = [...document.querySelectorAll('*')].find(e => e.shadowRoot && e.shadowRoot.querySelector('dialog'));
    return host ? host.shadowRoot : null;
})()"""


def search_ui(page) -> str:
    """Which engine's search the open page has: "zensical" or "mkdocs" (Material's)."""
    return "zensical" if page.locator("button.md-search__button").count() else "mkdocs"


def search_input(page):
    """The search box, opened if it is not: a locator to click, type into and read."""
    if search_ui(page) == "zensical":
        box = page.locator(f"{ZENSICAL_DIALOG} input[role=combobox]")
        if not box.is_visible():
            page.locator("button.md-search__button").first.click()
        box.wait_for(state="visible")
        return box
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label.md-search__icon[for='__search'], .md-search__input").first.click()
    return box


def search_results(page):
    """A locator of the result entries: Material's result groups, Zensical's ranked options."""
    if search_ui(page) == "zensical":
        return page.locator(f"{ZENSICAL_DIALOG} a[role=option]")
    return page.locator(".md-search-result__item")


def type_search(page, query: str) -> None:
    """Type ``query`` into the search box like a reader and wait for the first result."""
    box = search_input(page)
    box.click()
    page.keyboard.type(query, delay=15)
    search_results(page).first.wait_for()
