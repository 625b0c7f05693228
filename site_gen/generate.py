"""The generator pipeline without MkDocs: load -> validate -> render -> write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import Briefing
from .render import render_pages
from .validate import load_briefing
from .write import WriteReport, write_pages


@dataclass(frozen=True)
class Project:
    """Where a briefing project keeps its parts (all relative to the folder with mkdocs.yml)."""

    root: Path

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"


def load(project: Project) -> Briefing:
    return load_briefing(project.content_dir, display_root=project.root)


def generate(project: Project) -> tuple[Briefing, WriteReport]:
    """Validate the content and bring docs/ up to date. Raises ContentError before writing anything."""
    briefing = load(project)
    pages = render_pages(briefing)
    return briefing, write_pages(pages, project.docs_dir)
