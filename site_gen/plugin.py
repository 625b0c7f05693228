"""MkDocs glue: every MkDocs build generates docs/ from content/ first, here and only here.

``mkdocs build``, ``mkdocs serve`` and ``site-gen build`` all generate through this plugin, with
the ``site_url`` of the configuration MkDocs builds with and the build dated by the briefing's
last update (``SOURCE_DATE_EPOCH``, unless set by the caller). The plugin only calls the
generator; all the work lives in the pipeline modules, so the same project also builds with
engines that do not run MkDocs plugins (``site-gen build --engine zensical`` generates itself).

The plugin only calls the generator; all the work lives in the pipeline modules, so the same
project also builds with engines that do not run MkDocs plugins (after ``site-gen build``).

It holds the project's build lock (``lock.py``) from ``on_pre_build`` until the build ends, and
refuses a ``site_dir`` whose cleaning would delete the project (``guard.py``). Whatever goes
wrong in it is a one-line MkDocs ``PluginError`` (never a traceback); under ``serve``, a failure
before MkDocs touched the site keeps the last good preview.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.utils import get_relative_url

from . import cache, console, search_prebuilt
from .engine import DEFAULT_ENGINE, ENGINES
from .errors import ContentError, SiteGenError
from .generate import Project, build_epoch, generate, reproducible_dates
from .guard import refuse_unsafe_site_dir
from .i18n import N_, SHIPPED, Labels
from .i18n.project import project_language
from .jinja_cache import JINJA_CACHE_DIR, TemplateBytecodeCache
from .lock import project_lock
from .render.pages import FEED, PAGES
from .write import MANIFEST, read_manifest

log = logging.getLogger("mkdocs.plugins.briefing")

FEED_LINK_MARKER = "data-briefing-feed"

# How often `serve` looks at content/ and the theme overrides for changes. MkDocs polls every
# watched folder every 0.5 s (watchdog's PollingObserver), which alone delays a preview by 0.25 s
# on average; these folders hold a few files, so looking five times as often costs nothing.
POLL_INTERVAL_S = 0.1
# How long `serve` waits after a change for more changes before it rebuilds (MkDocs: 0.1 s).
# One poll reports every change it saw at once, so a short wait is enough to take them together.
BUILD_DELAY_S = 0.05
# site-gen's search worker (see site_gen/search_prebuilt.py), published next to Material's with a
# name that changes with its content, so that browsers never keep an old copy.
SEARCH_WORKER_SOURCE = Path(__file__).with_name("assets") / "search-worker.js"
_WORKER_BYTES = SEARCH_WORKER_SOURCE.read_bytes()
SEARCH_WORKER = f"site-gen-search.{hashlib.sha256(_WORKER_BYTES).hexdigest()[:8]}.js"
WORKERS_DIR = "assets/javascripts/workers"
# Material's page configuration names its worker: "search": "../assets/javascripts/workers/search.<hash>.min.js"
_MATERIAL_WORKER = re.compile(
    r'("search":\s*"[^"]*?assets/javascripts/workers/)(search\.[0-9a-f]+\.min\.js)"')
_CONFIG_SCRIPT = re.compile(r'<script id="__config" type="application/json">.*?</script>', re.DOTALL)


class BriefingPluginConfig(Config):
    # Prepare the search's lunr index at build time (site_gen/search_prebuilt.py) and let the pages
    # load it with site-gen's search worker, instead of every reader's browser building it; for a
    # search index of at least this many sections (below, the browser builds it in well under
    # 0.1 s and the extra file would not pay for itself).
    prebuilt_search = config_options.Type(bool, default=True)
    prebuilt_search_min_sections = config_options.Type(int, default=1000)
    # What `site-gen build` / `serve` builds site/ with (site_gen/engine.py reads it from mkdocs.yml,
    # with the file's line and column in its error); plain `mkdocs build` is MkDocs whatever it says.
    engine = config_options.Choice(ENGINES, default=DEFAULT_ENGINE)


class BriefingError(PluginError):
    """Something failed in the plugin; MkDocs shows the message as one error line."""


class BeforeBuild(BriefingError):
    """The plugin failed before MkDocs wrote anything: docs/ and the site are untouched."""


INVALID = "the briefing content is invalid:"


class InvalidContent(BeforeBuild):
    """The content was refused before MkDocs wrote anything: docs/ and the site are untouched."""

    def __init__(self, error: SiteGenError):
        super().__init__(f"{INVALID}\n{error}")
        self.error = error


@contextlib.contextmanager
def content_errors_not_logged() -> Iterator[None]:
    """MkDocs logs a plugin's error before it aborts; ``site-gen`` reports the plugin's own errors
    itself, once (``build._run_mkdocs``)."""
    logger = logging.getLogger("mkdocs.commands.build")

    def keep(record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith((INVALID, "briefing: ")))

    logger.addFilter(keep)
    try:
        yield
    finally:
        logger.removeFilter(keep)


def _message(error: BaseException) -> str:
    if isinstance(error, ContentError):
        return f"the briefing content is invalid:\n{error}"
    if isinstance(error, SiteGenError):
        return f"briefing: {error}"
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return f"briefing: {error.strerror or error}{where}"
    return (f"briefing: unexpected {type(error).__name__}: {error} "
            "(mkdocs build --verbose shows where it happened)")


def _one_line_errors(kind: type[BriefingError]) -> Callable[[Any], Any]:
    """Turn any failure of a plugin event into a ``kind`` (a PluginError): one line, no traceback."""
    def decorate(method: Any) -> Any:
        @functools.wraps(method)
        def event(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except (PluginError, Abort):
                raise
            except Exception as error:
                log.debug("briefing: details of the error", exc_info=True)
                if isinstance(error, ContentError):
                    raise InvalidContent(error) from None
                raise kind(_message(error)) from None
        return event
    return decorate


# Reader-facing words of mkdocs.yml itself (the palette toggles, the permalinks' title): written
# in English by site-gen init, shown in the briefing's language.
CONFIG_LABELS = (N_("Switch to dark mode"), N_("Switch to light mode"), N_("Link to this section"))


def _translated(labels: Labels, title: str | None, english: str) -> str | None:
    """``english`` in the briefing's language if ``title`` is one of its shipped translations
    (or English): a title the editor wrote differently stays as written."""
    if title is None or title == english or title in _all_translations(english):
        return labels.gettext(english)
    return title


def _all_translations(english: str) -> set[str]:
    return {Labels(code).gettext(english) for code in SHIPPED}


class BriefingPlugin(BasePlugin[BriefingPluginConfig]):
    _lock: contextlib.ExitStack | None = None
    labels: Labels | None = None
    _dates: contextlib.ExitStack | None = None
    _pages = 0
    _built = 0

    def _project(self, config: Any) -> Project:
        return Project(Path(config.config_file_path).resolve().parent)

    @event_priority(100)  # before Material's search plugin reads theme.language
    @_one_line_errors(BeforeBuild)
    def on_config(self, config: Any) -> Any:
        """Refuse a site_dir whose cleaning would delete the project, before MkDocs cleans it; and
        one language setting: Material's UI language follows briefing.yaml's language."""
        project = self._project(config)
        custom_dir = config.theme.custom_dir if config.theme is not None else None
        refuse_unsafe_site_dir(Path(config.site_dir), root=project.root, docs_dir=Path(config.docs_dir),
                               content_dir=project.content_dir, config_file=project.config_file,
                               custom_dir=Path(custom_dir) if custom_dir else None)
        found = project_language(project.root, Path(config.config_file_path))
        if found.errors:
            raise PluginError(found.errors[0])
        for warning in found.warnings:
            log.info(f"briefing: {warning}")
        if config.theme is not None:
            config.theme["language"] = found.theme
        # Material's search then loads lunr-languages' support for the language (its stop words).
        # Its stemmer stays out, as Material leaves it: Material keeps a result only if every word
        # typed is the start of a word it matched, so with the stemmer "Zitate" (stem "zitat")
        # would find nothing at all.
        labels = {k: v for k, v in found.labels.items() if isinstance(k, str) and isinstance(v, str)}
        self.labels = Labels(found.language, labels)
        for scheme in (config.theme or {}).get("palette") or []:
            toggle = scheme.get("toggle") if isinstance(scheme, dict) else None
            if isinstance(toggle, dict) and isinstance(toggle.get("name"), str):
                for english in CONFIG_LABELS[:2]:
                    if toggle["name"] == english or toggle["name"] in _all_translations(english):
                        toggle["name"] = self.labels.gettext(english)
        toc = config.mdx_configs.get("toc")
        if isinstance(toc, dict) and isinstance(toc.get("permalink_title"), str):
            toc["permalink_title"] = _translated(self.labels, toc["permalink_title"], CONFIG_LABELS[2])
        return config

    def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
        """The navigation's titles of the generated pages, in the briefing's language."""
        if self.labels is None:
            return nav
        for item in nav.items:
            file = getattr(item, "file", None)
            english = PAGES.get(file.src_uri) if file is not None else None
            if english is not None:
                item.title = _translated(self.labels, item.title, english)
        return nav

    @event_priority(100)  # before any other plugin's pre-build work: the lock comes first
    @_one_line_errors(BeforeBuild)
    def on_pre_build(self, config: Any) -> None:
        project = self._project(config)
        self._release()
        self._lock = contextlib.ExitStack()
        self._lock.enter_context(project_lock(project.root, tell=log.info))
        # config.docs_dir, not project.docs_dir: `site-gen build` runs MkDocs on a staged copy.
        briefing, report = generate(project, Path(config.docs_dir), site_url=config.site_url or None)
        if report.written or report.removed:
            log.info(f"briefing: {report.summary()}")
        self._end_dates()
        self._dates = contextlib.ExitStack()
        self._dates.enter_context(reproducible_dates(build_epoch(briefing)))

    def _end_dates(self) -> None:
        if self._dates is not None:
            self._dates.close()
            self._dates = None

    def on_files(self, files: Any, config: Any) -> Any:
        self._pages, self._built = len(files.documentation_pages()), 0
        console.stage(f"Building the site with MkDocs ({self._pages} pages)")
        return files

    def _release(self) -> None:
        if self._lock is not None:
            lock, self._lock = self._lock, None
            lock.close()

    def on_build_error(self, error: Exception) -> None:
        self._end_dates()
        self._release()

    def on_shutdown(self) -> None:
        self._end_dates()
        self._release()

    @_one_line_errors(BriefingError)
    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        """Keep the compiled theme templates between builds (see site_gen/jinja_cache.py)."""
        if env.bytecode_cache is None and not cache.disabled():
            env.bytecode_cache = TemplateBytecodeCache(self._project(config).root / JINJA_CACHE_DIR)
        return env

    def _add_feed_link(self, output: str, page: Any, config: Any) -> str:
        if FEED_LINK_MARKER in output or "</head>" not in output:
            return output
        href = get_relative_url(FEED, page.url or ".")
        labels = self.labels or Labels()
        title = html.escape(labels.gettext("{title}: updates and corrections").format(title=config.site_name),
                            quote=True)
        link = (f'<link rel="alternate" type="application/atom+xml" title="{title}" '
                f'href="{html.escape(href, quote=True)}" {FEED_LINK_MARKER}>')
        return output.replace("</head>", f"  {link}\n  </head>", 1)

    def _material_search(self, config: Any) -> bool:
        """Whether the site's search is Material's (site-gen's worker then runs in front of it)."""
        search = config.plugins.get("material/search") or config.plugins.get("search")
        enabled = search is not None and search.config.get("enabled", True)
        theme = config.theme
        return bool(enabled and theme is not None and theme.name == "material")

    @_one_line_errors(BriefingError)
    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """Let browsers and feed readers discover the updates feed from every page."""
        self._built += 1
        console.count("Building pages", self._built, max(self._pages, self._built))
        return self._add_feed_link(output, page, config)

    @event_priority(-50)  # after Material's search plugin has written search_index.json
    def on_post_build(self, config: Any) -> None:
        self._end_dates()
        try:
            self._prebuild_search(config)
        finally:
            self._release()

    @_one_line_errors(BriefingError)
    def _prebuild_search(self, config: Any) -> None:
        if not self._material_search(config):
            return
        console.stage("Preparing the search index")
        site = Path(config.site_dir)
        prebuilt = False
        if self.config.prebuilt_search:
            try:
                # False for a small index: the browser builds it in no time
                prebuilt = search_prebuilt.write_prebuilt(site, self.config.prebuilt_search_min_sections)
            except search_prebuilt.Unsupported as why:
                log.info(f"briefing: the search index is built in the browser: {why}")
        workers = site / WORKERS_DIR
        workers.mkdir(parents=True, exist_ok=True)
        (workers / SEARCH_WORKER).write_bytes(_WORKER_BYTES)
        # Every page names the search worker in its configuration: name site-gen's instead.
        for path in site.rglob("*.html"):
            html_text = path.read_text("utf-8")
            replaced = _use_search_worker(html_text, prebuilt)
            if replaced != html_text:
                path.write_text(replaced, "utf-8")

    @_one_line_errors(BriefingError)
    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.builder = self._keep_last_good_preview(server.builder)
        project = self._project(config)
        # What people edit while previewing: the content, and the theme overrides (custom_dir),
        # which MkDocs itself watches only with --watch-theme.
        custom_dir = config.theme.custom_dir
        with _polling_every(server, POLL_INTERVAL_S):
            server.watch(str(project.content_dir))
            if custom_dir and Path(custom_dir).is_dir() and Path(custom_dir).resolve().is_relative_to(project.root):
                server.watch(custom_dir)
        if isinstance(getattr(server, "build_delay", None), (int, float)):
            server.build_delay = min(server.build_delay, BUILD_DELAY_S)
        # The generated pages are the output of a build: watching them makes every content edit
        # rebuild twice (and reload the page twice). Watch only what people write in docs/
        # (assets, hand-written pages); a new top-level item there is seen after a restart.
        docs = Path(config.docs_dir)
        generated = {PurePosixPath(path).parts[0] for path in read_manifest(docs)} | {MANIFEST}
        if docs.is_dir() and len(generated) > 1:
            server.unwatch(config.docs_dir)
            for entry in sorted(docs.iterdir()):
                if entry.name not in generated:
                    server.watch(str(entry))
        return server

    def _keep_last_good_preview(self, rebuild: Callable[[], None]) -> Callable[[], None]:
        """While a rebuild fails in this plugin, keep serving the last good site; never a traceback.

        MkDocs treats a failed rebuild as "stuck": it prints a traceback, the open page stays, but
        every new request (a click, a reload) waits until a build succeeds. A failure before
        MkDocs touched the site (invalid content, a docs/ that cannot be written, …) leaves the
        last good site intact, so it is served meanwhile; after one (rare: the prebuilt search
        index), the pages MkDocs wrote are served. Either way MkDocs has already logged the
        error as one line.
        """
        def rebuild_keeping_last_good_site() -> None:
            try:
                rebuild()
            except Abort as abort:
                # MkDocs logs the plugin's error, then raises Abort from within its handler.
                failure = abort.__context__
                if isinstance(failure, BeforeBuild):
                    log.warning("briefing: the preview keeps showing the last good version; "
                                "fix the problem above and save again")
                elif not isinstance(failure, BriefingError):
                    raise

        return rebuild_keeping_last_good_site


@contextlib.contextmanager
def _polling_every(server: Any, interval: float) -> Iterator[None]:
    """Folders ``server.watch``-ed in this block are polled every ``interval`` seconds.

    MkDocs has no setting for it: its LiveReloadServer takes ``polling_interval`` only when it
    is made, and gives it to watchdog's PollingObserver, which gives its ``timeout`` to each
    folder's poller as that folder is scheduled. So the observer's (private) ``_timeout`` is
    lowered while these folders are scheduled, then put back: other folders (docs/, a theme
    watched with --watch-theme) keep MkDocs' interval. With another MkDocs or watchdog, where
    this is not what it looks like, nothing is changed (tests/test_preview_watch.py notices).
    """
    observer = getattr(server, "observer", None)
    previous = getattr(observer, "_timeout", None)
    if not isinstance(previous, (int, float)) or previous <= interval:
        yield
        return
    observer._timeout = interval  # type: ignore[union-attr]
    try:
        yield
    finally:
        observer._timeout = previous  # type: ignore[union-attr]


def _use_search_worker(output: str, prebuilt: bool = True) -> str:
    """``output`` with Material's search worker replaced by site-gen's, which loads it (and the
    prebuilt index, if there is one)."""
    script = _CONFIG_SCRIPT.search(output)
    if script is None:
        return output
    extra = "&prebuilt=1" if prebuilt else ""
    replaced = _MATERIAL_WORKER.sub(
        lambda m: f'{m.group(1)}{SEARCH_WORKER}?material={m.group(2)}{extra}"', script.group(0), count=1)
    return output[:script.start()] + replaced + output[script.end():]
