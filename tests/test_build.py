"""A real ``mkdocs build --strict`` of the real briefing, checked as a reader would read it."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, make_project, mkdocs_build, run_site_gen
from .htmltext import main_text, parse

PAGES = ["", "timeline/", "funding/", "quotes/", "people/", "topics/", "faq/", "sources/", "updates/",
         "full-briefing/"]


def _content(name: str) -> dict:
    return yaml.safe_load((REPO / "content" / name).read_text("utf-8"))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_page_is_built(real_site: Path) -> None:
    for page in PAGES:
        assert (real_site / page / "index.html").is_file(), page
    assert (real_site / "sitemap.xml").is_file()


def test_every_quote_appears_verbatim_with_its_own_anchor(real_site: Path) -> None:
    html = (real_site / "quotes" / "index.html").read_text("utf-8")
    text = main_text(real_site / "quotes" / "index.html")
    ids = parse(html).ids
    for quote in _content("quotes.yaml")["quotes"]:
        assert _norm(quote["text"]) in text, quote["id"]
        assert f"quote-{quote['id']}" in ids, quote["id"]


def test_every_event_is_on_the_timeline_with_a_permalink(real_site: Path) -> None:
    page = real_site / "timeline" / "index.html"
    text = main_text(page)
    ids = parse(page.read_text("utf-8")).ids
    for event in _content("events.yaml")["events"]:
        assert _norm(event["title"]) in text, event["id"]
        assert f"event-{event['id']}" in ids, event["id"]


def test_funding_figures_are_shown_as_readers_expect(real_site: Path) -> None:
    text = main_text(real_site / "funding" / "index.html")
    assert "about $10 billion" in text
    assert "about $18 billion" in text
    assert "Gateway Tunnel" in text and "Second Avenue Subway" in text
    # Two separate figures: the computed total adds them once each.
    assert "about $28 billion in USD across 2 separate figures" in text
    html = (real_site / "funding" / "index.html").read_text("utf-8")
    assert "<svg" in html and "<title" in html and "<table" in html


def test_home_has_story_key_figures_latest_and_last_updated(real_site: Path) -> None:
    text = main_text(real_site / "index.html")
    summary = _content("briefing.yaml")["summary"]
    assert len(summary) == 3
    for sentence in summary:
        assert _norm(re.sub(r"[*_]", "", sentence))[:60] in text
    assert "Key figures" in text and "Latest developments" in text and "Last updated" in text


def test_every_person_has_their_quotes_and_events(real_site: Path) -> None:
    page = real_site / "people" / "index.html"
    ids = parse(page.read_text("utf-8")).ids
    quotes = _content("quotes.yaml")["quotes"]
    for person in _content("people.yaml")["people"]:
        assert f"person-{person['id']}" in ids
        if any(q["speaker"] == person["id"] for q in quotes):
            assert f"person-{person['id']}-quotes" in ids, person["id"]


def test_sources_list_everything_that_cites_them(real_site: Path) -> None:
    text = main_text(real_site / "sources" / "index.html")
    for source in _content("sources.yaml")["sources"]:
        assert _norm(source["title"]) in text
    assert "Cited by" in text


def test_internal_links_resolve(real_site: Path) -> None:
    """Every relative link from a generated page points to a page and anchor that exist."""
    ids_by_page: dict[Path, set[str]] = {}
    for page in PAGES:
        path = (real_site / page / "index.html").resolve()
        ids_by_page[path] = parse(path.read_text("utf-8")).ids
    checked = 0
    for page in PAGES:
        path = (real_site / page / "index.html").resolve()
        for href in parse(path.read_text("utf-8")).hrefs:
            if href.startswith(("http:", "https:", "mailto:")) or "assets/" in href:
                continue
            target, _, fragment = href.partition("#")
            resolved = (path.parent / target).resolve() if target else path
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if resolved not in ids_by_page:
                continue
            if fragment:
                assert fragment in ids_by_page[resolved], f"{page}: broken link {href}"
                checked += 1
    assert checked > 100


SEED_FACTS = [
    # First article (iNews, 21 November 2025 meeting)
    "communist lunatic", "Trump-proof", "arrest and deportation", "Oval Office", "$10 billion", "Reuters",
    "affordability", "Security clearances", "Steven Cheung", "NBC News", "Associated Press", "pushing out",
    "groceries", "$18 billion", "Gateway Tunnel", "Second Avenue Subway",
    "law enforcement", "denouncing the horrors of socialism", "happy coincidence", "Mike Johnson",
    "Fox News Radio", "Chuck Schumer", "Kathy Hochul", "sanctuary", "surprise some conservative people",
    # Second article (26 February 2026 meeting)
    "productive meeting", "building more housing in New York City", "Columbia University",
    "Immigration and Customs Enforcement", "released imminently", "State of the Union",
    "I think he’s a nice guy, actually", "Bad policy, but nice guy", "I speak to him a lot", "X",
    "no formal agreements",
]


def test_facts_from_both_articles_are_findable(real_site: Path) -> None:
    text = " ".join(main_text(real_site / page / "index.html") for page in PAGES if page != "full-briefing/")
    missing = [fact for fact in SEED_FACTS if fact.lower() not in text.lower()]
    assert not missing, f"facts not on the site: {missing}"


def test_yaml_edit_shows_up_in_plain_mkdocs_build(real_project: Path) -> None:
    quotes = real_project / "content" / "quotes.yaml"
    text = quotes.read_text("utf-8")
    quotes.write_text(text + """  - id: test-added-quote
    text: "An added quote, <b>with</b> {: markup} in it."
    speaker: trump
    date: "2026-02-26"
    sources: [article-2026-02-26]
