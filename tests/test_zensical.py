"""The same repository builds with Zensical (``site-gen build --engine zensical``), the successor
of Material for MkDocs, which reads mkdocs.yml but runs no MkDocs plugin."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from .conftest import REPO, make_project, run_site_gen


@pytest.fixture(autouse=True)
def _zensical_is_installed() -> None:
    assert importlib.util.find_spec("zensical") is not None, (
        "zensical is not installed; requirements-dev.txt pins it and `make test` installs it")


def _pages(site: Path) -> set[str]:
    return {str(p.relative_to(site).parent) for p in site.rglob("index.html")}


@pytest.fixture(scope="module")
def zensical_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("zensical"), REPO / "content")
    result = run_site_gen("build", "--engine", "zensical", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_zensical_builds_the_same_pages_as_mkdocs(zensical_project: Path, real_site: Path) -> None:
    built = _pages(zensical_project / "site")
    assert built == _pages(real_site)
    assert {".", "timeline", "funding", "quotes", "people", "topics", "faq", "sources", "updates",
            "full-briefing"} <= built


def test_zensical_site_has_the_content_data_files_and_search(zensical_project: Path) -> None:
    site = zensical_project / "site"
    for event in json.loads((site / "data" / "briefing.json").read_text("utf-8"))["events"]:
        assert f'id="event-{event["id"]}"' in (site / "timeline" / "index.html").read_text("utf-8")
    index = json.loads((site / "search.json").read_text("utf-8"))
    assert index and "Hochul" in json.dumps(index)
    # The build leaves nothing behind but site/ and the caches.
    leftovers = [p.name for p in zensical_project.iterdir() if p.name.startswith((".zensical-", ".site.building"))]
    assert not leftovers


def test_a_failed_zensical_build_changes_nothing(zensical_project: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in (zensical_project / "site").rglob("*") if p.is_file()}
    outside = zensical_project.parent / "outside-site"
    result = run_site_gen("build", "--engine", "zensical", "--site-dir", str(outside), cwd=zensical_project)
    assert result.returncode == 1
    assert "inside the project" in result.stderr and "Traceback" not in result.stderr
    after = {p: p.stat().st_mtime_ns for p in (zensical_project / "site").rglob("*") if p.is_file()}
    assert before == after
    assert not outside.exists()
