"""The generator pipeline without MkDocs: load -> validate -> render -> write."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from . import cache, console
from .errors import ContentError, Diagnostic, SiteGenError
from .lock import project_lock
from .model import Briefing
from .render import render_data, render_pages
from .validate import load_briefing
from .write import WriteReport, atomic_write, write_pages

_UNKNOWN = object()


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
        """``site_url`` as MkDocs reads mkdocs.yml (``!ENV``, ``INHERIT``, its normalisation).

        For the runs that do not go through MkDocs (Zensical, ``build --no-site``); under MkDocs
        the plugin passes the ``site_url`` of the configuration MkDocs is building with.
        """
        return config_site_url(self.config_file)


def config_site_url(config_file: Path) -> str | None:
    """The ``site_url`` of ``config_file`` as MkDocs reads it: its own YAML loader (``!ENV``,
    ``INHERIT``) and its own validation of the option (a trailing slash added). The rest of the
    configuration is not validated here: MkDocs does that when it builds."""
    from mkdocs.config import config_options
    from mkdocs.config.base import ValidationError
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    from .errors import BuildError

    try:
        with config_file.open("rb") as handle:
            value = yaml_load(handle).get("site_url")
        url = config_options.Optional(config_options.URL(is_dir=True)).validate(value)
    except OSError as error:
        raise BuildError(f"cannot read {config_file}: {error.strerror or error}") from None
    except (ConfigurationError, ValidationError) as error:
        raise BuildError(f"{config_file}: site_url: {error}") from None
    return url or None


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


class _FromConfig:
    """``site_url`` not given: read it from mkdocs.yml (``config_site_url``)."""


FROM_CONFIG = _FromConfig()
BUILD_DATE_FILE = Path(".cache") / "site-gen" / "build-date.json"


def generate(project: Project, docs_dir: Path | None = None, *,
             site_url: str | None | _FromConfig = FROM_CONFIG) -> tuple[Briefing, WriteReport]:
    """Validate the content and bring docs/ (or ``docs_dir``) up to date.

    ``site_url`` is the one MkDocs builds with (the plugin passes ``config.site_url``); by default
    it is read from mkdocs.yml by MkDocs' own loader. Raises ContentError before writing
    anything. When nothing the pipeline reads has changed since it last wrote ``docs_dir``, and
    ``docs_dir`` still holds that output, nothing is loaded or rendered (``cache.py``); the
    briefing returned is then loaded only if it is used. The project's build lock is held
    meanwhile (``lock.py``).
    """
    with project_lock(project.root):  # re-entrant: `site-gen build` and the plugin already hold it
        return _generate(project, docs_dir or project.docs_dir, site_url)


def _generate(project: Project, out: Path, site_url: str | None | _FromConfig) -> tuple[Briefing, WriteReport]:
    url = project.site_url if isinstance(site_url, _FromConfig) else site_url
    before = None if cache.disabled() else cache.fingerprint(project.content_dir, url)
    unchanged = cache.up_to_date(project.root, out, before)
    if unchanged is not None:
        deferred = _DeferredBriefing(project, _remembered_epoch(project, before))
        return cast(Briefing, deferred), WriteReport(unchanged=unchanged)
    console.stage("Reading content/")
    with _cyclic_gc_paused():
        briefing = load(project)
        console.stage("Rendering pages")
        pages: dict[str, str | bytes] = {**render_pages(briefing), **render_data(briefing, url)}
        console.stage(f"Writing docs/ ({len(pages)} files)")
        report = write_pages(pages, out)
    # Remembered only if no content file changed while this run read it.
    if before is not None and cache.fingerprint(project.content_dir, url) == before:
        cache.remember(project.root, out, before)
        _remember_epoch(project, before, build_epoch(briefing))
    return briefing, report


def build_epoch(briefing: Briefing) -> int | None:
    """When the build is dated (sitemap ``lastmod``, gzip headers): the briefing's last update.

    The same content then gives a byte-identical site on any day. None when the briefing has no
    update (the clock then dates the build, as MkDocs does).
    """
    if isinstance(briefing, _DeferredBriefing) and briefing.epoch is not _UNKNOWN:
        return cast(int | None, briefing.epoch)
    dates = [u.date for u in briefing.updates]
    if not dates:
        return None
    last = max(dates)
    epoch = int(dt.datetime(last.year, last.month or 1, last.day or 1, tzinfo=dt.UTC).timestamp())
    # a gzip header (sitemap.xml.gz) holds an unsigned 32-bit time
    return epoch if 0 <= epoch < 2**32 else None


@contextmanager
def reproducible_dates(epoch: int | None) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set to ``epoch`` while MkDocs builds, unless the caller set it.

    (https://reproducible-builds.org/specs/source-date-epoch/: a value set by the caller wins.)
    The same on every path: ``site-gen build`` and plain ``mkdocs build`` / ``serve`` (plugin).
    """
    if "SOURCE_DATE_EPOCH" in os.environ or epoch is None:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _remember_epoch(project: Project, print_: str, epoch: int | None) -> None:
    """Keep the build date with the fingerprint, so an unchanged run need not load the content."""
    data = (json.dumps({"fingerprint": print_, "epoch": epoch}) + "\n").encode()
    try:
        atomic_write(project.root / BUILD_DATE_FILE, data)
    except OSError:  # a read-only project still builds, just without the shortcut
        pass


def _remembered_epoch(project: Project, print_: str | None) -> object:
    try:
        data = json.loads((project.root / BUILD_DATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return _UNKNOWN
    if not isinstance(data, dict) or data.get("fingerprint") != print_ or print_ is None:
        return _UNKNOWN
    epoch = data.get("epoch")
    return epoch if epoch is None or (isinstance(epoch, int) and 0 <= epoch < 2**32) else _UNKNOWN


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

    def __init__(self, project: Project, epoch: object = None):
        self._project = project
        self._briefing: Briefing | None = None
        self.epoch = epoch  # the remembered build_epoch, or _UNKNOWN

    def __getattr__(self, name: str) -> Any:
        if self._briefing is None:
            self._briefing = load(self._project)
        return getattr(self._briefing, name)
