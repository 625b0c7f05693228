"""Shared fixtures: real briefing projects copied under tmp_path, built with real MkDocs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def make_project(destination: Path, content: Path) -> Path:
    """A briefing project: the repository's mkdocs.yml, theme files and CSS, with ``content``."""
    from site_gen.init import standalone_config

    destination.mkdir(parents=True, exist_ok=True)
    (destination / "mkdocs.yml").write_text(standalone_config(REPO / "mkdocs.yml"), "utf-8")
    for folder in ("overrides", "docs/assets"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, destination / folder, dirs_exist_ok=True)
    shutil.copytree(content, destination / "content", dirs_exist_ok=True)
    return destination


def run_site_gen(*args: str, cwd: Path, check: bool = False) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "site_gen", *args], cwd=cwd, text=True,
                            capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"site-gen {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def mkdocs_build(project: Path, site: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Plain ``mkdocs build --strict`` at the project root, as an editor would run it."""
    args = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    if site is not None:
        args += ["--site-dir", str(site)]
    return subprocess.run(args, cwd=project, text=True, capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "mini", FIXTURES / "mini" / "content")


@pytest.fixture
def real_project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "real", REPO / "content")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real briefing built once with plain ``mkdocs build --strict``."""
    project = make_project(tmp_path_factory.mktemp("real-site"), REPO / "content")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def other_story_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The made-up second story in a project made by ``site-gen init``, built once with --strict.

    No site_url is set there (the init default), and nothing in it comes from the first story.
    """
    from site_gen.init import init_project

    project = tmp_path_factory.mktemp("other") / "velmira"
    init_project(project, title="The Velmira tram dispute", currency="EUR")
    shutil.rmtree(project / "content")
    shutil.copytree(FIXTURES / "other-story" / "content", project / "content")
    for path in (project / "content").glob("*.yaml"):  # the fixture points at the repo's schema
        text = path.read_text("utf-8").replace("../../../../schema/", "../schema/")
        path.write_text(text, "utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project
