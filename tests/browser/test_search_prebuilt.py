"""The prebuilt search index (site_gen/search_prebuilt.py, site_gen/assets/search-worker.js).

For a search index of 1,000 sections or more, the pages load site-gen's search worker, which
gives Material's worker a lunr index made from search/prebuilt_index.json instead of building it.
This briefing is smaller, so these tests build it with ``prebuilt_search_min_sections: 0``. They
run both workers side by side in Chromium on the same search_index.json and require identical
answers: every search result (order, scores, highlighted titles and texts) and, after the
self-test has completed every document, the whole lunr index and Material's position tables.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from . import harness
from .test_search import CASES, search

# Beyond the reader's queries of test_search.py: prefixes matching most sections, lunr's
# wildcard, presence, field and negation syntax, figures, stop words and nothing at all.
EXTRA_QUERIES = [
    "t", "m", "s", "a", "the", "trump*", "*ump", "-trump", "+trump +mamdani", "title:mamdani",
    "mamdani~1", "fund^10", "$18", "18,000,000,000", "2026", "February 26 2026", "zzqxj", "",
]

# Runs in the page: starts site-gen's worker and Material's own on the same search index,
# asks both every query, then asks site-gen's worker for its self-test.
COMPARE = r"""
async ({queries, tamper}) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const ours = new URL(config.search, location.href).href;
  // The same worker without the prebuilt index: it builds the index in the browser, as Material
  // does, with site-gen's word variants (site_gen/i18n/search.py) added to lunr's pipeline.
  const material = new URL(config.search.replace(/&prebuilt=1$/, ""), location.href).href;
  const index = await (await fetch(new URL(config.base + "/search/search_index.json", location.href))).json();
  if (tamper === "token")
    index.config.site_gen_prebuilt = "0000000000000000";
  if (tamper === "words") {
    const doc = index.docs.find(doc => /trump/i.test(doc.title));
    doc.title = doc.title.replace(/trump/ig, "Tramp");
  }
  function start(url) {
    const worker = new Worker(url);
    const inbox = [];
    let wake = null;
    worker.onmessage = ev => { inbox.push(ev.data); if (wake) { wake(); wake = null; } };
    worker.onerror = ev => { inbox.push({ type: "error", data: String(ev.message) }); if (wake) { wake(); wake = null; } };
    return {
      worker,
      async ask(message) {
        worker.postMessage(message);
        while (!inbox.length)
          await new Promise(resolve => wake = resolve);
        return inbox.shift();
      }
    };
  }
  const a = start(ours), b = start(material);
  const setup = { type: 0, data: { config: index.config, docs: index.docs, options: { suggest: true } } };
  const ready = [(await a.ask(setup)).type, (await b.ask(setup)).type];
  const different = [], found = {};
  for (const query of queries) {
    const x = JSON.stringify(await a.ask({ type: 2, data: query }));
    const y = JSON.stringify(await b.ask({ type: 2, data: query }));
    found[query] = JSON.parse(y).data.items.length;
    if (x !== y)
      different.push({ query, ours: x.slice(0, 400), material: y.slice(0, 400) });
  }
  const selftest = (await a.ask({ type: "site-gen-search-selftest" })).data;
  a.worker.terminate();
  b.worker.terminate();
  return { ready, different, found, selftest, documents: index.docs.length };
}
"""


def _compare(page: Page, queries: list[str], tamper: str | None = None) -> dict:
    return page.evaluate(COMPARE, {"queries": queries, "tamper": tamper})


@pytest.fixture(scope="module")
def prebuilt_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return harness.build_site(tmp_path_factory.mktemp("prebuilt"), "prebuilt_search_min_sections: 0")


@pytest.fixture(scope="module")
def prebuilt_url(prebuilt_site: Path) -> Iterator[str]:
    with harness.serve(prebuilt_site) as url:
        yield url


@pytest.fixture
def prebuilt_context(browser: Browser, prebuilt_url: str) -> Iterator[BrowserContext]:
    context = harness.new_context(browser, prebuilt_url)
    yield context
    foreign = list(context.traffic.foreign)  # type: ignore[attr-defined]
    context.close()
    assert not foreign, f"requests to other hosts: {foreign}"


@pytest.fixture
def blank_page(prebuilt_context: BrowserContext) -> Page:
    page = prebuilt_context.new_page()
    page.goto("")
    return page


# site-gen's worker is added by the briefing plugin, which only MkDocs runs: a Zensical build has
# Zensical's own search (the engines' differences: bench/RESULTS.md).
@pytest.mark.parametrize("engine", ["mkdocs"], indirect=True)
def test_small_briefing_builds_its_index_in_the_browser(site: Path) -> None:
    """Below 1,000 sections the browser builds the index in no time: no prebuilt index, and
    site-gen's worker (for its word variants) does not ask for one."""
    assert not (site / "search" / "prebuilt_index.json").exists()
    html = (site / "index.html").read_text("utf-8")
    assert re.search(r'site-gen-search\.[0-9a-f]{8}\.js\?material=search\.[0-9a-f]+\.min\.js"', html)
    assert list((site / "assets" / "javascripts" / "workers").glob("site-gen-search.*"))


