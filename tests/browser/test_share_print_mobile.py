"""Sharing (title, description, Open Graph, Twitter, canonical, JSON-LD, sitemap), printing to PDF,
and a 375 px phone."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from .harness import PAGES, PHONE, REPO


def _site_url() -> str:
    """The site_url the site was built with: MkDocs' own reading of mkdocs.yml (``!ENV SITE_URL``)."""
    from site_gen.generate import config_site_url

    url = config_site_url(REPO / "mkdocs.yml")
    assert url, "mkdocs.yml has no site_url"
    return url.rstrip("/") + "/"


@pytest.fixture(scope="module")
def front_matter() -> dict[str, dict]:
    """The front matter site-gen generates for each page, with its text as a reader sees it."""
    from site_gen.render.pages import render_pages
    from site_gen.validate import load_briefing

    pages = render_pages(load_briefing(REPO / "content"))
    out = {}
    for url, source in PAGES.items():
        meta = yaml.safe_load(pages[source].split("---\n")[1])
        out[url] = {key: " ".join(html.unescape(value).split()) if isinstance(value, str) else value
                    for key, value in meta.items()}
    return out


def _head(page) -> dict:
    return page.evaluate("""() => {
        const meta = (key) => document.querySelector(`meta[name="${key}"], meta[property="${key}"]`)?.content;
        return {
            title: document.title,
            description: meta("description"),
            canonical: document.querySelector('link[rel=canonical]')?.href,
            og: Object.fromEntries([...document.querySelectorAll('meta[property^="og:"]')]
                    .map(m => [m.getAttribute('property'), m.content])),
            twitter: Object.fromEntries([...document.querySelectorAll('meta[name^="twitter:"]')]
                    .map(m => [m.getAttribute('name'), m.content])),
            jsonld: [...document.querySelectorAll('script[type="application/ld+json"]')].map(s => s.textContent),
            feeds: [...document.querySelectorAll('link[rel=alternate][type="application/atom+xml"]')]
                    .map(l => ({href: l.href, title: l.title})),
        };
    }""")


def test_every_page_has_title_description_share_tags_and_json_ld(new_page, front_matter, content) -> None:
    site_url = _site_url()
    site_name = yaml.load((REPO / "mkdocs.yml").read_text("utf-8"), Loader=yaml.BaseLoader)["site_name"]
    page = new_page(javascript=False)
    for path in PAGES:
        page.goto(path)
        head = _head(page)
        title, description = front_matter[path]["title"], front_matter[path]["description"]
        expected_title = site_name if path == "" else f"{title} - {site_name}"
        assert head["title"] == expected_title, path
        assert head["description"] == description and len(description) > 20, path
        assert head["canonical"] == site_url + path, path
        assert head["og"]["og:title"] == expected_title
        assert head["og"]["og:url"] == site_url + path
        assert head["og"]["og:site_name"] == site_name
        assert description.startswith(head["og"]["og:description"].rstrip("…"))
        assert head["og"]["og:type"] == ("article" if path in ("", "full-briefing/") else "website")
        assert head["twitter"]["twitter:card"] == "summary"
        assert head["twitter"]["twitter:title"] == expected_title
        # Feed readers and browsers find the updates feed from every page.
        assert head["feeds"] == [{"href": page.url[: len(page.url) - len(path)] + "feed.xml",
                                  "title": f"{site_name}: updates and corrections"}], (path, head["feeds"])
        assert len(head["jsonld"]) == 1, path
        data = json.loads(head["jsonld"][0])
        assert data["@context"] == "https://schema.org"
        assert data["url"] == site_url + path and data["description"] == description
        assert data["isPartOf"] == {"@type": "WebSite", "name": site_name, "url": site_url}
        updated = max(u["date"] for u in content["updates"]["updates"])
        assert data["dateModified"] == updated
        if path in ("", "full-briefing/"):
            assert data["@type"] == "NewsArticle"
            assert data["headline"] == title and data["mainEntityOfPage"] == site_url + path
            assert data["datePublished"] == min(u["date"] for u in content["updates"]["updates"])
        else:
            assert data["@type"] == "WebPage"


def test_json_ld_and_meta_are_escaped(site: Path) -> None:
    """Text in JSON-LD cannot close its <script>; attribute values cannot break out of quotes."""
    for path in PAGES:
        html = (site / path / "index.html").read_text("utf-8")
        script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1)
        assert "<" not in script and ">" not in script
        json.loads(script)
        for tag in re.findall(r"<meta [^>]*>", html):
            assert re.fullmatch(r'<meta( [a-z:-]+="[^"<>]*")+>', tag), tag


