"""One driver: every build generates the pages once, with MkDocs' own site_url and build date.

``site-gen build``, ``mkdocs build`` and ``mkdocs serve`` all generate through the ``briefing``
plugin (Zensical, which runs no plugin, through ``site-gen build --engine zensical``).
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import site_gen.generate as generate_module
from site_gen.build import build
from site_gen.generate import Project

from .conftest import FIXTURES, REPO, make_project, mkdocs_build, run_site_gen


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every call of the renderer, in this process, with the cache off (it cannot hide a second run)."""
    calls: list[Path] = []
    original = generate_module.render_pages

    def spy(briefing: object) -> object:
        calls.append(Path.cwd())
        return original(briefing)  # type: ignore[arg-type]

    monkeypatch.setattr(generate_module, "render_pages", spy)
    monkeypatch.setenv("SITE_GEN_NO_CACHE", "1")
    yield calls


def test_site_gen_build_generates_once(mini_project: Path, renders: list[Path]) -> None:
    result = build(Project(mini_project))
    assert len(renders) == 1
    assert (result.site / "index.html").is_file() and (mini_project / "docs" / "index.md").is_file()


def test_mkdocs_build_generates_once(mini_project: Path, renders: list[Path], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.commands.build import build as mkdocs
    from mkdocs.config import load_config

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    mkdocs(load_config(str(mini_project / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True))
    assert len(renders) == 1 and (tmp_path / "site" / "index.html").is_file()
    assert "SOURCE_DATE_EPOCH" not in os.environ, "the build date is set only while MkDocs builds"


def test_a_project_without_the_plugin_is_generated_once_too(mini_project: Path, renders: list[Path]) -> None:
    config = mini_project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - briefing\n", ""), "utf-8")
    result = build(Project(mini_project))
    assert len(renders) == 1 and (result.site / "timeline" / "index.html").is_file()


def _with_site_url(project: Path) -> Path:
    config = project / "mkdocs.yml"
    text = re.sub(r"^site_url: .*$", 'site_url: !ENV [BRIEFING_URL, "https://default.example/b"]',
                  config.read_text("utf-8"), count=1, flags=re.MULTILINE)
    config.write_text(text, "utf-8")
    return project


@pytest.mark.parametrize("how", ["site-gen build", "mkdocs build"])
def test_site_url_is_mkdocs_own(tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``!ENV`` resolved, and normalised (trailing slash) exactly as MkDocs does for its own pages."""
    project = _with_site_url(make_project(tmp_path / "p", FIXTURES / "mini" / "content"))
    monkeypatch.setenv("BRIEFING_URL", "https://pages.example/briefing")
    result = (run_site_gen("build", cwd=project) if how == "site-gen build" else mkdocs_build(project))
    assert result.returncode == 0, result.stderr
    feed = (project / "site" / "feed.xml").read_text("utf-8")
    assert 'href="https://pages.example/briefing/feed.xml"' in feed
    assert "default.example" not in feed
    home = (project / "site" / "index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://pages.example/briefing/">' in home


def _sitemap(site: Path) -> tuple[str, bytes]:
    return (site / "sitemap.xml").read_text("utf-8"), (site / "sitemap.xml.gz").read_bytes()


def test_plain_mkdocs_build_dates_the_site_like_site_gen_build(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    cli = make_project(tmp_path / "cli", REPO / "content")
    plain = make_project(tmp_path / "plain", REPO / "content")
    assert subprocess.run([sys.executable, "-m", "site_gen", "build"], cwd=cli, env={**env, "PYTHONPATH": str(REPO)},
                          capture_output=True, check=False).returncode == 0
    assert subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=plain,
                          env={**env, "PYTHONPATH": str(REPO)}, capture_output=True, check=False).returncode == 0
    text, gz = _sitemap(cli / "site")
    plain_text, plain_gz = _sitemap(plain / "site")
    assert text == plain_text and gz == plain_gz, "the two paths date the build differently"
    from site_gen.validate import load_briefing

    last = max(u.date for u in load_briefing(REPO / "content").updates)
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", text)) == {last.iso()}
    assert gzip.decompress(gz).decode("utf-8") == text
    # A run that found its output up to date dates the build the same (without loading the content).
    again = mkdocs_build(plain)
    assert again.returncode == 0 and _sitemap(plain / "site") == (text, gz)


def test_source_date_epoch_set_by_the_caller_wins(mini_project: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "86400"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=mini_project, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", (mini_project / "site" / "sitemap.xml").read_text())) == {
        "1970-01-02"}
