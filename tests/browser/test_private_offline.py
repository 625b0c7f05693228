"""Private and offline: nothing is requested from another host, and every page works from a plain
static server with JavaScript on or off."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from . import harness
from .harness import PAGES, PHONE


def _visit_everything(page) -> list[str]:
    """Every page, the search (worker + index), the palette toggle and the mobile menu."""
    failed: list[str] = []
    # A request the browser cancels because the test moves on to the next page (net::ERR_ABORTED,
    # seen on a heavily loaded machine for the search worker and index) is not a failure of the
    # site; anything else that fails is (blocked foreign requests are counted apart, below).
    page.on("requestfailed", lambda request: failed.append(f"{request.url} {request.failure}")
            if request.failure != "net::ERR_ABORTED" else None)
    page.on("response", lambda response: failed.append(f"{response.url} {response.status}")
            if response.status >= 400 else None)
    for path in PAGES:
        response = page.goto(path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
    page.goto("", wait_until="networkidle")
    harness.type_search(page, "Gateway")
    page.keyboard.press("Escape")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_load_state("networkidle")
    return failed


def test_no_request_leaves_the_site(new_page, base_url: str, engine: str) -> None:
    """Fonts, icons, scripts, analytics: the browser blocks and counts anything off 127.0.0.1."""
    page = new_page()
    failed = _visit_everything(page)
    traffic = page.context.traffic
    assert traffic.foreign == [], traffic.foreign
    hosts = {urlsplit(url).netloc for url in traffic.own if url.startswith("http")}
    assert hosts == {urlsplit(base_url).netloc}
    # Everything the pages asked for is on the static server: nothing missing, nothing failed.
    assert not failed, sorted(set(failed))
    assert any(url.endswith("/" + harness.SEARCH_INDEX[engine]) for url in traffic.own), traffic.own
    if engine == "mkdocs":  # Material searches in a worker; Zensical 0.0.73 in the page
        assert any("/workers/search." in url for url in traffic.own)
    # The blocking itself is proven to work: a request to another host is caught and counted.
    page.evaluate("() => fetch('https://fonts.googleapis.com/css?family=Roboto').catch(() => null)")
    assert traffic.foreign == ["https://fonts.googleapis.com/css?family=Roboto"]
    traffic.foreign.clear()


def test_built_html_names_no_other_host_to_load(site) -> None:
    """No <script src>, <link href> or CSS url() pointing elsewhere (links to read are fine)."""
    import re

    for html in site.rglob("*.html"):
        text = html.read_text("utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", text):
            for url in re.findall(r'(?:src|href)="([^"]+)"', tag):
                if 'rel="canonical"' in tag:
                    continue
                assert not re.match(r"(https?:)?//", url), (html, tag)
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", css.read_text("utf-8")):
            assert not re.match(r"[\"']?(https?:)?//", url), (css, url)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_every_page_is_readable_without_javascript(new_page, content, viewport) -> None:
    page = new_page(javascript=False, viewport=viewport)
    for path in PAGES:
        page.goto(path)
        assert page.evaluate("() => document.documentElement.classList.contains('no-js')"), path
        article = page.locator("article.md-content__inner")
        assert article.locator("h1").is_visible(), path
        text = article.inner_text()
        assert len(text) > 300, path
        # Nothing in the article is hidden behind a script (tabs, collapsed blocks, lazy content).
        hidden = page.evaluate("""() => [...document.querySelectorAll('article.md-content__inner *')]
            .filter(el => el.closest('details') === null && !el.closest('.headerlink')
                    && getComputedStyle(el).display === 'none').map(el => el.outerHTML.slice(0, 80))""")
        assert hidden == [], (path, hidden)
    page.goto("timeline/")
    for event in content["events"]["events"]:
        assert page.locator(f"#event-{event['id']}").is_visible()
    page.goto("quotes/")
    assert page.locator("article.briefing-quote").first.is_visible()
    page.goto("funding/")
    assert page.locator("svg.briefing-chart rect").first.is_visible()


def test_navigation_works_without_javascript(new_page) -> None:
    page = new_page(javascript=False)
    page.goto("")
    page.locator("nav.md-nav--primary a", has_text="Timeline").first.click()
    page.wait_for_url("**/timeline/")
    page.locator("article a[href$='people/#person-trump']").first.click()
    page.wait_for_url("**/people/#person-trump")
    assert page.locator("#person-trump").is_visible()
