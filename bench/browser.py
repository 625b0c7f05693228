"""Reader-side timings in real Chromium: the first search result, and an edit reaching the preview.

Uses the playwright Python package with Debian's /usr/bin/chromium (no browser download).
Every server is bound to 127.0.0.1 and stopped when its measurement ends.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path(os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 60_000


def available() -> str | None:
    """None when the browser measurements can run, else why not."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} not found"
    return None


@dataclass(frozen=True)
class SearchTiming:
    cold_ms: float      # query typed as soon as the page has loaded: includes fetching the index
    warm_ms: float      # a second query on the same page, index already loaded
    results: int


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


# Material for MkDocs and Zensical search differently; each entry: (what opens the search box, the
# box, one result). Zensical draws its search dialog in a shadow root, which Playwright's CSS
# selectors enter.
_SEARCH_UI = {
    "mkdocs": ("input.md-search__input", "input.md-search__input", ".md-search-result__item"),
    "zensical": (".md-search__button", 'input[role="combobox"]', '[role="listbox"] [role="option"]'),
}


def _open_search(page: object, engine: str) -> None:
    opener, box, _ = _SEARCH_UI[engine]
    page.click(opener, timeout=TIMEOUT_MS)  # type: ignore[attr-defined]
    page.wait_for_selector(box, state="visible", timeout=TIMEOUT_MS)  # type: ignore[attr-defined]


def _timed_query(page: object, engine: str, query: str) -> tuple[float, int]:
    """Milliseconds from typing ``query`` until a result that contains it is on screen."""
    _, box, result = _SEARCH_UI[engine]
    begin = page.evaluate("performance.now()")  # type: ignore[attr-defined]
    page.fill(box, query)  # type: ignore[attr-defined]
    page.keyboard.press("End")  # type: ignore[attr-defined]
    found = page.locator(result, has_text=query)  # type: ignore[attr-defined]
    found.first.wait_for(state="visible", timeout=TIMEOUT_MS)
    end = page.evaluate("performance.now()")  # type: ignore[attr-defined]
    return end - begin, page.locator(result).count()  # type: ignore[attr-defined]


def search_timing(site: Path, queries: tuple[str, str], engine: str = "mkdocs") -> SearchTiming:
    """Open the home page and search twice; the first query is typed as soon as it has loaded."""
    with serve_folder(site) as url, chromium() as browser:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(url, wait_until="load")
        _open_search(page, engine)
        cold, results = _timed_query(page, engine, queries[0])
        warm, _ = _timed_query(page, engine, queries[1])
        page.close()
    return SearchTiming(round(cold, 1), round(warm, 1), results)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def preview_latency(project: Path, content_file: str, page_path: str, marker: str = "Previewmark",
                    edits: int = 3) -> float:
    """Seconds from saving an edit to ``content_file`` until the open preview page shows it.

    Runs ``site-gen serve`` on 127.0.0.1, opens ``page_path`` in Chromium, appends ``marker`` (and
    a letter) to the first ``title:`` in the file and waits for the reloaded page to show it.
    Returns the median of ``edits`` such edits, one after the other in the same page: part of
    the delay is where the server's file poller happens to be in its cycle when the file is
    saved, so one edit alone varies by a few tenths of a second for no other reason.
    """
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "site_gen", "--project", str(project), "serve",
                               "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env=env)
    from urllib.parse import urlsplit

    from site_gen.generate import config_site_url

    # `mkdocs serve` serves the site under the path of site_url (/trump-mamdani/ for this briefing).
    base = urlsplit(config_site_url(project / "mkdocs.yml") or "http://localhost/").path.strip("/")
    url = f"http://127.0.0.1:{port}/{base + '/' if base else ''}{page_path}"
    path = project / "content" / content_file
    original = path.read_text("utf-8")
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("site-gen serve did not start") from None
                time.sleep(0.1)
        with chromium() as browser:
            page = browser.new_page()  # type: ignore[attr-defined]
            page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
            text, timings = original, []
            for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:max(1, edits)]:
                time.sleep(1.0)  # let the live-reload connection (re)settle
                mark = f"{marker}{letter}"
                text = re.sub(r"^(\s*(?:-\s+)?title:\s*)(.+)$", lambda m, mark=mark: f"{m.group(1)}{m.group(2)} {mark}",
                              text, count=1, flags=re.MULTILINE)
                saved = time.monotonic()
                path.write_text(text, "utf-8")
                while time.monotonic() - saved < 60:
                    with contextlib.suppress(Exception):  # the page may be in the middle of reloading
                        if mark in page.content():
                            timings.append(time.monotonic() - saved)
                            break
                    time.sleep(0.02)
                else:
                    raise RuntimeError("the edit did not appear in the preview within 60 s")
            return statistics.median(timings)
    finally:
        path.write_text(original, "utf-8")
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
