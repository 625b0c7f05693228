"""Benchmark projects: the repository's configuration and theme with synthetic or real content."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from site_gen.init import standalone_config

from .synthetic import write_briefing

REPO = Path(__file__).resolve().parent.parent

# A large briefing puts pages in these folders (site_gen/render/scaled.py). They are reached from
# their section's index page, not from the navigation; MkDocs must be told so, or --strict fails
# on "pages exist in the docs directory, but are not included in the nav".
NOT_IN_NAV = """
# Added by the benchmark because the repository's mkdocs.yml does not list them yet.
not_in_nav: |
  /timeline/
  /quotes/
  /people/
  /topics/
  /sources/
  /funding/
"""

_BRIEFING_PLUGIN = re.compile(r"^\s*-\s*briefing\s*(:.*)?$")


def make_project(destination: Path, records: int | None, seed: int = 2026) -> Path:
    """A project in ``destination``: the repository's mkdocs.yml, overrides/ and docs/assets/ with
    ``records`` synthetic records (None: the repository's own content/)."""
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    config = standalone_config(REPO / "mkdocs.yml")
    if not re.search(r"^not_in_nav:", config, re.MULTILINE):
        config = config.rstrip("\n") + "\n" + NOT_IN_NAV
    (destination / "mkdocs.yml").write_text(config, "utf-8")
    for folder in ("overrides", "docs/assets"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, destination / folder)
    (destination / "docs").mkdir(exist_ok=True)
    if records is None:
        shutil.copytree(REPO / "content", destination / "content")
    else:
        write_briefing(destination / "content", records, seed)
    return destination


def config_patched_by_bench() -> bool:
    """True when the repository's mkdocs.yml lacks ``not_in_nav`` and the benchmark adds it."""
    return not re.search(r"^not_in_nav:", standalone_config(REPO / "mkdocs.yml"), re.MULTILINE)


def write_bare_config(project: Path) -> Path:
    """mkdocs.yml without the ``briefing`` plugin: MkDocs alone on the already generated docs/."""
    lines = (project / "mkdocs.yml").read_text("utf-8").splitlines()
    bare = [line for line in lines if not _BRIEFING_PLUGIN.match(line)]
    if len(bare) == len(lines):
        raise RuntimeError("mkdocs.yml does not list the briefing plugin as '- briefing'")
    path = project / "mkdocs-bare.yml"
    path.write_text("\n".join(bare) + "\n", "utf-8")
    return path


def clean_outputs(project: Path) -> None:
    """Remove everything a build writes, so that the next build starts cold."""
    for name in ("site", "site-bare", "site-zensical", ".cache"):
        shutil.rmtree(project / name, ignore_errors=True)
    docs = project / "docs"
    for entry in docs.iterdir() if docs.is_dir() else ():
        if entry.name == "assets":
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