def test_pages_use_site_gen_worker_and_the_prebuilt_index(prebuilt_site: Path) -> None:
    site = prebuilt_site
    html = (site / "timeline" / "index.html").read_text("utf-8")
    worker = re.search(r'"search": "\.\./assets/javascripts/workers/(site-gen-search\.[0-9a-f]{8}\.js)'
                       r'\?material=(search\.[0-9a-f]+\.min\.js)&prebuilt=1"', html)
    assert worker, "the page does not name site-gen's search worker"
    workers = site / "assets" / "javascripts" / "workers"
    assert (workers / worker.group(1)).is_file() and (workers / worker.group(2)).is_file()
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    prebuilt = json.loads((site / "search" / "prebuilt_index.json").read_text("utf-8"))
    assert prebuilt["config"] == index["config"] and re.fullmatch(r"[0-9a-f]{16}", index["config"]["site_gen_prebuilt"])
    assert prebuilt["docs"] == len(index["docs"]) and len(prebuilt["terms"]) > 500


def test_prebuilt_index_answers_exactly_like_material(blank_page: Page) -> None:
    queries = [case.query for case in CASES] + EXTRA_QUERIES
    result = _compare(blank_page, queries)
    assert result["ready"] == [1, 1]
    assert result["different"] == []
    assert result["found"]["Hochul"] > 0 and result["found"]["t"] > 5 and result["found"]["zzqxj"] == 0
    assert result["selftest"] == {"prebuilt": True, "documents": result["documents"],
                                  "sameIndex": True, "sameTables": True}


def test_other_search_index_is_built_in_the_browser(blank_page: Page) -> None:
    """A search_index.json from another build (another token) is not matched with the prebuilt file."""
    result = _compare(blank_page, ["trump", "mamdani", "t"], tamper="token")
    assert result["different"] == [] and result["found"]["trump"] > 0
    assert result["selftest"] == {"prebuilt": False}


def test_words_that_differ_are_caught_and_the_index_rebuilt(blank_page: Page) -> None:
    """Same token, but a section whose words differ from the prebuilt ones: found when a query
    returns it; the worker then builds the whole index in the browser and answers like Material."""
    warnings: list[str] = []
    blank_page.on("console", lambda message: warnings.append(message.text))
    result = _compare(blank_page, ["trump", "tramp", "t"], tamper="words")
    assert result["different"] == [] and result["found"]["tramp"] > 0
    assert result["selftest"] == {"prebuilt": False}
    assert any("does not fit" in text for text in warnings), warnings


def test_reader_search_uses_the_prebuilt_index(prebuilt_context: BrowserContext) -> None:
    page = prebuilt_context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.goto("")
    groups = search(page, "Hochul")
    assert groups and groups[0][0].href == "people/"
    own = prebuilt_context.traffic.own  # type: ignore[attr-defined]
    assert any(url.endswith("/search/prebuilt_index.json") for url in own), own
    assert any(re.search(r"/workers/site-gen-search\.[0-9a-f]{8}\.js\?material=", url) for url in own), own
    assert not [m for m in messages if m.startswith(("warning", "error"))], messages