def test_sitemap_lists_every_page(site: Path) -> None:
    tree = ET.parse(site / "sitemap.xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {loc.text for loc in tree.findall(".//s:url/s:loc", namespace)}
    assert listed == {_site_url() + path for path in PAGES}


# --------------------------------------------------------------------------- print


def _print(page, path: str, pdf: Path) -> None:
    page.goto(path)
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4", print_background=True,
             margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})


@pytest.mark.parametrize("path", ["", "full-briefing/"], ids=["home", "full-briefing"])
def test_print_is_clean(new_page, screenshots: Path, content, path: str) -> None:
    """Chromium prints the page to PDF; pdftoppm renders it (PNG files for a person to look at)."""
    pdftoppm, pdftotext = shutil.which("pdftoppm"), shutil.which("pdftotext")
    assert pdftoppm and pdftotext, "poppler-utils (pdftoppm, pdftotext) is needed; `make test` installs it"
    name = path.strip("/") or "home"
    pdf = screenshots / f"print-{name}.pdf"
    page = new_page()
    _print(page, path, pdf)
    # In print, only the article is shown.
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary',
        '.md-footer', '.md-search'].map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none"] * 5
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for chrome in ("Table of contents", "Made with", "Search", "Previous", "Next", "Skip to content"):
        assert not re.search(rf"\b{chrome}\b", text), f"{chrome!r} printed on {name}"
    assert content["briefing"]["title"] in text
    flat = " ".join(text.split())
    if path == "full-briefing/":
        for event in content["events"]["events"]:
            assert " ".join(event["title"].split())[:40] in flat, event["id"]
        for quote in content["quotes"]["quotes"]:
            assert " ".join(quote["text"].split())[:30] in flat, quote["id"]
    for old in screenshots.glob(f"print-{name}-*.png"):
        old.unlink()
    subprocess.run([pdftoppm, "-png", "-r", "60", str(pdf), str(screenshots / f"print-{name}")], check=True)
    pngs = sorted(screenshots.glob(f"print-{name}-*.png"))
    assert pngs and all(p.stat().st_size > 5_000 for p in pngs)
    pages = len(pngs)
    assert (pages <= 3) if path == "" else (5 <= pages <= 40), f"{name}: {pages} pages"


# --------------------------------------------------------------------------- phone


def test_no_horizontal_scroll_on_a_375px_phone(new_page) -> None:
    page = new_page(viewport=PHONE)
    for path in PAGES:
        page.goto(path)
        widths = page.evaluate("""() => ({
            page: document.documentElement.scrollWidth,
            body: document.body.scrollWidth,
            viewport: window.innerWidth,
            wide: [...document.querySelectorAll('article *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                              && !el.closest('table') && !el.closest('.md-typeset__scrollwrap'))
                .map(el => el.tagName + '.' + el.className).slice(0, 5),
        })""")
        assert widths["viewport"] == PHONE["width"]
        assert widths["page"] <= PHONE["width"] and widths["body"] <= PHONE["width"], (path, widths)
        assert widths["wide"] == [], (path, widths["wide"])
        page.mouse.wheel(400, 0)
        assert page.evaluate("() => window.scrollX") == 0, path


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_tables_scroll_inside_themselves_on_a_phone(new_page, javascript: bool) -> None:
    page = new_page(viewport=PHONE, javascript=javascript)
    page.goto("funding/")
    tables = page.evaluate("""() => [...document.querySelectorAll('article table')].map(t => {
        // The nearest box that scrolls sideways: the table itself or a wrapper around it.
        let box = t;
        while (box && box.tagName !== 'ARTICLE' && !(['auto', 'scroll'].includes(getComputedStyle(box).overflowX)
               && box.scrollWidth > box.clientWidth)) box = box.parentElement;
        if (box && box.tagName === 'ARTICLE') box = null;
        const visible = (box || t).getBoundingClientRect();
        return {
            visibleRight: visible.right,
            scrolls: Boolean(box) && box.scrollWidth > box.clientWidth,
            scrolled: box ? (box.scrollLeft = 80, box.scrollLeft) : 0,
        };
    })""")
    assert tables, "the funding page has tables"
    assert all(t["visibleRight"] <= PHONE["width"] for t in tables), tables
    wide = [t for t in tables if t["scrolls"]]
    assert wide, "the figures table is wider than a phone and scrolls inside itself"
    assert all(t["scrolled"] > 0 for t in wide), tables
    assert page.evaluate("() => window.scrollX") == 0 and \
        page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
