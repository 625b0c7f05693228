"""MkDocs glue: plain ``mkdocs build`` / ``mkdocs serve`` regenerate docs/ from content/ first.

The plugin only calls the generator; all the work lives in the pipeline modules, so the same
project also builds with engines that do not run MkDocs plugins (after ``site-gen build``).
"""

from __future__ import annotations

import contextlib
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

from . import cache, search_prebuilt
from .engine import DEFAULT_ENGINE, ENGINES
from .errors import SiteGenError
from .generate import Project, generate
from .jinja_cache import JINJA_CACHE_DIR, TemplateBytecodeCache
from .render.pages import FEED
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


class InvalidContent(PluginError):
    """The content was refused before MkDocs wrote anything: docs/ and the site are untouched."""


class BriefingPlugin(BasePlugin[BriefingPluginConfig]):
    def _project(self, config: Any) -> Project:
        return Project(Path(config.config_file_path).resolve().parent)

    def on_pre_build(self, config: Any) -> None:
        project = self._project(config)
        try:
            # config.docs_dir, not project.docs_dir: `site-gen build` runs MkDocs on a staged copy.
            _, report = generate(project, Path(config.docs_dir))
        except SiteGenError as error:
            raise InvalidContent(f"the briefing content is invalid:\n{error}") from None
        if report.written or report.removed:
            log.info(f"briefing: {report.summary()}")

    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        """Keep the compiled theme templates between builds (see site_gen/jinja_cache.py)."""
        if env.bytecode_cache is None and not cache.disabled():
            env.bytecode_cache = TemplateBytecodeCache(self._project(config).root / JINJA_CACHE_DIR)
        return env

    def _add_feed_link(self, output: str, page: Any, config: Any) -> str:
        if FEED_LINK_MARKER in output or "</head>" not in output:
            return output
        href = get_relative_url(FEED, page.url or ".")
        title = html.escape(f"{config.site_name}: updates and corrections", quote=True)
        link = (f'<link rel="alternate" type="application/atom+xml" title="{title}" '
                f'href="{html.escape(href, quote=True)}" {FEED_LINK_MARKER}>')
        return output.replace("</head>", f"  {link}\n  </head>", 1)

    def _prebuilt_search(self, config: Any) -> bool:
        """Whether the site's search is Material's, and site-gen is to prebuild its index."""
        search = config.plugins.get("material/search") or config.plugins.get("search")
        enabled = search is not None and search.config.get("enabled", True)
        theme = config.theme
        return bool(self.config.prebuilt_search and enabled and theme is not None
                    and theme.name == "material")

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """Let browsers and feed readers discover the updates feed from every page."""
        return self._add_feed_link(output, page, config)

    @event_priority(-50)  # after Material's search plugin has written search_index.json
    def on_post_build(self, config: Any) -> None:
        if not self._prebuilt_search(config):
            return
        site = Path(config.site_dir)
        try:
            if not search_prebuilt.write_prebuilt(site, self.config.prebuilt_search_min_sections):
                return  # a small index: the browser builds it in no time
        except search_prebuilt.Unsupported as why:
            log.info(f"briefing: the search index is built in the browser: {why}")
            return
        workers = site / WORKERS_DIR
        workers.mkdir(parents=True, exist_ok=True)
        (workers / SEARCH_WORKER).write_bytes(_WORKER_BYTES)
        # Every page names the search worker in its configuration: name site-gen's instead.
        for path in site.rglob("*.html"):
            html_text = path.read_text("utf-8")
            replaced = _use_search_worker(html_text)
            if replaced != html_text:
                path.write_text(replaced, "utf-8")

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
        """While the content is invalid, keep serving the last good site.

        MkDocs treats a failed rebuild as "stuck": the open page stays, but every new request
        (a click, a reload) waits until a build succeeds. Invalid content is refused before
        MkDocs touches the site, so the last good site is intact and can be served meanwhile.
        """
        def rebuild_keeping_last_good_site() -> None:
            try:
                rebuild()
            except Abort as abort:
                # MkDocs logs the plugin's error, then raises Abort from within its handler.
                if not isinstance(abort.__context__, InvalidContent):
                    raise
                log.warning("briefing: the preview keeps showing the last good version; "
                            "fix the content above and save again")

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


def _use_search_worker(output: str) -> str:
    """``output`` with Material's search worker replaced by site-gen's, which loads it."""
    script = _CONFIG_SCRIPT.search(output)
    if script is None:
        return output
    replaced = _MATERIAL_WORKER.sub(
        lambda m: f'{m.group(1)}{SEARCH_WORKER}?material={m.group(2)}"', script.group(0), count=1)
    return output[:script.start()] + replaced + output[script.end():]
