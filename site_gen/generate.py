"""The generator pipeline without MkDocs: load -> validate -> render -> write."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml

from . import cache
from .errors import ContentError, Diagnostic, SiteGenError
from .lock import project_lock
from .model import Briefing
from .render import render_data, render_pages
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

    @property
    def site_url(self) -> str | None:
        """``site_url`` from mkdocs.yml, for the absolute links the feed and calendar need.

        Read with a small safe loader (``!ENV`` is honoured, other tags become null) so that the
        CLI and the MkDocs plugin render identical data files without importing anything
        mkdocs.yml names.
        """
        return read_site_url(self.config_file)


def load(project: Project) -> Briefing:
    return load_briefing(project.content_dir, display_root=project.root)


def check(project: Project) -> Briefing:
    """What ``build`` does except writing files and running the engine: validate the content,
    then render every page, data file, the feed and the calendar in memory and throw them away,
    so that nothing ``check`` accepts can fail later in ``build``. Raises ContentError for bad
    content, SiteGenError (one line, no traceback) if rendering valid content fails."""
    problems: list[Diagnostic] | None
    with _cyclic_gc_paused():
        try:
            briefing = load(project)
        except ContentError as error:
            problems = error.diagnostics
        else:
            problems = None
        if problems is not None:
            # Raised afresh, without the loader's frames: the data they hold is freed now, by
            # reference counting, instead of being walked by the collector once it is back on
            # (a third of a second at 10,000 records).
            raise ContentError(problems)
        try:
            render_pages(briefing)
            render_data(briefing, project.site_url)
        except (SiteGenError, MemoryError, KeyboardInterrupt):
            raise
        except Exception as error:  # a bug in site-gen: say so in one line, never pass it as OK
            raise SiteGenError(f"the content is valid but rendering it failed ({type(error).__name__}: "
                               f"{error}); this is a bug in site-gen, please report it") from error
    return briefing


def generate(project: Project, docs_dir: Path | None = None) -> tuple[Briefing, WriteReport]:
    """Validate the content and bring docs/ (or ``docs_dir``) up to date.

    Raises ContentError before writing anything. When nothing the pipeline reads has changed since
    it last wrote ``docs_dir``, and ``docs_dir`` still holds that output, nothing is loaded or
    rendered (``cache.py``); the briefing returned is then loaded only if it is used. The project's
    build lock is held meanwhile (``lock.py``).
    """
    with project_lock(project.root):  # re-entrant: `site-gen build` and the plugin already hold it
        return _generate(project, docs_dir or project.docs_dir)


def _generate(project: Project, out: Path) -> tuple[Briefing, WriteReport]:
    site_url = project.site_url
    before = None if cache.disabled() else cache.fingerprint(project.content_dir, site_url)
    unchanged = cache.up_to_date(project.root, out, before)
    if unchanged is not None:
        return cast(Briefing, _DeferredBriefing(project)), WriteReport(unchanged=unchanged)
    with _cyclic_gc_paused():
        briefing = load(project)
        pages: dict[str, str | bytes] = {**render_pages(briefing), **render_data(briefing, site_url)}
        report = write_pages(pages, out)
    # Remembered only if no content file changed while this run read it.
    if before is not None and cache.fingerprint(project.content_dir, site_url) == before:
        cache.remember(project.root, out, before)
    return briefing, report


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a briefing is generated.

    Loading a large briefing creates hundreds of thousands of containers and keeps over 100,000
    alive (the data, the model, the pages); every collection walks them to find nothing: the
    pipeline makes no reference cycles worth collecting, and reference counting still frees
    everything as usual. At 10,000 records the collector's passes were a sixth of the generation
    time. It is switched back on (if it was on) when the run ends, however it ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _DeferredBriefing:
    """The briefing of a run that found its output up to date: loaded only if someone reads it."""

    def __init__(self, project: Project):
        self._project = project
        self._briefing: Briefing | None = None

    def __getattr__(self, name: str) -> Any:
        if self._briefing is None:
            self._briefing = load(self._project)
        return getattr(self._briefing, name)


class _TolerantLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader for mkdocs.yml: ``!ENV`` as MkDocs reads it, any other tag as null.

    libyaml's parser when PyYAML has it (the pure-Python one took a third of a small
    briefing's generation time just to read mkdocs.yml)."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        *names, default = [loader.construct_object(child) for child in node.value] or [None]
        return next((os.environ[n] for n in names if isinstance(n, str) and n in os.environ), default)
    return None


_TolerantLoader.add_constructor("!ENV", _env_tag)
_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_site_url(config_file: Path) -> str | None:
    try:
        config = yaml.load(config_file.read_text("utf-8"), Loader=_TolerantLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    url = config.get("site_url") if isinstance(config, dict) else None
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None
