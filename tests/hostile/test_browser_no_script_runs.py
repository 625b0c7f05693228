"""In Chromium: a site built from text full of payloads runs none of them, on any page.

Every text field of ``payload/content`` is an attack (``<script>``, event handlers, ``javascript:``
links, attribute lists, template braces, breakouts from ``<title>`` and attributes, mutation-XSS
markup, …) that would call ``alert()``. The site is built with plain ``mkdocs build --strict``,
served on 127.0.0.1 and every page is loaded in headless Chromium: no JavaScript dialog may open
and no page error may occur — not on load, not when every element receives mouse, focus and
toggle events, and not when the search shows results made of that text.
"""

from __future__ import annotations

import concurrent.futures
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api as playwright_api

from .support import build_payload_site, reader_text

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SEARCHES = ["alert", "script", "onerror", "p01", "javascript"]

# Fire the events an injected handler would listen for on every element of the article.
POKE = """() => {
  const kinds = ["mouseover", "mouseenter", "focus", "focusin", "toggle", "animationstart", "load", "error"];
  let poked = 0;
  for (const element of document.querySelectorAll("article *")) {
    for (const kind of kinds) { element.dispatchEvent(new Event(kind)); }
    poked += 1;
  }
  return poked;
}"""


def _search(page: object, query: str) -> None:
    """Type ``query`` into Material's search until results show (the index loads in a worker)."""
    for _attempt in range(20):
        page.click("input.md-search__input")  # type: ignore[attr-defined]  # visible in the desktop layout
        page.keyboard.press("Control+A")  # type: ignore[attr-defined]
        page.keyboard.type(query)  # type: ignore[attr-defined]
        try:
            page.wait_for_selector(".md-search-result__item", timeout=500)  # type: ignore[attr-defined]
            return
        except playwright_api.TimeoutError:
            continue
    raise AssertionError(f"search for {query!r} showed no results")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    site = build_payload_site(tmp_path_factory.mktemp("payload") / "project")
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", site
    finally:
        server.shutdown()
        server.server_close()


def test_no_payload_runs_in_chromium(served_site: tuple[str, Path]) -> None:
    base, site = served_site
    # Playwright's sync API refuses to start inside a running event loop, and another test module
    # may keep one open for its session-wide browser: this browser gets a thread of its own.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(_visit_every_page, base, site).result(timeout=600)


def _visit_every_page(base: str, site: Path) -> None:
    pages = sorted(str(p.relative_to(site).parent) for p in site.rglob("index.html"))
    assert len(pages) >= 10
    dialogs: list[str] = []
    errors: list[str] = []
    outside: list[str] = []

    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
            page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))

            def only_this_site(route: object) -> None:
                request = route.request  # type: ignore[attr-defined]
                if request.url.startswith(base):
                    route.continue_()  # type: ignore[attr-defined]
                else:
                    outside.append(request.url)
                    route.abort()  # type: ignore[attr-defined]

            page.route("**/*", only_this_site)
            for relative in pages:
                url = base if relative == "." else f"{base}{relative}/"
                page.goto(url, wait_until="load")
                page.wait_for_timeout(150)  # SVG animations and lazy handlers would fire by now
                assert page.evaluate(POKE) > 0, url
                if relative == ".":
                    # The payloads reach the reader: the page shows them as text.
                    assert "<script>alert('p01')</script>" in reader_text(page.content())

            page.goto(base, wait_until="networkidle")
            for query in SEARCHES:
                _search(page, query)
                page.wait_for_timeout(150)
                page.keyboard.press("Escape")
            assert dialogs == [] and errors == []

            # The harness itself would notice: a page that does run a script opens a dialog.
            (site / "canary.html").write_text("<!doctype html><title>c</title><img src=x onerror=alert('canary')>",
                                              "utf-8")
            page.goto(f"{base}canary.html", wait_until="load")
            page.wait_for_timeout(150)
            assert dialogs == [f"{base}canary.html: canary"]
        finally:
            browser.close()

    assert outside == []  # and the site asked nothing of any other host