""", "utf-8")
    result = mkdocs_build(real_project)
    assert result.returncode == 0, result.stderr
    page = real_project / "site" / "quotes" / "index.html"
    assert "An added quote, <b>with</b> {: markup} in it." in main_text(page)
    assert "quote-test-added-quote" in parse(page.read_text("utf-8")).ids


def test_invalid_content_leaves_docs_and_site_untouched(real_project: Path) -> None:
    run_site_gen("build", cwd=real_project, check=True)
    snapshot = {p: p.read_bytes() for p in (real_project / "docs").rglob("*") if p.is_file()}
    site_snapshot = {p: p.stat().st_mtime_ns for p in (real_project / "site").rglob("*") if p.is_file()}
    quotes = real_project / "content" / "quotes.yaml"
    quotes.write_text(quotes.read_text("utf-8").replace("speaker: trump", "speaker: trumpp", 1), "utf-8")
    result = run_site_gen("build", cwd=real_project)
    assert result.returncode == 1
    assert "unknown person 'trumpp' (did you mean 'trump'?)" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in (real_project / "docs").rglob("*") if p.is_file()} == snapshot
    assert {p: p.stat().st_mtime_ns for p in (real_project / "site").rglob("*") if p.is_file()} == site_snapshot
    # plain mkdocs fails too, with the same message and no traceback
    plain = mkdocs_build(real_project)
    assert plain.returncode == 1
    assert "unknown person 'trumpp'" in plain.stderr and "Traceback" not in plain.stderr


def test_site_gen_build_twice_rewrites_nothing(real_project: Path) -> None:
    first = run_site_gen("build", "--no-site", cwd=real_project, check=True)
    assert "10 written" in first.stdout or "written" in first.stdout
    mtimes = {p: p.stat().st_mtime_ns for p in (real_project / "docs").rglob("*.md")}
    second = run_site_gen("build", "--no-site", cwd=real_project, check=True)
    assert "0 written" in second.stdout
    assert {p: p.stat().st_mtime_ns for p in (real_project / "docs").rglob("*.md")} == mtimes


def test_hand_written_page_is_never_overwritten(real_project: Path) -> None:
    docs = real_project / "docs"
    (docs / "faq.md").write_text("# My own FAQ\n", "utf-8")
    (docs / "about.md").write_text("# About us\n", "utf-8")
    result = run_site_gen("build", "--no-site", cwd=real_project)
    assert result.returncode == 1
    assert "faq.md already exists and was not written by site-gen" in result.stderr
    assert (docs / "faq.md").read_text("utf-8") == "# My own FAQ\n"
    assert not (docs / "index.md").exists(), "nothing may be written when a conflict is found"
    (docs / "faq.md").unlink()
    run_site_gen("build", "--no-site", cwd=real_project, check=True)
    assert (docs / "about.md").read_text("utf-8") == "# About us\n"


def test_stale_generated_pages_are_removed_but_others_kept(real_project: Path) -> None:
    from site_gen.write import write_pages

    docs = real_project / "docs"
    write_pages({"a.md": "A\n", "sub/b.md": "B\n"}, docs)
    (docs / "mine.md").write_text("mine\n", "utf-8")
    report = write_pages({"a.md": "A\n"}, docs)
    assert report.removed == ["sub/b.md"] and report.unchanged == ["a.md"]
    assert not (docs / "sub").exists()
    assert (docs / "mine.md").read_text("utf-8") == "mine\n"


def test_cli_help_for_every_command(tmp_path: Path) -> None:
    for args in ([], ["build"], ["serve"], ["check"]):
        result = run_site_gen(*args, "--help", cwd=tmp_path)
        assert result.returncode == 0
        assert "usage: site-gen" in result.stdout
    outside = run_site_gen("check", cwd=tmp_path)
    assert outside.returncode == 1 and "no mkdocs.yml here" in outside.stderr


def test_no_third_party_urls_in_built_pages(real_site: Path) -> None:
    for page in PAGES:
        html = (real_site / page / "index.html").read_text("utf-8")
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
        for src in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
            assert src.startswith("https://briefing.example.org/") or "squidfunk" in src or "mkdocs" in src, src


def test_repository_docs_are_buildable_without_the_generator_output(tmp_path: Path) -> None:
    """A fresh clone has no generated pages; plain mkdocs build must create them."""
    import subprocess

    project = tmp_path / "clone"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if name.startswith(("tests/", "bench/")) or not (REPO / name).exists():
            continue
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        if (REPO / name).is_symlink():  # as git checks it out: a link (overrides/, the stylesheet)
            os.symlink(os.readlink(REPO / name), project / name)
        else:
            shutil.copy2(REPO / name, project / name)
    assert not (project / "docs" / "index.md").exists()
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "timeline" / "index.html").is_file()


def test_generation_pauses_the_cyclic_gc_and_always_switches_it_back_on(tmp_path: Path) -> None:
    """generate() runs with the cyclic garbage collector paused (generate.py: a sixth of the time
    at 10,000 records went to full collections that found nothing) and restores it afterwards,
    also when the content is refused."""
    import gc

    import site_gen.generate as generate_module
    from site_gen.errors import ContentError

    seen: list[bool] = []
    original = generate_module.render_pages

    def spy(briefing):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return original(briefing)

    root = make_project(tmp_path / "p", REPO / "content")
    generate_module.render_pages = spy  # type: ignore[assignment]
    try:
        assert gc.isenabled()
        generate_module.generate(generate_module.Project(root))
        assert seen == [False] and gc.isenabled()
        events = root / "content" / "events.yaml"
        good = events.read_bytes()
        events.write_text("events: [oops\n", "utf-8")
        with pytest.raises(ContentError):
            generate_module.generate(generate_module.Project(root))
        assert gc.isenabled()
        events.write_bytes(good)
        gc.disable()  # a caller that had it off keeps it off
        generate_module.generate(generate_module.Project(root))
        assert not gc.isenabled()
    finally:
        gc.enable()
        generate_module.render_pages = original  # type: ignore[assignment]
