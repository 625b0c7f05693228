"""The other story (tests/fixtures/other-story) in several languages, in Chromium: search finds
names however they are typed and Chinese/Japanese words inside their text; axe-core finds nothing
serious in a left-to-right and a right-to-left language, light and dark; screenshots of the German,
Japanese and Arabic home pages (looked at, and copied to /screenshots for the README)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from . import harness
from .test_accessibility import _axe, _describe
from .test_search import _wait_for_results

REPO = harness.REPO
OTHER = REPO / "tests" / "fixtures" / "other-story" / "content"
LANGUAGES = ("en", "de", "ja", "ar")


def build_other_story(destination: Path, language: str) -> Path:
    """The other story in ``language``, built with ``site-gen build`` (--strict)."""
    project = destination / "project"
    project.mkdir(parents=True)
    # No theme.language in mkdocs.yml: the plugin takes it from briefing.yaml.
    from site_gen.init import standalone_config

    config = re.sub(r"\n  language: en\n", "\n", standalone_config(REPO / "mkdocs.yml"))
    config = re.sub(r"^site_name: .*$", 'site_name: "The Velmira tram dispute"', config, count=1, flags=re.MULTILINE)
    (project / "mkdocs.yml").write_text(config, "utf-8")
    for folder in ("overrides", "docs/assets"):
        shutil.copytree(REPO / folder, project / folder)
    shutil.copytree(OTHER, project / "content")
    meta = project / "content" / "briefing.yaml"
    meta.write_text(meta.read_text("utf-8").replace("language: en", f"language: {language}"), "utf-8")
    site = destination / "site"
    result = subprocess.run([sys.executable, "-m", "site_gen", "build", "--site-dir", str(site)], cwd=project,
                            text=True, capture_output=True, check=False,
                            env={**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {language: build_other_story(tmp_path_factory.mktemp(f"other-{language}"), language)
            for language in LANGUAGES}


@pytest.fixture(scope="module")
def urls(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    with harness.serve(sites["en"]) as en, harness.serve(sites["de"]) as de, \
            harness.serve(sites["ja"]) as ja, harness.serve(sites["ar"]) as ar:
        yield {"en": en, "de": de, "ja": ja, "ar": ar}


@pytest.fixture
def open_page(browser: Browser, urls: dict[str, str]) -> Iterator:
    opened = []

    def open_(language: str, **options: object) -> Page:
        context = harness.new_context(browser, urls[language], **options)  # type: ignore[arg-type]
        opened.append(context)
        return context.new_page()

    yield open_
    foreign = [url for context in opened for url in context.traffic.foreign]  # type: ignore[attr-defined]
    for context in opened:
        context.close()
    assert not foreign, f"requests to other hosts: {foreign}"


# query, the page that must come first, the section that must be its best entry, why
CASES = [
    ("Zoe Angstrom", "people/", "person-angstrom", "typed without diacritics"),
    ("Angstrom", "people/", "person-angstrom", "Å typed as A"),
    ("Zoë Ångström", "people/", "person-angstrom", "typed exactly"),
    ("Nunez", "people/", "person-nunez", "ñ and ú typed as n and u"),
    ("Núñez", "people/", "person-nunez", "typed exactly"),
    ("Lukasz Zolc", "people/", "person-zolc", "Ł, ż, ó and ć typed as plain letters"),
    ("Zolc", "people/", "person-zolc", "a surname without its diacritics"),
    ("Lukasz Wrobel", "people/", "person-wrobel", "the other Łukasz"),
    ("王芳", "people/", "person-wang-fang", "a Chinese name"),
    ("Wang Fang", "people/", "person-wang-fang", "her name in Latin letters (an alias)"),
    ("电车", "quotes/", "quote-first-cars", "a Chinese word inside a sentence written without spaces"),
    ("路面電車", "sources/", "source-toto-2031-05", "a Japanese word inside a Japanese headline"),
    ("車両納入", "sources/", "source-toto-2031-05", "another Japanese word of the headline"),
]


def _material_text(language: str, key: str) -> str:
    """One of Material's own texts in ``language`` (its partials/languages/<language>.html)."""
    import material

    partial = Path(material.__file__).parent / "templates" / "partials" / "languages" / f"{language}.html"
    match = re.search(rf'"{re.escape(key)}": "([^"]*)"', partial.read_text("utf-8"))
    assert match, (language, key)
    return match.group(1)


