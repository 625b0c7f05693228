"""MkDocs glue: plain ``mkdocs build`` / ``mkdocs serve`` regenerate docs/ from content/ first.

The plugin only calls the generator; all the work lives in the pipeline modules, so the same
project also builds with engines that do not run MkDocs plugins (after ``site-gen build``).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.utils import get_relative_url

from . import cache
from .errors import SiteGenError
from .generate import Project, generate
from .jinja_cache import JINJA_CACHE_DIR, TemplateBytecodeCache
from .render.pages import FEED
from .write import MANIFEST, read_manifest

log = logging.getLogger("mkdocs.plugins.briefing")

FEED_LINK_MARKER = "data-briefing-feed"


class InvalidContent(PluginError):
    """The content was refused before MkDocs wrote anything: docs/ and the site are untouched."""


class BriefingPlugin(BasePlugin):
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

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """Let browsers and feed readers discover the updates feed from every page."""
        if FEED_LINK_MARKER in output or "</head>" not in output:
            return output
        href = get_relative_url(FEED, page.url or ".")
        title = html.escape(f"{config.site_name}: updates and corrections", quote=True)
        link = (f'<link rel="alternate" type="application/atom+xml" title="{title}" '
                f'href="{html.escape(href, quote=True)}" {FEED_LINK_MARKER}>')
        return output.replace("</head>", f"  {link}\n  </head>", 1)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.builder = self._keep_last_good_preview(server.builder)
        server.watch(str(self._project(config).content_dir))
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
