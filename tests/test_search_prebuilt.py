"""The prebuilt lunr term lists (site_gen/search_prebuilt.py) and how the plugin publishes them.

Whether the browser builds the very same index from them is checked in Chromium by
tests/browser/test_search_prebuilt.py; these tests pin the Python side's rules.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from site_gen import search_prebuilt
from site_gen.init import standalone_config
from site_gen.plugin import SEARCH_WORKER, _use_search_worker
from site_gen.search_prebuilt import (
    Unsupported,
    prebuild,
    python_separator,
    text_sections,
    tokenize,
)

from .conftest import REPO, mkdocs_build

SEPARATOR = yaml.safe_load(
    re.search(r"^      separator: .*$", standalone_config(REPO / "mkdocs.yml"), re.MULTILINE).group(0)
)["separator"]


def words(text: str) -> list[str]:
    return list(tokenize(text, python_separator(SEPARATOR)))


def test_separator_of_mkdocs_yml_splits_like_material() -> None:
    assert words("$18,000,000,000 and 18.5 — $18bn") == ["18,000,000,000", "and", "18.5", "18bn"]
    assert words("Mayor-elect Zohran Mamdani's “first” meeting.") == [
        "mayor", "elect", "zohran", "mamdani", "s", "first", "meeting"]
    assert words("Trump\u00a0said\ufeffno\u2028(really)/yes") == ["trump", "said", "no", "really", "yes"]
    assert words("AT&amp;T &#8217; x") == ["at", "t", "x"]
    # JavaScript's \s is not Python's: U+001C is a word character in the browser.
    assert words("a\x1cb") == ["a\x1cb"]
    # JavaScript's \d is ASCII only: Arabic-Indic digits do not keep a comma.
    assert words("١,٢ 1,2") == ["١", "٢", "1,2"]


def test_text_between_tags_as_material_extracts_it() -> None:
    assert list(text_sections("<p>One <code>two</code> three</p><ul><li>four</li></ul>")) == [
        "One ", "two", " three", "four"]
    assert list(text_sections("a < b < c> d")) == ["a ", "< b ", " d"]
    assert list(text_sections("")) == []
    assert words("<p>The <em>Gateway</em> Tunnel</p>") == ["the", "gateway", "tunnel"]


@pytest.mark.parametrize("source", [
    r"\bword\b", r"[^a-z]+", r"a.b", r"(?<name>x)", r"\p{L}", r"x|", r"[\S]", r"\1", "a\U0001F600",
])
def test_separators_that_would_split_differently_are_refused(source: str) -> None:
    with pytest.raises(Unsupported):
        python_separator(source)


def test_translated_separators() -> None:
    assert python_separator(r"[\s\-]+").split("a b-c") == ["a", "b", "c"]
    assert python_separator(r"x$").search("ax\n") is None  # JavaScript's $ is the very end
    assert python_separator(r"\.(?!\d)").split("a.b 1.5") == ["a", "b 1.5"]


def _index(docs: list[dict], **config: object) -> dict:
    base = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"],
            "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}}}
    return {"config": {**base, **config}, "docs": docs}


def test_term_lists_in_lunr_order() -> None:
    docs = [
        {"location": "", "title": "The Gateway tunnel", "text": "<p>tunnel tunnel and money</p>"},
        {"location": "#money", "title": "Money", "text": "", "boost": 4},
        {"location": "a/", "title": "Tags", "text": "x", "tags": ["Gateway", "new-york"]},
    ]
    data = prebuild(_index(docs))
    # First seen first (lunr's term index); stop words ("the", "and") dropped; lowercased.
    assert data["terms"] == ["gateway", "tunnel", "money", "tags", "x", "new", "york"]
    assert data["fields"] == ["title", "text", "tags"] and data["docs"] == 3
    title, text, tags = data["postings"]
    assert title[0] == [0] and title[2] == [1] and text[1] == [-1, 2]  # doc 0, twice
    assert text[2] == [0] and tags[0] == [2] and tags[6] == [2]
    assert title[1] == [0] and tags[1] == []


def test_unsupported_configurations() -> None:
    docs = [{"location": "", "title": "x", "text": ""}]
    for config in ({"lang": ["de"]}, {"pipeline": ["stemmer", "stopWordFilter"]},
                   {"separator": r"\b"}, {"fields": {"title": {}, "text": {}}}):
        with pytest.raises(Unsupported):
            prebuild(_index(docs, **config))
    with pytest.raises(Unsupported):
        prebuild(_index(docs * 2))  # the same location twice


def _write_index(site: Path, index: dict) -> Path:
    (site / "search").mkdir(exist_ok=True)
    path = site / "search" / "search_index.json"
    path.write_text(json.dumps(index, separators=(",", ":")), "utf-8")
    return path


def test_write_prebuilt_tokens_both_files(tmp_path: Path) -> None:
    index = _index([{"location": "", "title": "Hello", "text": "<p>world</p>"}])
    path = _write_index(tmp_path, index)
    assert search_prebuilt.write_prebuilt(tmp_path, min_sections=1) is True
    written = json.loads(path.read_text("utf-8"))
    prebuilt = json.loads((tmp_path / "search" / "prebuilt_index.json").read_text("utf-8"))
    assert next(iter(written["config"])) == "site_gen_prebuilt" and written["docs"] == index["docs"]
    assert prebuilt["config"] == written["config"] and prebuilt["terms"] == ["hello", "world"]


def test_write_prebuilt_leaves_small_or_unsupported_indexes_alone(tmp_path: Path) -> None:
    index = _index([{"location": "", "title": "Hello", "text": "<p>world</p>"}])
    path = _write_index(tmp_path, index)
    assert search_prebuilt.write_prebuilt(tmp_path, min_sections=2) is False
    index["config"]["lang"] = ["fr"]
    path = _write_index(tmp_path, index)
    with pytest.raises(Unsupported, match="language"):
        search_prebuilt.write_prebuilt(tmp_path)
    assert json.loads(path.read_text("utf-8")) == index
    assert not (tmp_path / "search" / "prebuilt_index.json").exists()
    assert search_prebuilt.write_prebuilt(tmp_path / "elsewhere") is False


def test_worker_url_is_replaced_only_in_material_config() -> None:
    page = ('<p>"search": "assets/javascripts/workers/search.1234abcd.min.js"</p>'
            '<script id="__config" type="application/json">{"base": "..", "search": '
            '"../assets/javascripts/workers/search.1234abcd.min.js", "tags": null}</script>')
    out = _use_search_worker(page)
    assert out.startswith('<p>"search": "assets/javascripts/workers/search.1234abcd.min.js"</p>')
    assert (f'"search": "../assets/javascripts/workers/{SEARCH_WORKER}?material=search.1234abcd.min.js&prebuilt=1"'
            in out)
    assert f"{SEARCH_WORKER}?material=search.1234abcd.min.js\"" in _use_search_worker(page, prebuilt=False)
    assert _use_search_worker(out) == out
    assert _use_search_worker("<html></html>") == "<html></html>"


def _with_plugin_options(project: Path, options: str) -> None:
    config = project / "mkdocs.yml"
    text, found = re.subn(r"^  - briefing$", "  - briefing:" + "".join(
        f"\n      {line}" for line in options.splitlines()), config.read_text("utf-8"), flags=re.MULTILINE)
    assert found == 1
    config.write_text(text, "utf-8")


def test_small_briefing_keeps_material_search(real_site: Path) -> None:
    """This briefing has about 100 sections: below 1,000 nothing is prebuilt and nothing changes."""
    index = json.loads((real_site / "search" / "search_index.json").read_text("utf-8"))
    assert len(index["docs"]) < 1000 and "site_gen_prebuilt" not in index["config"]
    assert not (real_site / "search" / "prebuilt_index.json").exists()
    html = (real_site / "index.html").read_text("utf-8")
    # site-gen's worker (word variants, site_gen/i18n/search.py), without a prebuilt index to fetch
    assert re.search(r'"search": "assets/javascripts/workers/site-gen-search\.[0-9a-f]{8}\.js'
                     r'\?material=search\.[0-9a-f]+\.min\.js"', html)


def test_plain_mkdocs_build_publishes_worker_and_prebuilt_index(real_project: Path) -> None:
    _with_plugin_options(real_project, "prebuilt_search_min_sections: 0")
    result = mkdocs_build(real_project)
    assert result.returncode == 0, result.stderr
    site = real_project / "site"
    workers = site / "assets" / "javascripts" / "workers"
    assert (workers / SEARCH_WORKER).read_bytes() == (REPO / "site_gen" / "assets" / "search-worker.js").read_bytes()
    for page in site.rglob("index.html"):
        html = page.read_text("utf-8")
        material = re.search(rf"{re.escape(SEARCH_WORKER)}\?material=(search\.[0-9a-f]+\.min\.js)", html)
        assert material and (workers / material.group(1)).is_file(), page
    prebuilt = json.loads((site / "search" / "prebuilt_index.json").read_text("utf-8"))
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    assert prebuilt["config"] == index["config"] and prebuilt["docs"] == len(index["docs"])


def test_prebuilt_search_can_be_turned_off(real_project: Path) -> None:
    _with_plugin_options(real_project, "prebuilt_search: false\nprebuilt_search_min_sections: 0")
    result = mkdocs_build(real_project)
    assert result.returncode == 0, result.stderr
    site = real_project / "site"
    assert not (site / "search" / "prebuilt_index.json").exists()
    assert "&prebuilt=1" not in (site / "index.html").read_text("utf-8")
    assert "site_gen_prebuilt" not in (site / "search" / "search_index.json").read_text("utf-8")