def _first(page: Page, language: str, query: str) -> tuple[str, str]:
    """Type ``query`` into the search box; the page and section of the best result."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label.md-search__icon[for='__search'], .md-search__input").first.click()
    box.click()
    box.press("Control+A")
    box.press("Backspace")
    ready = _material_text(language, "search.result.placeholder")
    page.wait_for_function("(ready) => document.querySelector('.md-search-result__meta').textContent.includes(ready)",
                           arg=ready, timeout=15_000)
    page.keyboard.type(query, delay=15)
    # Characters typed through an input method arrive without key events of their own; the key
    # that commits them (here End) is what Material's search box listens to.
    box.press("End")
    _wait_for_results(page, query)
    # The best-scoring entry of the first result group (a page), as tests/browser/test_search.py reads it
    href = page.evaluate("""() => {
        const item = document.querySelector(".md-search-result__item");
        if (!item) return null;
        const links = [...item.querySelectorAll("a.md-search-result__link")];
        links.sort((a, b) => parseFloat(b.querySelector("article").dataset.mdScore)
                             - parseFloat(a.querySelector("article").dataset.mdScore));
        return links[0].getAttribute("href") }""")
    assert href, f"{query!r} found nothing"
    parts = urlsplit(href)
    return parts.path.lstrip("/"), parts.fragment


@pytest.mark.parametrize("language", ["en", "de", "ja", "ar"])
def test_search_finds_names_however_typed(open_page, language: str) -> None:
    page = open_page(language)
    page.goto("")
    wrong = []
    for query, path, anchor, why in CASES:
        found = _first(page, language, query)
        if found != (path, anchor):
            wrong.append(f"{query!r} ({why}): first {found}, expected {(path, anchor)}")
    assert not wrong, f"[{language}]\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", ["de", "ar"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violations(open_page, axe_script, language: str, scheme: str) -> None:
    page = open_page(language, scheme=scheme)
    problems = {}
    for path in ("", "timeline/", "funding/", "quotes/", "people/", "sources/", "updates/"):
        page.goto(path)
        violations = _axe(page, axe_script)
        if violations:
            problems[path or "/"] = _describe(violations)
    assert not problems, "\n".join(f"[{language} {scheme}] {p}:\n{t}" for p, t in problems.items())


def test_rtl_page_layout(open_page) -> None:
    page = open_page("ar")
    page.goto("funding/")
    assert page.evaluate("() => document.body.dir") == "rtl"
    assert page.evaluate("() => getComputedStyle(document.querySelector('article')).direction") == "rtl"
    # The chart is mirrored: each bar ends at the right edge of the drawing, its label starts there.
    box = page.locator("svg.briefing-chart").first.bounding_box()
    bars = page.locator("svg.briefing-chart rect.briefing-chart__bar")
    assert bars.count() >= 2
    for i in range(bars.count()):
        bar = bars.nth(i).bounding_box()
        assert abs((bar["x"] + bar["width"]) - (box["x"] + box["width"])) < 2, "bar ends at the right edge"


@pytest.mark.parametrize("language", ["de", "ja", "ar"])
def test_home_page_screenshots(open_page, language: str) -> None:
    fonts = subprocess.run(["fc-list", f":lang={language}"], capture_output=True, text=True, check=False)
    assert fonts.stdout.strip(), (f"no font for {language!r} on this machine: the picture would show boxes "
                                  "(install fonts-noto-cjk, as .ci/run does)")
    page = open_page(language, viewport=harness.DESKTOP)
    page.goto("")
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1").is_visible()
    # Written next to the other screenshots (tests/browser/screenshots/, not in git); the README's
    # pictures in /screenshots are copies of these, looked at before they were copied.
    harness.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = harness.SCREENSHOTS / f"home-{language}-desktop-light.png"
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000
